"""The entries of a stage: which it judges, which a juror scores, and how far each juror is."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import and_, func, select, true, tuple_

from ...extensions import db
from ...models import Entry, EntryStatus, Role, Stage, StageKind, User
from ..models import Assignment, Sheet


def in_pool(stage: Stage):
    """SQL condition for the entries a stage judges.

    A regional stage judges its region's accepted entries; the national stage the finalists
    of every published regional stage of its contest.
    """
    if stage.kind is StageKind.REGIONAL:
        return and_(Entry.stage_id == stage.id, Entry.status == EntryStatus.ACCEPTED)
    return and_(Entry.contest_id == stage.contest_id, Entry.award.is_not(None))


def pool_size(stage: Stage) -> int:
    return db.session.scalar(select(func.count()).select_from(Entry).where(in_pool(stage)))


def pooled_entries(stage: Stage) -> list[Entry]:
    """The entries a stage judges, by region, age category and arrival."""
    return list(db.session.scalars(select(Entry).where(in_pool(stage)).order_by(
        Entry.stage_id, Entry.age_category_id, Entry.id)))


def judged_by(user: User, stage: Stage) -> bool:
    return user.role is Role.JUROR and any(s.id == stage.id for s in user.juror_stages)


def juror_entries(stage: Stage, juror: User):
    """SQL query of the entries ``juror`` is asked to score, in the order they are served."""
    query = select(Entry).where(in_pool(stage))
    if stage.jurors_per_entry is not None:
        query = query.join(Assignment, and_(Assignment.entry_id == Entry.id,
                                            Assignment.stage_id == stage.id,
                                            Assignment.juror_id == juror.id))
    return query.order_by(Entry.age_category_id, Entry.submitted_at, Entry.id)


def juror_entry(stage: Stage, juror: User, entry_id: int) -> Entry | None:
    """The entry if ``juror`` is asked to score it in ``stage``, else None."""
    return db.session.scalar(juror_entries(stage, juror).where(Entry.id == entry_id))


@dataclass(frozen=True)
class Progress:
    done: int
    total: int

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 100


def _done_sheets(stage: Stage, juror: User):
    """The juror's sheets that need nothing more: complete, or declared a conflict."""
    return select(Sheet.entry_id).where(Sheet.stage_id == stage.id, Sheet.juror_id == juror.id,
                                        (Sheet.complete == true()) | (Sheet.conflict == true()))


def progress(stage: Stage, juror: User) -> Progress:
    """How many of the juror's entries are done ("37 of 120")."""
    entries = juror_entries(stage, juror).with_only_columns(Entry.id).order_by(None).subquery()
    total = db.session.scalar(select(func.count()).select_from(entries))
    done = db.session.scalar(select(func.count()).select_from(entries).where(
        entries.c.id.in_(_done_sheets(stage, juror))))
    return Progress(done, total)


def next_unscored(stage: Stage, juror: User, after: Entry | None = None) -> Entry | None:
    """The juror's next entry still to score: the first after ``after``, else the first."""
    query = juror_entries(stage, juror).where(Entry.id.not_in(_done_sheets(stage, juror)))
    if after is None:
        return db.session.scalar(query.limit(1))
    position = tuple_(Entry.age_category_id, Entry.submitted_at, Entry.id)
    following = db.session.scalar(query.where(
        position > tuple_(after.age_category_id, after.submitted_at, after.id)).limit(1))
    return following or db.session.scalar(query.where(Entry.id != after.id).limit(1))


def sheet_of(stage: Stage, juror: User, entry: Entry) -> Sheet | None:
    return db.session.scalar(select(Sheet).where(
        Sheet.stage_id == stage.id, Sheet.juror_id == juror.id, Sheet.entry_id == entry.id))


def sheets_by_entry(stage: Stage, juror: User, entry_ids: list[int]) -> dict[int, Sheet]:
    found = db.session.scalars(select(Sheet).where(
        Sheet.stage_id == stage.id, Sheet.juror_id == juror.id, Sheet.entry_id.in_(entry_ids)))
    return {s.entry_id: s for s in found}
