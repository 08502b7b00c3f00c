"""What a family may see and do with its entry without an account.

The tracking code opens the status page, and families share it (it used to be on the
certificate's file name), so holding the code is not proof of being the family: the guardian's
contact is shown in full, and the unmasked drawing served, only to the browser session that
sent the entry; everyone else sees the address masked and the public copy of the drawing.

For the same reason every change a family asks for from the status page (withdraw the entry,
change the consents, erase the child's data) is confirmed by a one-time link sent to the
guardian's address; without an address, by the child's first and last name as given (the
status page shows the first name to anyone with the code, so the first name alone proves
nothing). A link is signed, valid ``LINK_DAYS`` days, and bound to the entry's state, so it
works once: the change it makes changes the state.
"""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass

from flask import current_app, session, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select

from .. import audit, consents, notifications
from ..errors import RuleError
from ..extensions import db
from ..models import AuditLog, CalendarExport, Consent, Entry, EntryStatus, utcnow
from ..uploads import files
from .moderation import moderation_closed
from .privacy import erase_personal_data
from .submission import folded

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


KEYS_KEY = "submission_keys"  # in the session: the newest submission keys given to this browser
KEYS_KEPT = 5


def new_submission_key() -> str:
    """A one-time key for one rendering of the submission form, remembered by this browser
    session: 128 random bits, so that a resent form (a double click, a timeout) finds its entry."""
    key = secrets.token_hex(16)
    session[KEYS_KEY] = [key, *session.get(KEYS_KEY, [])][:KEYS_KEPT]
    return key


def issued_here(key: str | None) -> str | None:
    """``key`` if this browser session was given it, else None: a key from elsewhere (guessed,
    or from another browser) never opens anyone's receipt."""
    return key if key and key in session.get(KEYS_KEY, []) else None


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


# --- requests from the status page ----------------------------------------------------------

WITHDRAW, ERASE, CONSENTS = "withdraw", "erase", "consents"
ACTIONS = (WITHDRAW, ERASE, CONSENTS)
CHANGEABLE = ("show_name", "print")  # personal_data: withdrawing it is asking for erasure
LINK_DAYS = 3
SALT = "family-request"


class FamilyRequestError(RuleError):
    """A request or a confirmation link that cannot be carried out; the message says why."""

    def __init__(self, message):
        super().__init__(str(message))
        self.message = str(message)


@dataclass(frozen=True)
class Request:
    """What a family asked for: ``consents`` (kind -> granted) for a change of consents."""

    entry: Entry
    action: str
    consents: dict[str, bool]


def withdraw_refused(entry: Entry) -> str | None:
    """Why the entry can no longer be withdrawn; None while it can (until judging opens)."""
    if entry.status is EntryStatus.WITHDRAWN:
        return str(_l("The drawing has already been withdrawn."))
    if moderation_closed(entry):
        return str(_l("The jury has started judging, so the drawing can no longer be "
                      "withdrawn. You can still change the consents or ask for the child's "
                      "data to be erased."))
    return None


def by_mail(entry: Entry) -> bool:
    """Whether requests are confirmed by a link sent to the guardian (else by the names)."""
    return bool(entry.guardian_email) and not entry.contacts_purged_at


def current_consents(entry: Entry) -> dict[str, bool]:
    return {kind: entry.consent(kind) for kind in CHANGEABLE}


def ask(entry: Entry, action: str, wanted: dict[str, bool] | None = None,
        first_name: str = "", last_name: str = "") -> bool:
    """A family asks for ``action`` from the status page. With an address on file, a link is
    mailed and True returned; without one, the child's names confirm it and it is done now
    (False). Raises FamilyRequestError when the request cannot be made. Flushes (an
    erasure commits, as ``erase_personal_data`` does)."""
    request = Request(entry, action, _checked(entry, action, wanted))
    if by_mail(entry):
        link = url_for("submit.confirm", token=_token(request), _external=True)
        notifications.confirm_request(entry, action, link, LINK_DAYS)
        audit.record("entry.family_request", entry, what=action, via="email",
                     **_consent_details(request))
        db.session.flush()  # the message leaves with the request's commit
        return True
    if not (first_name.strip() and last_name.strip()
            and folded(first_name) == folded(entry.child_first_name)
            and folded(last_name) == folded(entry.child_last_name)):
        raise FamilyRequestError(_l("These are not the child's names given with the drawing."))
    carry_out(request, via="names")
    return False


def _checked(entry: Entry, action: str, wanted: dict[str, bool] | None) -> dict[str, bool]:
    if entry.personal_data_erased_at:
        raise FamilyRequestError(_l("The child's data has already been erased."))
    if action not in ACTIONS:
        raise FamilyRequestError(_l("Unknown request."))
    if action == WITHDRAW and (reason := withdraw_refused(entry)):
        raise FamilyRequestError(reason)
    if action != CONSENTS:
        return {}
    changed = {kind: bool(granted) for kind, granted in (wanted or {}).items()
               if kind in CHANGEABLE and bool(granted) != entry.consent(kind)}
    if not changed:
        raise FamilyRequestError(_l("These are the consents already given: nothing to change."))
    return changed


def _consent_details(request: Request) -> dict:
    return {"consents": request.consents} if request.action == CONSENTS else {}


def _state(entry: Entry) -> str:
    """A fingerprint of what a request changes: any change makes older links useless."""
    parts = [entry.status.value, str(entry.personal_data_erased_at)]
    parts += sorted(f"{c.kind}:{c.granted}:{c.version}:{c.at.isoformat()}" for c in entry.consents)
    return hashlib.sha256("|".join(parts).encode()).hexdigest()[:16]


def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt=SALT)


def _token(request: Request) -> str:
    return _serializer().dumps({"entry": request.entry.id, "action": request.action,
                                "consents": request.consents, "state": _state(request.entry)})


def read_link(token: str) -> Request:
    """The request a confirmation link carries, if it can still be carried out."""
    try:
        data = _serializer().loads(token, max_age=LINK_DAYS * 86400)
    except SignatureExpired as e:
        raise FamilyRequestError(_l("This link has expired. Ask again on the status page.")) from e
    except BadSignature as e:
        raise FamilyRequestError(
            _l("This link is not valid. Check that it was copied whole.")) from e
    entry = db.session.get(Entry, data.get("entry", 0))
    if entry is None or entry.personal_data_erased_at or data.get("state") != _state(entry):
        raise FamilyRequestError(_l("This link has already been used, or the drawing has "
                                    "changed since it was sent. Ask again on the status page."))
    request = Request(entry, data.get("action", ""), data.get("consents") or {})
    _checked(entry, request.action, request.consents)
    return request


def carry_out(request: Request, via: str = "email") -> None:
    """Do what the family asked for, and log it. Flushes (an erasure commits, as
    ``erase_personal_data`` does)."""
    entry = request.entry
    if request.action == WITHDRAW:
        before = entry.status
        entry.status, entry.status_reason = EntryStatus.WITHDRAWN, ""
        audit.record("entry.withdraw", entry, before=before.value, after=entry.status.value,
                     via=via)
        db.session.flush()
    elif request.action == CONSENTS:
        _change_consents(entry, request.consents, via)
        db.session.flush()
    elif request.action == ERASE:
        audit.record("entry.family_erase", entry, via=via)
        erase_personal_data(entry, by="family")  # commits, with its own log row


def _change_consents(entry: Entry, wanted: dict[str, bool], via: str) -> None:
    texts = {c.kind: c for c in consents.ALL}
    rows = {c.kind: c for c in entry.consents}
    for kind, granted in wanted.items():
        row = rows.get(kind)
        if row is None:
            row = Consent(kind=kind)
            entry.consents.append(row)
        row.granted, row.version, row.at = granted, texts[kind].version, utcnow()
        details = {"kind": kind, "after": granted, "version": row.version, "via": via}
        if kind == "print" and not granted:
            # A printed calendar cannot be recalled: the organizers must hear of it.
            details["exports"] = [x.id for x in exports_with(entry)]
        audit.record("entry.consent_change", entry, **details)


def exports_with(entry: Entry) -> list[CalendarExport]:
    """The calendar exports whose pages hold ``entry``'s drawing (their preflight names every
    image ``entry-<id>.jpg``)."""
    name = f"entry-{entry.id}.jpg"
    found = db.session.scalars(select(CalendarExport).where(
        CalendarExport.contest_id == entry.contest_id).order_by(CalendarExport.id))
    return [x for x in found
            if any(image.get("source") == name
                   for page in (x.report or {}).get("pages", [])
                   for image in page.get("images", []))]


@dataclass(frozen=True)
class PrintWithdrawn:
    """A consent to print withdrawn after exports that hold the drawing."""

    entry_id: int
    at: object
    versions: list[int]


def print_withdrawn_after_export(contest_id: int, region_id: int | None) -> list[PrintWithdrawn]:
    """For a calendar's page: consents to print withdrawn after one of its exports held the
    drawing, newest first."""
    versions = {x.id: x.version for x in db.session.scalars(select(CalendarExport).where(
        CalendarExport.contest_id == contest_id,
        CalendarExport.region_id.is_(None) if region_id is None
        else CalendarExport.region_id == region_id))}
    rows = db.session.scalars(select(AuditLog).where(
        AuditLog.contest_id == contest_id, AuditLog.action == "entry.consent_change")
        .order_by(AuditLog.id.desc()))
    found = []
    for row in rows:
        held = [versions[x] for x in row.details.get("exports") or [] if x in versions]
        if held:
            found.append(PrintWithdrawn(row.object_id, row.at, sorted(held)))
    return found
