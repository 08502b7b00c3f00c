"""Score sheets: a juror's marks and comment, revisable while judging is open, and conflicts
of interest declared instead of marks."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, true
from sqlalchemy.dialects import postgresql, sqlite

from ... import audit
from ...contests import RuleError
from ...extensions import db
from ...models import Entry, Stage, StageKind, StageStatus, User, utcnow
from ..models import Mark, Sheet
from .pool import sheet_of

INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


def _require_open(stage: Stage) -> None:
    if stage.status is not StageStatus.JUDGING_OPEN:
        raise RuleError(_l("Judging is not open in this stage: marks cannot change."))


def _own_sheet(stage: Stage, juror: User, entry: Entry) -> Sheet:
    """The juror's sheet for the entry, made if missing, locked until the commit.

    Made by an upsert and read back locked, so that two saves at the same moment (a double
    click) are one sheet saved twice in turn, never a unique-constraint error.
    """
    key = {"stage_id": stage.id, "juror_id": juror.id, "entry_id": entry.id}
    insert = INSERTS[db.session.get_bind().dialect.name]
    db.session.execute(insert(Sheet).values(**key).on_conflict_do_nothing(
        index_elements=list(key)))
    return db.session.scalars(select(Sheet).filter_by(**key).with_for_update()
                              .execution_options(populate_existing=True)).one()


def save_sheet(stage: Stage, juror: User, entry: Entry, marks: dict[int, int],
               comment: str = "", calendar_candidate: bool = False) -> Sheet:
    """Save a juror's marks (criterion id → mark) and comment; revisable while judging is open.

    Only the national jury marks calendar candidates.
    """
    _require_open(stage)
    contest = stage.contest
    criteria = {c.id for c in contest.criteria}
    if set(marks) - criteria or any(not contest.scale_min <= v <= contest.scale_max
                                    for v in marks.values()):
        raise RuleError(_l("A mark is off the scale."))
    sheet = _own_sheet(stage, juror, entry)
    if sheet.conflict:
        raise RuleError(_l("You declared a conflict of interest on this drawing."))
    sheet.marks = [Mark(criterion_id=c, value=v) for c, v in sorted(marks.items())]
    sheet.complete = set(marks) == criteria
    sheet.comment = comment.strip()
    sheet.calendar_candidate = calendar_candidate and stage.kind is StageKind.NATIONAL
    sheet.updated_at = utcnow()
    db.session.flush()
    return sheet


def declare_conflict(stage: Stage, juror: User, entry: Entry, note: str = "") -> Sheet:
    """The juror will not score this entry (their own child or pupil); the coordinator sees it."""
    _require_open(stage)
    sheet = _own_sheet(stage, juror, entry)
    sheet.conflict = True
    sheet.conflict_note = note.strip()[:300]
    db.session.flush()
    audit.record("sheet.conflict", stage, entry=entry.id, juror=juror.id, note=sheet.conflict_note)
    return sheet


def withdraw_conflict(stage: Stage, juror: User, entry: Entry) -> None:
    _require_open(stage)
    sheet = sheet_of(stage, juror, entry)
    if sheet is not None and sheet.conflict:
        sheet.conflict = False
        sheet.conflict_note = ""
        audit.record("sheet.conflict_withdrawn", stage, entry=entry.id, juror=juror.id)


def conflicts(stage: Stage) -> list[Sheet]:
    """Declared conflicts of interest, for the coordinator."""
    return list(db.session.scalars(select(Sheet).where(
        Sheet.stage_id == stage.id, Sheet.conflict == true()).order_by(Sheet.updated_at)))
