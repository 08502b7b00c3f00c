"""The consent questions a guardian answers, each with the version of its text.

Changing a text means a new version: entries keep the version their guardian saw.
"""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString


@dataclass(frozen=True)
class ConsentText:
    kind: str
    version: str
    required: bool
    text: LazyString


PERSONAL_DATA = ConsentText("personal_data", "2026-1", True, _l(
    "I am the child's parent or legal guardian and I agree to the processing of the child's and "
    "my personal data given in this form, for running the contest and for the period it needs "
    "(Federal Law No. 152-FZ)."))
SHOW_NAME = ConsentText("show_name", "2026-1", False, _l(
    "The child's first name, age and town may be shown next to the drawing in the gallery, the "
    "calendar and reports. Without this, only the age and the town are shown."))
PRINT = ConsentText("print", "2026-1", False, _l(
    "The drawing may be printed in the contest's calendar and reports and shown in its gallery, "
    "free of charge, with the author named as above."))

ALL = (PERSONAL_DATA, SHOW_NAME, PRINT)

# What each consent is called in headings and lists.
NAMES = {
    "personal_data": _l("Processing of personal data"),
    "show_name": _l("The child's name next to the drawing"),
    "print": _l("Printing and showing the drawing"),
}
