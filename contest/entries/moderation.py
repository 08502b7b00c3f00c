"""Moderation: the coordinator accepts, rejects or asks for a better photo, while the region's
moderation lasts; the family is told of each decision.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from .. import audit, notifications
from ..codes import normalize_code
from ..extensions import db
from ..models import Entry, EntryStatus, Phase, StageStatus
from ..uploads.files import upload_limits
from .submission import EntryError

NEEDS_REASON = (EntryStatus.REJECTED, EntryStatus.NEEDS_PHOTO)
MODERATION_PHASES = (Phase.SUBMISSIONS_OPEN, Phase.REGIONAL_JUDGING)


class ModerationClosed(EntryError):
    """The entry can no longer be moderated (``moderation_closed`` says why)."""

    def __init__(self, reason: str):
        super().__init__({"": reason})


def moderation_closed(entry: Entry) -> str | None:
    """Why the entry can no longer be moderated, turned, masked or sent again; None while it can.

    Once the regional jury has the entries, a decision must stand: changing it would
    contradict the scores, the published results and what the family has been told.
    """
    if entry.personal_data_erased_at:
        return str(_l("The child's personal data has been erased; this entry can no longer "
                      "be changed."))
    if entry.status is EntryStatus.WITHDRAWN:
        return str(_l("The family withdrew this drawing from the contest."))
    if entry.stage.status is not StageStatus.MODERATION:
        return str(_l("Moderation in this region is over (the jury stage: %(stage)s); "
                      "decisions and images can no longer be changed.",
                      stage=entry.stage.status.label))
    if entry.contest.phase not in MODERATION_PHASES:
        return str(_l("Moderation is over (the contest: %(phase)s); decisions and images can "
                      "no longer be changed.", phase=entry.contest.phase.label))
    return None


def require_moderation_open(entry: Entry) -> None:
    """Raise ModerationClosed unless the entry may still be moderated."""
    reason = moderation_closed(entry)
    if reason:
        raise ModerationClosed(reason)


def moderate(entry: Entry, status: EntryStatus, reason: str = "", note: str | None = None) -> None:
    """Accept, reject or ask for a better photo; the family is told by email. Flushes.

    ``reason`` is written for the family (status page, e-mail); ``note`` is the staff's own
    and never leaves the staff pages (None keeps the note as it is).
    """
    require_moderation_open(entry)
    reason = reason.strip()
    if status in NEEDS_REASON and not reason:
        raise EntryError({"reason": _l("Please give the family a reason.")})
    before = entry.status
    entry.status, entry.status_reason = status, reason if status in NEEDS_REASON else ""
    details = {"before": before.value, "after": status.value, "reason": reason}
    if note is not None and note.strip() != entry.moderation_note:
        entry.moderation_note = details["note"] = note.strip()
    entry.new_photo_at = None  # the new photo has been looked at
    audit.record("entry.moderate", entry, **details)
    notifications.status_changed(entry)  # leaves with the decision's commit, or not at all
    db.session.flush()


def may_send_new_photo(entry: Entry) -> bool:
    """The coordinator asked the family for a better photo and can still look at it."""
    return entry.status is EntryStatus.NEEDS_PHOTO and moderation_closed(entry) is None


def status_counts(contest_id: int, stage_id: int | None = None) -> dict[EntryStatus, int]:
    query = select(Entry.status, func.count()).where(Entry.contest_id == contest_id)
    if stage_id is not None:
        query = query.where(Entry.stage_id == stage_id)
    counts = dict(db.session.execute(query.group_by(Entry.status)).all())
    return {status: counts.get(status, 0) for status in EntryStatus}


def next_waiting(entry: Entry) -> int | None:
    """The first other entry of the same stage still waiting for a decision."""
    return db.session.scalar(
        select(Entry.id).where(Entry.stage_id == entry.stage_id, Entry.id != entry.id,
                               Entry.status == EntryStatus.RECEIVED)
        .order_by(Entry.submitted_at, Entry.id).limit(1))


# --- the coordinator's list: search, filters, sort, pages -------------------------------------


@dataclass(frozen=True)
class ListQuery:
    """What the coordinator asked the list for."""

    status: EntryStatus | None = None
    category_id: int | None = None
    search: str = ""
    new_photo: bool = False  # the family sent a better photo since the last decision
    attention: bool = False  # too small for print, a better photo asked for, or sideways
    sort: str = "oldest"


SORTS = {
    "oldest": (Entry.submitted_at, Entry.id),
    "newest": (Entry.submitted_at.desc(), Entry.id.desc()),
    "child": (Entry.child_last_name, Entry.child_first_name, Entry.id),
    "town": (Entry.town, Entry.id),
    "resolution": (Entry.effective_dpi, Entry.id),
}


def moderation_list(stage_id: int, query: ListQuery, page: int, per_page: int):
    """One page of a regional stage's entries as ``query`` asks (a Flask-SQLAlchemy
    ``Pagination``: ``.items``, ``.total``, ``.pages``)."""
    statement = select(Entry).where(Entry.stage_id == stage_id)
    if query.status is not None:
        statement = statement.where(Entry.status == query.status)
    if query.category_id is not None:
        statement = statement.where(Entry.age_category_id == query.category_id)
    if query.new_photo:
        statement = statement.where(Entry.new_photo_at.is_not(None))
    if query.attention:
        statement = statement.where(or_(Entry.effective_dpi < upload_limits().min_dpi,
                                        Entry.status == EntryStatus.NEEDS_PHOTO,
                                        Entry.sideways_at.is_not(None)))
    if query.search.strip():
        statement = statement.where(_matches(query.search.strip()))
    statement = statement.order_by(*SORTS.get(query.sort, SORTS["oldest"]))
    return db.paginate(statement, page=page, per_page=per_page, error_out=False)


def _matches(term: str):
    """An entry's number (№ 123, its tracking code), or a piece of the child's name, the title,
    the school or the town, whatever the letters' case."""
    number = term.lstrip("№#").strip()
    if number.isdigit() and len(number) < 10:
        return or_(Entry.id == int(number), Entry.code == number)
    code = normalize_code(term)
    lowered = term.lower()
    texts = [func.lower(column).contains(lowered, autoescape=True) for column in (
        Entry.child_first_name, Entry.child_last_name, Entry.title, Entry.institution,
        Entry.town)]
    full_name = func.lower(Entry.child_first_name + " " + Entry.child_last_name)
    return or_(*texts, full_name.contains(lowered, autoescape=True), Entry.code == code)


def accept_all(entries_: list[Entry]) -> int:
    """Accept each of ``entries_`` still waiting for a decision (the coordinator's bulk action,
    confirmed on the page); returns how many were accepted."""
    accepted = 0
    for entry in entries_:
        if entry.status is EntryStatus.RECEIVED and moderation_closed(entry) is None:
            moderate(entry, EntryStatus.ACCEPTED)
            accepted += 1
    return accepted


def counts_by_contest() -> dict[int, int]:
    """Entries per edition, by contest id."""
    return dict(db.session.execute(select(Entry.contest_id, func.count())
                                   .group_by(Entry.contest_id)).all())


def counts_by_stage(contest_id: int) -> dict[int, int]:
    """Entries per regional stage of one edition, by stage id."""
    return dict(db.session.execute(select(Entry.stage_id, func.count())
                                   .where(Entry.contest_id == contest_id)
                                   .group_by(Entry.stage_id)).all())


def still_stored(ids) -> list[Entry]:
    """The entries of ``ids`` whose child's data is not erased, by number (a batch's codes)."""
    return [e for e in db.session.scalars(select(Entry).where(Entry.id.in_(ids))
                                          .order_by(Entry.id))
            if not e.personal_data_erased_at]
