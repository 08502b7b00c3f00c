"""Jurors and assignments: who sits on a stage's jury, and which entries each juror scores
when not every juror scores every entry."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select

from ... import audit
from ...contests import RuleError
from ...extensions import db
from ...models import Entry, Role, Stage, StageStatus, User
from ...rules import MIN_JURORS_PER_ENTRY, TOO_FEW_JURORS
from .. import assignment, notices
from ..models import Assignment, Sheet
from .pool import Progress, in_pool, progress


def juror_progress(stage: Stage) -> list[tuple[User, Progress]]:
    """Every juror of the stage with their progress: for the coordinator, never for jurors."""
    return [(j, progress(stage, j)) for j in stage.jurors]


def jurors_to_add(stage: Stage) -> list[User]:
    """The active jurors' accounts not yet on this stage's jury, by name."""
    return [u for u in db.session.scalars(select(User).where(User.role == Role.JUROR, User.active)
                                          .order_by(User.name)) if u not in stage.jurors]


def add_juror(stage: Stage, juror: User) -> None:
    if juror.role is not Role.JUROR:
        raise RuleError(_l("Only a juror's account can join a jury."))
    if stage.status is StageStatus.PUBLISHED:
        raise RuleError(_l("The results of this stage are published."))
    if juror not in stage.jurors:
        stage.jurors.append(juror)
        audit.record("stage.juror_add", stage, juror=juror.id)
        db.session.flush()
        sync_assignments(stage)
        notices.juror_added(stage, juror)


def remove_juror(stage: Stage, juror: User) -> None:
    """Take a juror off the stage; their marks stay stored but no longer count."""
    if stage.status is StageStatus.PUBLISHED:
        raise RuleError(_l("The results of this stage are published."))
    if juror in stage.jurors:
        stage.jurors.remove(juror)
        audit.record("stage.juror_remove", stage, juror=juror.id)
        db.session.flush()
        sync_assignments(stage)


def sync_assignments(stage: Stage) -> None:
    """Make the stored assignment fit the stage's entries, jurors and setting, moving little.

    Only while judging is open and a number of jurors per entry is set; otherwise every juror
    scores every entry and no assignment is stored.
    """
    current = set(db.session.execute(select(Assignment.entry_id, Assignment.juror_id)
                                     .where(Assignment.stage_id == stage.id)).all())
    wanted: frozenset[tuple[int, int]] = frozenset()
    if stage.status is StageStatus.JUDGING_OPEN and stage.jurors_per_entry is not None:
        entry_ids = db.session.scalars(select(Entry.id).where(in_pool(stage))).all()
        started = db.session.execute(select(Sheet.entry_id, Sheet.juror_id).where(
            Sheet.stage_id == stage.id))
        wanted = assignment.plan(entry_ids, [j.id for j in stage.jurors], stage.jurors_per_entry,
                                 current=current, started=started, seed=stage.id)
    gone = current - wanted
    for entry_id, juror_id in gone:
        db.session.execute(delete(Assignment).where(
            Assignment.stage_id == stage.id, Assignment.entry_id == entry_id,
            Assignment.juror_id == juror_id))
    db.session.add_all(Assignment(stage_id=stage.id, entry_id=e, juror_id=j)
                       for e, j in wanted - current)
    db.session.flush()


def update_settings(stage: Stage, finalists_per_category: int,
                    jurors_per_entry: int | None) -> None:
    """How many finalists per age category go on; how many jurors score each entry (None: all)."""
    if stage.status not in (StageStatus.MODERATION, StageStatus.JUDGING_OPEN):
        raise RuleError(_l("The settings are fixed once judging has closed."))
    if finalists_per_category < 0:
        raise RuleError(_l("The number of finalists cannot be negative."))
    if jurors_per_entry is not None and jurors_per_entry < MIN_JURORS_PER_ENTRY:
        raise RuleError(TOO_FEW_JURORS % {"min": MIN_JURORS_PER_ENTRY})
    before = (stage.finalists_per_category, stage.jurors_per_entry)
    stage.finalists_per_category = finalists_per_category
    stage.jurors_per_entry = jurors_per_entry
    if before != (finalists_per_category, jurors_per_entry):
        audit.record("stage.settings", stage, finalists_per_category=finalists_per_category,
                     jurors_per_entry=jurors_per_entry)
        db.session.flush()
        sync_assignments(stage)
