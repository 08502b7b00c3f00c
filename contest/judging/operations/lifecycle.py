"""The stage's life: MODERATION → JUDGING_OPEN ⇄ JUDGING_CLOSED → PUBLISHED, with the rules
for each move; closing computes and stores the results, publishing freezes them and gives the
finalists their award."""

from __future__ import annotations

from flask_babel import gettext as _
from flask_babel import ngettext
from sqlalchemy import and_, delete, false, func, select, true

from ... import audit, notifications
from ...contests import RuleError
from ...extensions import db
from ...models import (
    Award,
    Contest,
    Entry,
    EntryStatus,
    Phase,
    Stage,
    StageKind,
    StageStatus,
    utcnow,
)
from .. import notices, results
from ..models import Assignment, Mark, Placement, Sheet, StageResult
from .jury import sync_assignments
from .pool import in_pool

# A close call is within this share of the scale's range of the finalist line
# (0.45 points on a 1–10 scale).
CLOSE_CALL_SHARE = 0.05

# The contest phase in which each kind of stage judges.
JUDGING_PHASE = {StageKind.REGIONAL: Phase.REGIONAL_JUDGING,
                 StageKind.NATIONAL: Phase.NATIONAL_JUDGING}

# Forward one step at a time; a closed stage may reopen until its results are published.
STATUS_MOVES: dict[StageStatus, tuple[StageStatus, ...]] = {
    StageStatus.MODERATION: (StageStatus.JUDGING_OPEN,),
    StageStatus.JUDGING_OPEN: (StageStatus.JUDGING_CLOSED,),
    StageStatus.JUDGING_CLOSED: (StageStatus.PUBLISHED, StageStatus.JUDGING_OPEN),
    StageStatus.PUBLISHED: (),
}


def status_problems(stage: Stage, target: StageStatus) -> list[str]:
    """Why ``stage`` cannot move to ``target`` now; empty when it can."""
    if target not in STATUS_MOVES[stage.status]:
        return [_("The stage cannot go from “%(a)s” to “%(b)s”.",
                  a=stage.status.label, b=target.label)]
    problems = []
    if target is StageStatus.JUDGING_OPEN:
        phase = JUDGING_PHASE[stage.kind]
        if stage.contest.phase is not phase:
            problems.append(_("Judging opens when the contest is in the phase “%(phase)s”.",
                              phase=phase.label))
        if not stage.jurors:
            problems.append(_("The stage has no jurors yet."))
        elif stage.jurors_per_entry and len(stage.jurors) < stage.jurors_per_entry:
            problems.append(ngettext("The stage needs at least %(num)s juror.",
                                     "The stage needs at least %(num)s jurors.",
                                     stage.jurors_per_entry))
        # A drawing waiting for a better photo needs a decision too: once judging opens, the
        # family can no longer send one.
        waiting = db.session.scalar(select(func.count()).select_from(Entry).where(
            Entry.stage_id == stage.id,
            Entry.status.in_((EntryStatus.RECEIVED, EntryStatus.NEEDS_PHOTO))))
        if waiting:
            problems.append(_("Entries still wait for moderation or for a better photo: "
                              "%(n)s.", n=waiting))
        if not db.session.scalar(select(func.count()).select_from(Entry).where(in_pool(stage))):
            problems.append(_("The stage has no entries to judge."))
    return problems


def change_status(stage: Stage, target: StageStatus) -> None:
    """Open, close, reopen or publish a stage's judging (see the module docstring)."""
    problems = status_problems(stage, target)
    if problems:
        raise RuleError(*problems)
    before = stage.status
    audit.record("stage.status", stage, before=before.value, after=target.value)
    if target is StageStatus.JUDGING_OPEN and before is StageStatus.JUDGING_CLOSED:
        _forget_results(stage)
    stage.status = target
    db.session.flush()
    if target is StageStatus.JUDGING_OPEN:
        sync_assignments(stage)
        if before is StageStatus.MODERATION:
            notices.judging_opened(stage)
    elif target is StageStatus.JUDGING_CLOSED:
        _store_results(stage, compute(stage))
    elif target is StageStatus.PUBLISHED:
        _publish(stage)


def close_call_margin(contest: Contest) -> float:
    return CLOSE_CALL_SHARE * (contest.scale_max - contest.scale_min)


def compute(stage: Stage) -> results.StageResults:
    """The stage's results from its stored sheets (the method is in ``results``).

    Only the sheets of the stage's current jurors on entries of its pool count.
    """
    contest = stage.contest
    criteria = [results.Criterion(c.id, float(c.weight), contest.scale_min, contest.scale_max)
                for c in contest.criteria]
    rows = db.session.execute(select(Entry.id, Entry.age_category_id).where(in_pool(stage))
                              .order_by(Entry.submitted_at, Entry.id)).all()
    entries = [results.EntryInfo(id, category, tiebreak_key=n)
               for n, (id, category) in enumerate(rows)]
    pool = {e.id for e in entries}
    jurors = [j.id for j in stage.jurors]
    counted = and_(Sheet.stage_id == stage.id, Sheet.juror_id.in_(jurors))
    scores = [results.Score(e, j, c, v) for e, j, c, v in db.session.execute(
        select(Sheet.entry_id, Sheet.juror_id, Mark.criterion_id, Mark.value)
        .join(Mark, Mark.sheet_id == Sheet.id).where(counted)) if e in pool]
    declared = [results.Conflict(e, j) for e, j in db.session.execute(
        select(Sheet.entry_id, Sheet.juror_id).where(counted, Sheet.conflict == true()))
        if e in pool]
    assigned = None
    if stage.jurors_per_entry is not None:
        assigned = [results.Assignment(e, j) for e, j in db.session.execute(
            select(Assignment.entry_id, Assignment.juror_id).where(
                Assignment.stage_id == stage.id, Assignment.juror_id.in_(jurors)))
            if e in pool]
    settings = results.Settings(stage.finalists_per_category, close_call_margin(contest))
    return results.compute_results(criteria, entries, jurors, scores, settings, declared,
                                   assigned)


def _store_results(stage: Stage, computed: results.StageResults) -> None:
    """Store freshly computed results, with the staff's decisions kept from before reopening.

    A decision applies again to its entry if the entry is still in the results, except one
    that would make an entry without any counted score a finalist (``override`` refuses that
    too): it is dropped, and the log says so.
    """
    decisions = {p.entry_id: (p.finalist_override, p.override_reason)
                 for p in db.session.scalars(select(Placement).where(
                     Placement.stage_id == stage.id, Placement.finalist_override.is_not(None)))}
    db.session.execute(delete(Placement).where(Placement.stage_id == stage.id))
    db.session.execute(delete(StageResult).where(StageResult.stage_id == stage.id))
    data = computed.to_dict()
    db.session.add(StageResult(stage_id=stage.id, version=computed.version, data=data,
                               jurors=data["jurors"]))
    for r in computed.entries:
        decided, reason = decisions.get(r.entry_id, (None, ""))
        if decided and not r.jurors:
            audit.record("stage.override_dropped", stage, entry=r.entry_id)
            decided, reason = None, ""
        db.session.add(Placement(
            stage_id=stage.id, entry_id=r.entry_id, category_id=r.category_id, rank=r.rank,
            raw_rank=r.raw_rank, jurors=r.jurors, raw_mean=r.raw_mean,
            adjusted_mean=r.adjusted_mean, computed_finalist=r.finalist,
            close_call=r.close_call, decided_by=r.decided_by, conflicts=r.conflicts,
            sheets=[line.__dict__ for line in r.sheets], finalist_override=decided,
            override_reason=reason))
    db.session.flush()


def _forget_results(stage: Stage) -> None:
    """On reopening: the computed results go; the placements holding a staff decision stay
    (out of sight: no page shows placements without stored results) for ``_store_results``."""
    db.session.execute(delete(Placement).where(Placement.stage_id == stage.id,
                                               Placement.finalist_override.is_(None)))
    db.session.execute(delete(StageResult).where(StageResult.stage_id == stage.id))


def _publish(stage: Stage) -> None:
    """Freeze the results; finalists get their award (the national stage's: winners)."""
    stored = db.session.get(StageResult, stage.id)
    placements = db.session.scalars(select(Placement).where(Placement.stage_id == stage.id))
    finalists = sorted(p.entry_id for p in placements if p.finalist)
    stored.finalists = finalists
    stored.published_at = utcnow()
    award = Award.FINALIST if stage.kind is StageKind.REGIONAL else Award.WINNER
    for entry in db.session.scalars(select(Entry).where(Entry.id.in_(finalists))):
        entry.award = award
    if stage.kind is StageKind.NATIONAL:
        marked = _calendar_proposals(stage).with_only_columns(Sheet.entry_id)
        for entry in db.session.scalars(select(Entry).where(Entry.id.in_(marked))):
            entry.calendar_candidate = True
    audit.record("stage.publish", stage, version=stored.version, finalists=finalists)
    db.session.flush()
    notifications.results_published(stage)  # leaves with the publication's commit
    notices.stage_published(stage)


def _calendar_proposals(stage: Stage):
    """SQL query of the sheets proposing their entry for the calendar.

    Only a national juror's sheet that counts in the results proposes: complete, without a
    conflict of interest, by a current juror of the stage.
    """
    return select(Sheet).where(Sheet.stage_id == stage.id,
                               Sheet.juror_id.in_([j.id for j in stage.jurors]),
                               Sheet.calendar_candidate == true(), Sheet.complete == true(),
                               Sheet.conflict == false())


def calendar_proposals(stage: Stage, entry_ids: list[int] | None = None) -> dict[int, int]:
    """How many jurors propose each entry (all, or those of ``entry_ids``) for the calendar.

    Empty for a regional stage: only the national jury proposes drawings for the calendar.
    """
    if stage.kind is not StageKind.NATIONAL:
        return {}
    query = _calendar_proposals(stage).with_only_columns(Sheet.entry_id, func.count()) \
        .group_by(Sheet.entry_id)
    if entry_ids is not None:
        query = query.where(Sheet.entry_id.in_(entry_ids))
    return dict(db.session.execute(query).all())
