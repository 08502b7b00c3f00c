"""What a family may see and do with its entry without an account.

The tracking code opens the status page, and families share it (it used to be on the
certificate's file name), so holding the code is not proof of being the family: the guardian's
contact is shown in full, and the unmasked drawing served, only to the browser session that
sent the entry; everyone else sees the address masked and the public copy of the drawing.
"""

from __future__ import annotations

from flask import session

from ..models import Entry
from ..uploads import files

SENT_KEY = "sent_entries"  # in the session: the ids of the entries this browser sent
SENT_KEPT = 50  # the newest ones; older ones fall out of the cookie


def remember_sent(sent: list[Entry]) -> None:
    """This browser session sent ``sent``: it may see them in full."""
    ids = [e.id for e in sent] + [i for i in session.get(SENT_KEY, [])
                                  if i not in {e.id for e in sent}]
    session[SENT_KEY] = ids[:SENT_KEPT]


def sent_here(entry: Entry) -> bool:
    """Whether this browser session sent ``entry``."""
    return entry.id in session.get(SENT_KEY, [])


def mask_email(address: str) -> str:
    """``polina@mail.ru`` -> ``p•••@mail.ru``: enough to recognise one's own address."""
    if not address or "@" not in address:
        return ""
    local, domain = address.rsplit("@", 1)
    return f"{local[:1]}•••@{domain}"


def shown_email(entry: Entry) -> str:
    """The guardian's address as this session may see it."""
    return entry.guardian_email if sent_here(entry) else mask_email(entry.guardian_email)


def own_image_key(entry: Entry, size: str) -> str:
    """The stored image of the family's own drawing (``thumb`` or ``preview``) this session may
    see: the original's derivatives for the sender, else the public copies, whose signature
    stays hidden unless the family agreed to show the child's name."""
    if sent_here(entry):
        return files.image_key(entry, size)
    if size == "thumb":
        return files.image_key(entry, "public")
    return files.image_key(entry, "jury" if files.hides_signature(entry) else "preview")
