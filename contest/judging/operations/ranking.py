"""Results and overrides: the stored ranking as the staff read it, and their decisions on
finalists (with a reason, in the audit log)."""

from __future__ import annotations

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select, true

from ... import audit
from ...contests import RuleError
from ...extensions import db
from ...models import Entry, Stage, StageStatus
from ..models import Placement, Sheet, StageResult


def stored_results(stage: Stage) -> StageResult | None:
    return db.session.get(StageResult, stage.id)


def juror_stats(stage: Stage) -> list[dict]:
    """Each juror's leniency and sheet counts as stored with the results (``JurorStats``)."""
    return db.session.scalar(select(StageResult.jurors).where(
        StageResult.stage_id == stage.id)) or []


def placements(stage: Stage, category_id: int, offset: int = 0, limit: int = 100
               ) -> list[Placement]:
    """One page of an age category's ranking, best first."""
    return list(db.session.scalars(
        select(Placement).where(Placement.stage_id == stage.id,
                                Placement.category_id == category_id)
        .order_by(Placement.rank).offset(offset).limit(limit)))


def entry_titles(entry_ids: list[int]) -> dict[int, str]:
    """The titles of the entries on one page of a ranking (placements keep only their ids)."""
    return dict(db.session.execute(
        select(Entry.id, Entry.title).where(Entry.id.in_(entry_ids))).all())


def category_counts(stage: Stage) -> dict[int, int]:
    return dict(db.session.execute(
        select(Placement.category_id, func.count()).where(Placement.stage_id == stage.id)
        .group_by(Placement.category_id)).all())


@dataclass(frozen=True)
class FinalistCount:
    """An age category's finalists (the national stage's: winners), staff decisions included."""

    finalists: int
    decisions: int  # entries the staff moved into or out of the finalists


def finalist_counts(stage: Stage) -> dict[int, FinalistCount]:
    """Per age category, how many finalists the results give once the staff's decisions apply."""
    finalist = func.coalesce(Placement.finalist_override, Placement.computed_finalist)
    return {category: FinalistCount(int(finalists or 0), decisions)
            for category, finalists, decisions in db.session.execute(
                select(Placement.category_id,
                       func.sum(case((finalist == true(), 1), else_=0)),
                       func.count(Placement.finalist_override))
                .where(Placement.stage_id == stage.id).group_by(Placement.category_id))}


def forget_texts(entry: Entry) -> None:
    """On a family's erasure request: what people wrote about the entry (jurors' comments and
    conflict notes, override reasons) goes; marks, ranks and decisions stay, so results hold."""
    for sheet in db.session.scalars(select(Sheet).where(Sheet.entry_id == entry.id)):
        sheet.comment = sheet.conflict_note = ""
    for found in db.session.scalars(select(Placement).where(Placement.entry_id == entry.id)):
        found.override_reason = audit.ERASED if found.override_reason else ""


def placement(stage: Stage, entry_id: int) -> Placement | None:
    return db.session.get(Placement, (stage.id, entry_id))


def override(stage: Stage, entry_id: int, finalist: bool, reason: str) -> Placement:
    """Move an entry into or out of the finalists; the reason goes in the audit log."""
    if stage.status is not StageStatus.JUDGING_CLOSED:
        raise RuleError(_l("Finalists can be changed only while judging is closed and the "
                           "results are not published."))
    if not reason.strip():
        raise RuleError(_l("Give the reason for this decision."))
    found = placement(stage, entry_id)
    if found is None:
        raise RuleError(_l("This entry is not in the stage's results."))
    if finalist and found.jurors == 0:
        raise RuleError(_l("An entry without any counted score cannot be a finalist."))
    found.finalist_override = None if finalist == found.computed_finalist else finalist
    found.override_reason = reason.strip() if found.finalist_override is not None else ""
    audit.record("stage.override", stage, entry=entry_id, finalist=finalist,
                 reason=reason.strip())
    db.session.flush()
    return found
