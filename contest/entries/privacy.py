"""Children's data: what public pages may show of an entry, and a family's rights over what is
stored about their child (a copy of it, its erasure, contacts deleted after the contest).
"""

from __future__ import annotations

from datetime import date

from flask_babel import ngettext
from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..judging import operations as judging
from ..models import Contest, Entry, utcnow
from .images import delete_files


def drawing_shown_publicly(entry: Entry) -> bool:
    """Whether public pages (results, gallery) may show the drawing: printing consented, the
    child's data not erased. Who is on those pages at all is the jury's published results."""
    return entry.consent("print") and not entry.personal_data_erased_at


def name_shown(entry: Entry) -> bool:
    """Whether the child's first name may appear next to the drawing (a caption on a page, in
    the calendar): the family agreed and the data is not erased. No one can override it."""
    return entry.consent("show_name") and not entry.personal_data_erased_at


def caption(entry: Entry) -> str:
    """The public caption: first name only with consent; age and town always."""
    age = ngettext("%(num)s year", "%(num)s years", entry.age)
    parts = [entry.child_first_name] if name_shown(entry) else []
    return ", ".join([*parts, age, entry.town])

PERSONAL_FIELDS = ("child_first_name", "child_last_name", "birth_date", "institution", "teacher",
                   "description", "guardian_name", "guardian_email", "guardian_phone")
CONTACT_FIELDS = ("guardian_email", "guardian_phone")


def personal_data(entry: Entry) -> dict:
    """Everything stored about one child and their entry, for a guardian's request."""
    return {
        "code": entry.code, "contest": entry.contest.year, "region": entry.stage.region.code,
        "town": entry.town, "age": entry.age, "age_category": entry.age_category.name_ru,
        "title": entry.title, "status": entry.status.value,
        "status_reason": entry.status_reason, "award": entry.award.value if entry.award else None,
        "submitted_at": entry.submitted_at.isoformat(),
        **{name: _plain(getattr(entry, name)) for name in PERSONAL_FIELDS},
        "consents": [{"kind": c.kind, "version": c.version, "granted": c.granted,
                      "at": c.at.isoformat()} for c in entry.consents],
        "image": {"format": entry.image_format, "bytes": entry.image_bytes,
                  "width": entry.width, "height": entry.height, "sha256": entry.image_sha256},
        "history": [{"at": row.at.isoformat(), "what": audit.action_label(row.action),
                     "details": audit.details_text(row)} for row in audit.about_entry(entry)],
    }


def _plain(value):
    return value.isoformat() if isinstance(value, date) else value


def erase_personal_data(entry: Entry) -> None:
    """Remove the child's and guardian's data and the drawing's files, on request. Commits.

    The entry row stays, anonymous (age, town, category, scores), so that rankings already
    made and the year's statistics do not change.
    """
    for name in PERSONAL_FIELDS:
        setattr(entry, name, None if name == "birth_date" else "")
    entry.status_reason = entry.moderation_note = ""
    entry.personal_data_erased_at = entry.contacts_purged_at = utcnow()
    audit.forget_texts(entry)
    judging.forget_texts(entry)
    audit.record("entry.erase_personal_data", entry)
    db.session.commit()
    delete_files(entry.image_key)


def purge_contacts(contest: Contest, keep_entry_ids: set[int]) -> int:
    """After the contest: delete guardians' contacts except for ``keep_entry_ids`` (winners).

    Returns how many entries were purged. Commits.
    """
    purged = 0
    for entry in db.session.scalars(select(Entry).where(
            Entry.contest_id == contest.id, Entry.contacts_purged_at.is_(None))):
        if entry.id in keep_entry_ids:
            continue
        for name in CONTACT_FIELDS:
            setattr(entry, name, "")
        entry.contacts_purged_at = utcnow()
        purged += 1
    audit.record("contest.purge_contacts", contest, entries=purged)
    db.session.commit()
    return purged
