# Over 400 lines: an edition's set-up rules (dates, categories, criteria, regions, phases).
"""Contest editions: which one is current, and the rules for setting one up.

Views and the CLI call these functions; each rule lives here once. Functions change the
session and record the change in the audit log; the caller commits.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from flask_babel import format_date
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from . import audit
from .errors import RuleError
from .extensions import db
from .models import (
    AgeCategory,
    Contest,
    Criterion,
    Entry,
    EntryStatus,
    Phase,
    Region,
    Stage,
    StageKind,
    StageStatus,
)
from .rules import (
    AGES_OUTSIDE_LIMITS,
    MAX_WEIGHT,
    MIN_WEIGHT,
    OLDEST_AGE,
    WEIGHT_OUTSIDE_LIMITS,
    YOUNGEST_AGE,
)
from .text import one_line

# Forward one step at a time; the only way back is reopening a draft before any entry arrives.
TRANSITIONS: dict[Phase, tuple[Phase, ...]] = {
    Phase.DRAFT: (Phase.SUBMISSIONS_OPEN,),
    Phase.SUBMISSIONS_OPEN: (Phase.REGIONAL_JUDGING, Phase.DRAFT),
    Phase.REGIONAL_JUDGING: (Phase.NATIONAL_JUDGING,),
    Phase.NATIONAL_JUDGING: (Phase.CALENDAR,),
    Phase.CALENDAR: (Phase.CLOSED,),
    Phase.CLOSED: (),
}

def current_contest() -> Contest | None:
    """The edition the public sees: the newest one that is not a draft."""
    return db.session.scalars(
        select(Contest).where(Contest.phase != Phase.DRAFT).order_by(Contest.year.desc())
    ).first()


def all_contests() -> list[Contest]:
    return list(db.session.scalars(select(Contest).order_by(Contest.year.desc())))


# --- deadlines -----------------------------------------------------------------------------

DEADLINE_FIELDS = ("submissions_open_on", "submissions_close_on", "regional_judging_until",
                   "national_judging_until", "results_on")


def deadline_problems(dates: dict[str, date | None]) -> dict[str, str]:
    """Field name -> message for dates out of order (each must come after the one before)."""
    problems: dict[str, str] = {}
    previous = None
    for name in DEADLINE_FIELDS:
        value = dates.get(name)
        if value is None:
            continue
        if previous is not None and value <= previous:
            problems[name] = str(_l("Must be later than the previous date."))
        previous = value
    ref = dates.get("age_reference_date")
    opens, closes = dates.get("submissions_open_on"), dates.get("submissions_close_on")
    if ref and opens and closes and not (opens.replace(year=opens.year - 1) <= ref
                                         <= closes.replace(year=closes.year + 1)):
        problems["age_reference_date"] = str(
            _l("The reference date for ages should be near the submission period."))
    return problems


def year_taken(year: int, exclude_id: int | None = None) -> bool:
    query = select(Contest.id).where(Contest.year == year)
    if exclude_id is not None:
        query = query.where(Contest.id != exclude_id)
    return db.session.scalar(query) is not None


# --- creating and editing ----------------------------------------------------------------


def create_contest(**fields) -> Contest:
    """A new edition in the draft phase, with its national stage."""
    if year_taken(fields["year"]):
        raise RuleError(_l("A contest for %(year)s already exists.", year=fields["year"]),
                        field="year")
    contest = Contest(**fields)
    contest.stages.append(Stage(kind=StageKind.NATIONAL))
    db.session.add(contest)
    db.session.flush()
    audit.record("contest.create", contest, year=contest.year)
    return contest


def copy_contest(source: Contest, year: int) -> Contest:
    """A new edition for ``year`` in the draft phase, from ``source``: its rules, texts, scale and
    settings, its dates moved by the years between them, its age categories, criteria, regions
    and each stage's jurors (their accounts stay as they are). Never its entries."""
    if year_taken(year):
        raise RuleError(_l("A contest for %(year)s already exists.", year=year), field="year")
    shift = year - source.year
    skip = {"id", "year", "phase", "created_at"}
    fields = {}
    for column in Contest.__table__.columns:
        if column.key in skip:
            continue
        value = getattr(source, column.key)
        if isinstance(value, date):
            value = _years_later(value, shift)
        elif isinstance(value, str) and column.key.startswith("title_"):
            value = value.replace(str(source.year), str(year))
        fields[column.key] = value
    contest = Contest(year=year, phase=Phase.DRAFT, **fields)
    contest.age_categories = [_copied(c, AgeCategory) for c in source.age_categories]
    contest.criteria = [_copied(c, Criterion) for c in source.criteria]
    for stage in source.stages:
        contest.stages.append(Stage(
            kind=stage.kind, region_id=stage.region_id,
            finalists_per_category=stage.finalists_per_category,
            jurors_per_entry=stage.jurors_per_entry,
            jurors=[juror for juror in stage.jurors if juror.active]))
    db.session.add(contest)
    db.session.flush()
    audit.record("contest.copy", contest, year=year, source=source.year)
    return contest


def _years_later(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a year without one
        return day.replace(year=day.year + years, day=28)


def _copied(row, model):
    """A copy of a contest's ``row`` (category, criterion) without its id and edition."""
    return model(**{c.key: getattr(row, c.key) for c in model.__table__.columns
                    if c.key not in ("id", "contest_id")})


def update_contest(contest: Contest, **fields) -> None:
    if year_taken(fields.get("year", contest.year), exclude_id=contest.id):
        raise RuleError(_l("A contest for %(year)s already exists.", year=fields["year"]),
                        field="year")
    if criteria_locked(contest) and (
        fields.get("scale_min", contest.scale_min) != contest.scale_min
        or fields.get("scale_max", contest.scale_max) != contest.scale_max
    ):
        raise RuleError(_l("The scoring scale cannot change once judging has started."),
                        field="scale_max")
    changed = {k: v for k, v in fields.items() if getattr(contest, k) != v}
    for key, value in changed.items():
        setattr(contest, key, value)
    if changed:
        audit.record("contest.update", contest, fields=sorted(changed))


# --- age categories -----------------------------------------------------------------------


def categories_locked(contest: Contest) -> bool:
    """Age bands are fixed once entries can arrive: entries are sorted into them."""
    return contest.phase is not Phase.DRAFT


CATEGORIES_LOCKED = _l("Age categories can only change while the contest is a draft.")
CRITERIA_LOCKED = _l("Criteria cannot change once judging has started.")
CATEGORY_NAME_TAKEN = _l("This edition already has an age category named “%(name)s”.")
CRITERION_NAME_TAKEN = _l("This edition already has a criterion named “%(name)s”.")


def _check_names(rows, name_ru: str, name_en: str, taken) -> None:
    """No two of an edition's categories (or criteria) share a name in either language:
    people pick them and read them by name. ``rows`` are the others; ``taken`` the message."""
    for field, name in (("name_ru", name_ru), ("name_en", name_en)):
        if name and any(getattr(r, field).casefold() == name.casefold() for r in rows):
            raise RuleError(taken % {"name": name}, field=field)


def _check_category(contest: Contest, name_ru: str, name_en: str, min_age: int, max_age: int,
                    category: AgeCategory | None = None) -> None:
    """The rules an age category keeps, new (``category`` None) or changed."""
    if categories_locked(contest):
        raise RuleError(CATEGORIES_LOCKED)
    others = [c for c in contest.age_categories if c is not category]
    _check_names(others, name_ru, name_en, CATEGORY_NAME_TAKEN)
    if min_age > max_age:
        raise RuleError(_l("The lowest age must not be above the highest."), field="max_age")
    if min_age < YOUNGEST_AGE or max_age > OLDEST_AGE:
        raise RuleError(AGES_OUTSIDE_LIMITS % {"min": YOUNGEST_AGE, "max": OLDEST_AGE},
                        field="min_age")
    for other in others:
        if min_age <= other.max_age and other.min_age <= max_age:
            raise RuleError(_l("Ages %(low)s–%(high)s overlap the category “%(name)s”.",
                               low=min_age, high=max_age, name=other.name), field="min_age")


def add_age_category(contest: Contest, name_ru: str, name_en: str, min_age: int,
                     max_age: int) -> AgeCategory:
    name_ru, name_en = one_line(name_ru), one_line(name_en)
    _check_category(contest, name_ru, name_en, min_age, max_age)
    category = AgeCategory(name_ru=name_ru, name_en=name_en, min_age=min_age, max_age=max_age)
    contest.age_categories.append(category)
    db.session.flush()
    audit.record("category.add", category, name=name_ru, ages=[min_age, max_age])
    return category


def update_age_category(category: AgeCategory, name_ru: str, name_en: str, min_age: int,
                        max_age: int) -> None:
    """Change a category's names or ages, by the same rules as adding one."""
    name_ru, name_en = one_line(name_ru), one_line(name_en)
    _check_category(category.contest, name_ru, name_en, min_age, max_age, category)
    _apply_changes(category, "category.update", name_ru=name_ru, name_en=name_en,
                   min_age=min_age, max_age=max_age)


def _apply_changes(row, action: str, **fields) -> None:
    """Set what differs in ``row``, flush, and log which fields changed."""
    changed = {k: v for k, v in fields.items() if getattr(row, k) != v}
    for key, value in changed.items():
        setattr(row, key, value)
    if changed:
        db.session.flush()
        audit.record(action, row, name=row.name_ru, fields=sorted(changed))


def remove_age_category(category: AgeCategory) -> None:
    if categories_locked(category.contest):
        raise RuleError(CATEGORIES_LOCKED)
    audit.record("category.remove", category, name=category.name_ru)
    category.contest.age_categories.remove(category)


def category_for_age(contest: Contest, age: int) -> AgeCategory | None:
    """The age category a child of ``age`` (on the reference date) belongs to."""
    return next((c for c in contest.age_categories if c.min_age <= age <= c.max_age), None)


def age_on(birth_date: date, on: date) -> int:
    """Full years on a date, as a school or a passport office counts them."""
    return on.year - birth_date.year - ((on.month, on.day) < (birth_date.month, birth_date.day))


# --- criteria -----------------------------------------------------------------------------


def criteria_locked(contest: Contest) -> bool:
    """Criteria and the scale are fixed once scoring may have started."""
    return contest.phase.index >= Phase.REGIONAL_JUDGING.index


def _checked_weight(weight) -> Decimal:
    """``weight`` as a Decimal within the rules' range, or a refusal."""
    try:
        value = Decimal(str(weight)) if weight is not None else None
    except InvalidOperation:
        value = None
    if value is None or not value.is_finite() or not MIN_WEIGHT <= value <= MAX_WEIGHT:
        raise RuleError(WEIGHT_OUTSIDE_LIMITS % {"min": MIN_WEIGHT, "max": MAX_WEIGHT},
                        field="weight")
    return value


def _check_criterion(contest: Contest, name_ru: str, name_en: str, weight,
                     criterion: Criterion | None = None) -> Decimal:
    """The rules a criterion keeps, new (``criterion`` None) or changed; its weight."""
    if criteria_locked(contest):
        raise RuleError(CRITERIA_LOCKED)
    others = [c for c in contest.criteria if c is not criterion]
    _check_names(others, name_ru, name_en, CRITERION_NAME_TAKEN)
    return _checked_weight(weight)


def add_criterion(contest: Contest, name_ru: str, name_en: str, weight,
                  description_ru: str = "", description_en: str = "") -> Criterion:
    name_ru, name_en = one_line(name_ru), one_line(name_en)
    weight = _check_criterion(contest, name_ru, name_en, weight)
    criterion = Criterion(name_ru=name_ru, name_en=name_en, weight=weight,
                          description_ru=description_ru, description_en=description_en,
                          position=len(contest.criteria))
    contest.criteria.append(criterion)
    db.session.flush()
    audit.record("criterion.add", criterion, name=name_ru, weight=weight)
    return criterion


def update_criterion(criterion: Criterion, name_ru: str, name_en: str, weight,
                     description_ru: str = "", description_en: str = "") -> None:
    """Change a criterion's names, description or weight, by the same rules as adding one."""
    name_ru, name_en = one_line(name_ru), one_line(name_en)
    weight = _check_criterion(criterion.contest, name_ru, name_en, weight, criterion)
    _apply_changes(criterion, "criterion.update", name_ru=name_ru, name_en=name_en,
                   weight=weight, description_ru=description_ru, description_en=description_en)


def remove_criterion(criterion: Criterion) -> None:
    if criteria_locked(criterion.contest):
        raise RuleError(CRITERIA_LOCKED)
    audit.record("criterion.remove", criterion, name=criterion.name_ru)
    criterion.contest.criteria.remove(criterion)


# --- regions -------------------------------------------------------------------------------


def set_regions(contest: Contest, region_ids: set[int]) -> None:
    """Make exactly these regions take part: a regional stage each."""
    known = set(db.session.scalars(select(Region.id).where(Region.id.in_(region_ids))))
    if known != region_ids:
        raise RuleError(_l("Unknown region."))
    current = {s.region_id: s for s in contest.regional_stages}
    leaving = [s for rid, s in current.items() if rid not in region_ids]
    if leaving and contest.phase is not Phase.DRAFT and any(_stage_has_entries(s) for s in leaving):
        raise RuleError(_l("A region that already has entries cannot leave the contest."))
    for stage in leaving:
        contest.stages.remove(stage)
    for rid in sorted(region_ids - current.keys()):
        contest.stages.append(Stage(kind=StageKind.REGIONAL, region_id=rid))
    db.session.flush()
    if leaving or region_ids - current.keys():
        audit.record("contest.regions", contest,
                     added=sorted(region_ids - current.keys()),
                     removed=sorted(s.region_id for s in leaving))


def _stage_has_entries(stage: Stage, accepted: bool = False) -> bool:
    query = select(Entry.id).where(Entry.stage_id == stage.id)
    if accepted:
        query = query.where(Entry.status == EntryStatus.ACCEPTED)
    return db.session.scalar(query.limit(1)) is not None


# --- phases --------------------------------------------------------------------------------


def phase_problems(contest: Contest, target: Phase) -> list[str]:
    """Why ``contest`` cannot move to ``target`` now; empty when it can."""
    if target not in TRANSITIONS[contest.phase]:
        return [str(_l("The contest cannot go from “%(a)s” to “%(b)s”.",
                       a=contest.phase.label, b=target.label))]
    problems = []
    if target is Phase.SUBMISSIONS_OPEN:
        if not contest.age_categories:
            problems.append(_l("Add at least one age category."))
        if not contest.criteria:
            problems.append(_l("Add at least one scoring criterion."))
        if not contest.regional_stages:
            problems.append(_l("Choose the participating regions."))
        if not contest.theme_ru:
            problems.append(_l("Give the contest a theme."))
        still_open = db.session.scalar(select(Contest.year).where(
            Contest.phase == Phase.SUBMISSIONS_OPEN, Contest.id != contest.id))
        if still_open:  # the public pages and the form show one edition at a time
            problems.append(_l("The %(year)s contest still takes drawings; close its submissions "
                               "first.", year=still_open))
    if target is Phase.DRAFT and any(_stage_has_entries(s) for s in contest.regional_stages):
        problems.append(
            _l("Entries have already arrived; the contest cannot become a draft again."))
    if target is Phase.REGIONAL_JUDGING:
        without = [s.name for s in contest.regional_stages if not s.jurors]
        if without:
            problems.append(_l("These regions have no jurors yet: %(names)s.",
                               names=", ".join(without)))
    if target is Phase.NATIONAL_JUDGING:
        national = contest.national_stage
        if national is None or not national.jurors:
            problems.append(_l("The national stage has no jurors yet."))
        # a region without accepted entries has nothing to send on
        unpublished = [s.name for s in contest.regional_stages if s.status
                       is not StageStatus.PUBLISHED and _stage_has_entries(s, accepted=True)]
        if unpublished:
            problems.append(_l("These regions have not published their results: %(names)s.",
                               names=", ".join(sorted(unpublished))))
    if target is Phase.CALENDAR:
        national = contest.national_stage
        if national is None or national.status is not StageStatus.PUBLISHED:
            problems.append(_l("The national stage has not published its results."))
    return [str(p) for p in problems]


def phase_question(contest: Contest, target: Phase) -> str:
    """What to ask before moving ``contest`` to ``target``: nothing goes back but a draft."""
    question = str(_l("Move the contest to “%(phase)s”?", phase=target.label))
    if target is Phase.REGIONAL_JUDGING and date.today() <= contest.submissions_close_on:
        question += " " + str(_l(
            "The deadline for drawings is %(date)s: families will no longer be able to send "
            "them.", date=format_date(contest.submissions_close_on, "long")))
    return question


def change_phase(contest: Contest, target: Phase) -> None:
    problems = phase_problems(contest, target)
    if problems:
        raise RuleError(*problems)
    audit.record("contest.phase", contest, before=contest.phase.value, after=target.value)
    contest.phase = target


def open_stages() -> list[Stage]:
    """The jury stages of every edition not yet closed, newest edition first."""
    return list(db.session.scalars(
        select(Stage).join(Contest).where(Contest.phase != Phase.CLOSED)
        .order_by(Contest.year.desc(), Stage.kind, Stage.id)))
