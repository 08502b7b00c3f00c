"""Published results: what the public pages and the families' status pages show."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import joinedload, selectinload

from ...extensions import db
from ...models import AgeCategory, Contest, Entry, Phase, Stage, StageKind
from ..models import Placement, StageResult
from .ranking import stored_results


def published_finalists(stage: Stage) -> list[tuple[Placement, Entry]]:
    """A published stage's finalists (the national stage's: winners), by age category and rank."""
    stored = stored_results(stage)
    if stored is None or stored.published_at is None:
        return []
    return list(db.session.execute(
        select(Placement, Entry).join(Entry, Entry.id == Placement.entry_id)
        .join(AgeCategory, AgeCategory.id == Placement.category_id)
        .where(Placement.stage_id == stage.id, Placement.entry_id.in_(stored.finalists))
        .order_by(AgeCategory.min_age, Placement.rank)
        # what the public pages show of each, loaded with it: no query per finalist
        .options(selectinload(Entry.consents), joinedload(Entry.age_category),
                 joinedload(Entry.stage).joinedload(Stage.region))).all())


def editions_with_results(national_only: bool = False) -> list[Contest]:
    """The contests, newest first, where a stage (or the national stage) published results."""
    published = select(Stage.contest_id).join(StageResult, StageResult.stage_id == Stage.id) \
        .where(StageResult.published_at.is_not(None))
    if national_only:
        published = published.where(Stage.kind == StageKind.NATIONAL)
    return list(db.session.scalars(select(Contest).where(
        Contest.id.in_(published), Contest.phase != Phase.DRAFT).order_by(Contest.year.desc())))


def juries_done(entry: Entry) -> tuple[bool, bool]:
    """For the family's status page: has the regional jury, and the national one, decided on
    this entry (its stage's results are published)?"""
    regional = published_at(entry.stage) is not None
    national = entry.contest.national_stage
    return regional, bool(entry.award is not None and national and published_at(national))


def published_at(stage: Stage) -> datetime | None:
    stored = stored_results(stage)
    return stored.published_at if stored else None
