"""The audit log: one call records who did what, in the caller's transaction.

What the system itself writes into a row is stored as words to translate, never as text in
the language of whoever caused it: the action, the object and the details' names are keys
(``ACTIONS``, ``OBJECTS``, ``DETAILS``), known values are keys too (``WORDS``: the rule
overridden, the way a request came, a consent's kind), and a translatable message passed as
a detail (``lazy_gettext``) is kept as its msgid and parameters (``said``). All are put into
the reader's language when the log is shown; rows written before this keep their text.
"""

from flask import has_request_context, request
from flask_babel import gettext, ngettext
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
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
    if isinstance(value, LazyString):
        return said(value)
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


def said(message: LazyString) -> dict:
    """A translatable message as the log keeps it: its msgid (and plural) and parameters, to
    be translated for each reader (``_value``)."""
    args, params = message._args, {k: _plain(v) for k, v in message._kwargs.items()}
    if len(args) == 3:  # lazy_ngettext(singular, plural, num)
        return {"msgid": args[0], "plural": args[1], "num": args[2], "params": params}
    return {"msgid": args[-1], "params": params}


def _translated(message: dict) -> str:
    params = {k: _value(v) if isinstance(v, dict) else v
              for k, v in (message.get("params") or {}).items()}
    try:
        if "plural" in message:
            return ngettext(message["msgid"], message["plural"], message["num"], **params)
        return gettext(message["msgid"], **params)
    except (KeyError, ValueError, TypeError):  # a msgid whose parameters changed since
        return str(message["msgid"])


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
    "category.update": _l("Age category edited"), "criterion.update": _l("Criterion edited"),
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


# Values the system writes, by detail, in words (the rule an organizer overrode, how a
# family's request came, which consent changed).
WORDS = {
    "by": REQUESTED_BY,
    "rule": {
        "complete": _l("every page has a drawing"),
        "categories": _l("every age category represented"),
        "per_region": _l("drawings per region"), "one_per_child": _l("one drawing per child"),
        "consent": _l("consent to print"), "days_off": _l("days off known"),
        "resolution": _l("sharp enough to print"), "soft": _l("soft in print"),
        "orientation": _l("drawing's shape suits its page"),
    },
    "via": {"form": _l("the form"), "batch": _l("a school's list"),
            "email": _l("a link by email"), "names": _l("the child's names"),
            "demo": _l("the demo")},
    "what": {"withdraw": _l("withdraw the drawing"), "erase": _l("erase the child's data"),
             "consents": _l("change consents")},
    "kind": {"personal_data": _l("processing of personal data"),
             "show_name": _l("showing the child's name"), "print": _l("printing the drawing")},
}


def _worded(key: str, value):
    if isinstance(value, str):
        return WORDS.get(key, {}).get(value, value)
    return value


def _value(value) -> str:
    if isinstance(value, dict) and "msgid" in value:
        return _translated(value)
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
