"""The audit log: one call records who did what, in the caller's transaction."""

from flask import has_request_context, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from .extensions import db
from .models import AuditLog, EntryStatus, Phase, StageStatus


def record(action: str, obj, contest_id: int | None = None, **details) -> AuditLog:
    """Add an audit row for ``obj`` (flushed, committed with the change it describes)."""
    signed_in = getattr(current_user, "is_authenticated", False)
    user_id = current_user.id if signed_in else None
    # Staff only: a family's address is not theirs to keep.
    address = request.remote_addr if signed_in and has_request_context() else None
    if contest_id is None:
        contest_id = getattr(obj, "contest_id", None)
        if contest_id is None and type(obj).__name__ == "Contest":
            contest_id = obj.id
    row = AuditLog(user_id=user_id, contest_id=contest_id, action=action,
                   object_type=type(obj).__name__.lower(), object_id=getattr(obj, "id", None),
                   details={k: _plain(v) for k, v in details.items()}, address=address)
    db.session.add(row)
    return row


def _plain(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


FREE_TEXT = ("reason", "note", "comment")
ERASED = "—"


def about_entry(entry) -> list[AuditLog]:
    """The log's rows about one entry, oldest first: its own, and the jury's that name it."""
    rows = db.session.scalars(select(AuditLog).where(AuditLog.contest_id == entry.contest_id)
                              .order_by(AuditLog.id))
    return [row for row in rows if (row.object_type == "entry" and row.object_id == entry.id)
            or row.details.get("entry") == entry.id]


def forget_texts(entry) -> None:
    """Blank what people wrote about ``entry`` in the log (a reason, a note): it may name the
    child. Who did what and when stays."""
    for row in about_entry(entry):
        if any(row.details.get(key) for key in FREE_TEXT):
            row.details = {key: ERASED if key in FREE_TEXT and value else value
                           for key, value in row.details.items()}


# --- reading the log ------------------------------------------------------------------------

ACTIONS = {
    "contest.create": _l("Contest created"), "contest.update": _l("Contest edited"),
    "contest.copy": _l("Contest started from an earlier edition"),
    "contest.certificate_people": _l("Certificates' signatures and logo set"),
    "contest.phase": _l("Contest phase changed"), "contest.regions": _l("Regions chosen"),
    "contest.purge_contacts": _l("Families' contacts deleted"),
    "category.add": _l("Age category added"), "category.remove": _l("Age category removed"),
    "criterion.add": _l("Criterion added"), "criterion.remove": _l("Criterion removed"),
    "user.create": _l("Account created"), "user.reset_password": _l("Password reset"),
    "user.change_password": _l("Password changed"), "user.activate": _l("Account enabled"),
    "user.deactivate": _l("Account disabled"), "user.invite": _l("Invitation sent"),
    "user.password_link": _l("Password link sent"),
    "entry.submit": _l("Drawing received"), "entry.moderate": _l("Moderation decision"),
    "entry.rotate": _l("Drawing turned"),
    "entry.sideways": _l("A juror flagged the drawing as sideways"),
    "entry.sideways_cleared": _l("Sideways flag cleared"), "entry.masks": _l("Jury copy masked"),
    "entry.new_photo": _l("New photo from the family"),
    "entry.erase_personal_data": _l("Child's data erased"),
    "entry.family_request": _l("Family's request, link sent"),
    "entry.withdraw": _l("Drawing withdrawn by the family"),
    "entry.consent_change": _l("Consent changed by the family"),
    "entry.family_erase": _l("Erasure asked for by the family"),
    "entry.withdraw_after_erasure": _l("Files withdrawn after an erasure"),
    "sheet.conflict": _l("Conflict of interest declared"),
    "sheet.conflict_withdrawn": _l("Conflict of interest withdrawn"),
    "stage.juror_add": _l("Juror added"), "stage.juror_remove": _l("Juror removed"),
    "stage.settings": _l("Jury settings changed"), "stage.status": _l("Jury stage moved"),
    "stage.publish": _l("Results published"), "stage.override": _l("Finalist decision"),
    "stage.override_dropped": _l("Finalist decision dropped"),
    "calendar.assign": _l("Calendar page assigned"),
    "calendar.override": _l("Calendar rule overridden"), "fact.save": _l("Fact saved"),
}
OBJECTS = {
    "contest": _l("contest"), "entry": _l("entry"), "stage": _l("jury stage"),
    "user": _l("account"), "agecategory": _l("age category"), "criterion": _l("criterion"),
    "fact": _l("fact"),
}
DETAILS = {
    "before": _l("before"), "after": _l("after"), "reason": _l("reason"), "note": _l("note"),
    "entry": _l("entry"), "juror": _l("juror"), "role": _l("role"), "email": _l("email"),
    "stage": _l("stage"), "year": _l("year"), "fields": _l("fields"), "name": _l("name"),
    "ages": _l("ages"), "weight": _l("weight"), "entries": _l("entries"), "via": _l("via"),
    "degrees": _l("degrees"), "logo": _l("logo"), "count": _l("count"), "finalist": _l("finalist"),
    "finalists": _l("finalists"), "version": _l("version"), "slot": _l("page"),
    "region": _l("region"), "rule": _l("rule"), "message": _l("rule"),
    "finalists_per_category": _l("finalists per category"),
    "by": _l("at the request of"), "calendar_pages": _l("calendar pages emptied"),
    "exports_withdrawn": _l("calendar exports withdrawn"),
    "jobs_withdrawn": _l("generated files withdrawn"),
    "messages": _l("messages"),
    "scheduled": _l("by the retention schedule"),
    "jurors_per_entry": _l("jurors per entry"),
    "what": _l("request"), "kind": _l("consent"), "consents": _l("consents"),
    "exports": _l("in calendar exports"),
}


# who asked for an erasure (``entries.ERASED_BY``)
REQUESTED_BY = {"staff": _l("an organizer"), "family": _l("the family")}


def action_label(action: str) -> str:
    return str(ACTIONS.get(action, action))


def object_label(row: AuditLog) -> str:
    kind = str(OBJECTS.get(row.object_type, row.object_type))
    return f"{kind} №{row.object_id}" if row.object_id is not None else kind


def details_text(row: AuditLog) -> str:
    """The row's details as people read them: "before: Draft; after: Submissions open"."""
    return "; ".join(f"{DETAILS.get(key, key)}: {_value(_worded(key, value))}"
                     for key, value in row.details.items() if value not in (None, "", []))


def _worded(key: str, value):
    return REQUESTED_BY.get(value, value) if key == "by" else value


def _value(value) -> str:
    if isinstance(value, bool):
        return str(_l("yes") if value else _l("no"))
    if isinstance(value, list):
        return ", ".join(_value(v) for v in value)
    for kind in (Phase, StageStatus, EntryStatus):  # the states the log records by value
        try:
            return kind(value).label
        except ValueError:
            continue
    return str(value)


def newest(page: int, size: int) -> tuple[list[AuditLog], bool]:
    """One page of the log, newest first, and whether older rows follow."""
    rows = list(db.session.scalars(select(AuditLog).order_by(AuditLog.id.desc())
                                   .offset((page - 1) * size).limit(size + 1)))
    return rows[:size], len(rows) > size
