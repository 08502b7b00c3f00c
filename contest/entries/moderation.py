"""Moderation: the coordinator accepts, rejects or asks for a better photo, while the region's
moderation lasts; the family is told of each decision.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import audit, notifications
from ..extensions import db
from ..models import Entry, EntryStatus, Phase, StageStatus
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
    """Accept, reject or ask for a better photo; the family is told by email. Commits.

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
    audit.record("entry.moderate", entry, **details)
    notifications.status_changed(entry)  # leaves with the decision's commit, or not at all
    db.session.commit()


def may_send_new_photo(entry: Entry) -> bool:
    """The coordinator asked the family for a better photo and can still look at it."""
    return entry.status is EntryStatus.NEEDS_PHOTO and moderation_closed(entry) is None


def status_counts(contest_id: int, stage_id: int | None = None) -> dict[EntryStatus, int]:
    query = select(Entry.status, func.count()).where(Entry.contest_id == contest_id)
    if stage_id is not None:
        query = query.where(Entry.stage_id == stage_id)
    counts = dict(db.session.execute(query.group_by(Entry.status)).all())
    return {status: counts.get(status, 0) for status in EntryStatus}


def moderation_queue(stage_id: int, status: EntryStatus | None = None) -> list[Entry]:
    """A regional stage's entries in the order they came: all, or those with ``status``."""
    query = select(Entry).where(Entry.stage_id == stage_id)
    if status is not None:
        query = query.where(Entry.status == status)
    return list(db.session.scalars(query.order_by(Entry.submitted_at, Entry.id)))


def next_waiting(entry: Entry) -> int | None:
    """The first other entry of the same stage still waiting for a decision."""
    return db.session.scalar(
        select(Entry.id).where(Entry.stage_id == entry.stage_id, Entry.id != entry.id,
                               Entry.status == EntryStatus.RECEIVED)
        .order_by(Entry.submitted_at, Entry.id).limit(1))
