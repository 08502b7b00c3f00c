"""The juries' work: stages opened and closed, sheets saved, results computed and published.

Views call these functions; each rule lives here once. They change the session and record
decisions in the audit log; the caller commits. A refused change raises ``RuleError`` with the
reason in the user's language.

A stage goes MODERATION → JUDGING_OPEN ⇄ JUDGING_CLOSED → PUBLISHED. Marks can change only
while judging is open; closing computes the results (``results.compute_results``) and stores
them; publishing freezes them with their method version and gives the finalists their award,
which also puts them in the national stage's pool. Reopening forgets the computed results but
not the staff's decisions on finalists: closing again applies them to the new results.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_babel import ngettext
from sqlalchemy import and_, case, delete, false, func, select, true, tuple_

from .. import audit, spreadsheets
from ..contests import RuleError
from ..extensions import db
from ..models import (
    AgeCategory,
    Award,
    Contest,
    Entry,
    EntryStatus,
    Phase,
    Role,
    Stage,
    StageKind,
    StageStatus,
    User,
    utcnow,
)
from . import assignment, results
from .models import Assignment, Mark, Placement, Sheet, StageResult

# A close call is within this share of the scale's range of the finalist line
# (0.45 points on a 1–10 scale).
CLOSE_CALL_SHARE = 0.05

# The contest phase in which each kind of stage judges.
JUDGING_PHASE = {StageKind.REGIONAL: Phase.REGIONAL_JUDGING,
                 StageKind.NATIONAL: Phase.NATIONAL_JUDGING}


# --- the entries of a stage ----------------------------------------------------------------


def in_pool(stage: Stage):
    """SQL condition for the entries a stage judges.

    A regional stage judges its region's accepted entries; the national stage the finalists
    of every published regional stage of its contest.
    """
    if stage.kind is StageKind.REGIONAL:
        return and_(Entry.stage_id == stage.id, Entry.status == EntryStatus.ACCEPTED)
    return and_(Entry.contest_id == stage.contest_id, Entry.award.is_not(None))


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


# --- score sheets --------------------------------------------------------------------------


def _require_open(stage: Stage) -> None:
    if stage.status is not StageStatus.JUDGING_OPEN:
        raise RuleError(_l("Judging is not open in this stage: marks cannot change."))


def _own_sheet(stage: Stage, juror: User, entry: Entry) -> Sheet:
    sheet = sheet_of(stage, juror, entry)
    if sheet is None:
        sheet = Sheet(stage_id=stage.id, juror_id=juror.id, entry_id=entry.id)
        db.session.add(sheet)
    return sheet


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


# --- jurors and assignments ----------------------------------------------------------------


def juror_progress(stage: Stage) -> list[tuple[User, Progress]]:
    """Every juror of the stage with their progress: for the coordinator, never for jurors."""
    return [(j, progress(stage, j)) for j in stage.jurors]


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
    if jurors_per_entry is not None and jurors_per_entry < 3:
        raise RuleError(_l("Each entry needs at least three jurors."))
    before = (stage.finalists_per_category, stage.jurors_per_entry)
    stage.finalists_per_category = finalists_per_category
    stage.jurors_per_entry = jurors_per_entry
    if before != (finalists_per_category, jurors_per_entry):
        audit.record("stage.settings", stage, finalists_per_category=finalists_per_category,
                     jurors_per_entry=jurors_per_entry)
        db.session.flush()
        sync_assignments(stage)


# --- the stage's life ----------------------------------------------------------------------

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


# --- results and overrides -----------------------------------------------------------------


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


# --- exports -------------------------------------------------------------------------------


def table(stage: Stage) -> list[list]:
    """The stage's results as rows (header first), for CSV and XLSX.

    A juror's cells are blank for an entry they were not asked to score; otherwise they hold
    the figures, or say why there are none (``SHEET_MARKERS``). The national stage's table
    names winners and counts the jurors proposing each entry for the calendar.
    """
    national = stage.kind is StageKind.NATIONAL
    letters = [j["letter"] for j in juror_stats(stage)]
    header = [_("Age category"), _("Rank"), _("Entry"), _("Title"), _("Jurors"),
              _("Raw mean"), _("Rank by raw mean"), _("Adjusted mean"),
              _("Winner") if national else _("Finalist"),
              *([_("Proposed for the calendar (jurors)")] if national else []),
              _("Close call"), _("Decided by"), _("Override reason"),
              *[_("Juror %(letter)s: total", letter=x) for x in letters],
              *[_("Juror %(letter)s: adjusted", letter=x) for x in letters]]
    rows = db.session.execute(
        select(Placement, Entry.id, Entry.title, AgeCategory)
        .join(Entry, Entry.id == Placement.entry_id)
        .join(AgeCategory, AgeCategory.id == Placement.category_id)
        .where(Placement.stage_id == stage.id)
        .order_by(AgeCategory.min_age, Placement.rank)).all()
    proposals = calendar_proposals(stage)
    markers = {status: str(word) for status, word in SHEET_MARKERS.items()}
    yes = _("yes")

    def cell(line: dict | None, figure: str):
        if line is None:
            return None
        return markers[line["status"]] if line["status"] in markers else _round(line[figure])

    body = []
    for p, entry_id, title, category in rows:
        lines = {line["juror"]: line for line in p.sheets}
        body.append([
            category.name, p.rank, entry_id, title, p.jurors, _round(p.raw_mean), p.raw_rank,
            _round(p.adjusted_mean), yes if p.finalist else "",
            *([proposals.get(entry_id, 0)] if national else []),
            yes if p.close_call else "", decided_label(p.decided_by), p.override_reason,
            *[cell(lines.get(x), "total") for x in letters],
            *[cell(lines.get(x), "adjusted") for x in letters]])
    return [header, *body]


def to_csv(stage: Stage) -> bytes:
    return spreadsheets.to_csv(table(stage))


def to_xlsx(stage: Stage) -> bytes:
    return spreadsheets.to_xlsx([(_("Results"), table(stage), {"D": 36})])


DECIDED_LABELS = {
    "adjusted": _l("adjusted mean"),
    "raw": _l("raw mean (equal adjusted means)"),
    "submitted": _l("earlier submission (equal means)"),
    "id": _l("lower entry number (equal means, same time)"),
    "scored": _l("scored before unscored"),
}


# What a juror's cells of the export say when their sheet has no figures.
SHEET_MARKERS = {
    "conflict": _l("conflict"),
    "incomplete": _l("incomplete"),
    "missing": "—",
}


def decided_label(decided_by: str | None) -> str:
    return str(DECIDED_LABELS[decided_by]) if decided_by else ""


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


# --- public results ------------------------------------------------------------------------


def published_finalists(stage: Stage) -> list[tuple[Placement, Entry]]:
    """A published stage's finalists (the national stage's: winners), by age category and rank."""
    stored = stored_results(stage)
    if stored is None or stored.published_at is None:
        return []
    return list(db.session.execute(
        select(Placement, Entry).join(Entry, Entry.id == Placement.entry_id)
        .join(AgeCategory, AgeCategory.id == Placement.category_id)
        .where(Placement.stage_id == stage.id, Placement.entry_id.in_(stored.finalists))
        .order_by(AgeCategory.min_age, Placement.rank)).all())


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
