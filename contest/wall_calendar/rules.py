"""The selection rules a calendar is checked against before it is exported: each passed or
not, with the pages it concerns, and which of them an organizer may override."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString

from calendar_builder import GOOD_DPI, MIN_DPI, days_off_problem

from .. import entries
from ..models import Contest, Entry, Region
from .board import SLOTS, board, consent_refusal, page_names, printable
from .bridge import calendar_year, placements
from .days_off import decree
from .options import Options

# A drawing the layout must fit whole (its shape far from the page's) prints small:
# below this share of the page's content area it is flagged.
MIN_SHARE = 0.25


@dataclass(frozen=True)
class RuleCheck:
    """One selection rule: passed or not, why, and which pages it concerns.

    A ``warning`` passes but is shown; a rule that is not ``overridable`` stops the export
    whatever the reason given (``no_exception`` says why): the calendar builder itself
    refuses to print it, or the family did not allow it.
    """

    key: str
    ok: bool
    message: LazyString  # translated where shown; the audit log keeps its msgid
    slots: tuple[int, ...] = ()
    warning: bool = False
    overridable: bool = True
    no_exception: str = ""


def check(contest: Contest, region: Region | None, options: Options,
          chosen: dict[int, Entry] | None = None, layout: bool = True) -> list[RuleCheck]:
    """Every selection rule, passed or not, with the pages it concerns.

    ``chosen`` (page: drawing) checks a proposed calendar instead of the assembled one (filling
    from the ranking tries drawings with it); ``layout=False`` leaves out the rules that need the
    calendar laid out (resolution, shape), the slow part.
    """
    if chosen is None:
        chosen = {slot: p.entry for slot, p in board(contest, region).items()
                  if p.entry is not None}
    results = []
    missing = [s for s in SLOTS if s not in chosen]
    results.append(RuleCheck("complete", not missing,
        _l("Every page has a drawing.") if not missing else
        _l("Pages without a drawing: %(pages)s.", pages=page_names(missing)), tuple(missing)))
    wanted = {c.name for c in contest.age_categories}
    present = {e.age_category.name for e in chosen.values()}
    absent = sorted(wanted - present)
    results.append(RuleCheck("categories", not absent,
        _l("Every age category is represented.") if not absent else
        _l("Not represented: %(names)s.", names=", ".join(absent))))
    if region is None:
        per_region = Counter(e.stage.region.name for e in chosen.values())
        over = {name: n for name, n in per_region.items() if n > options.max_per_region}
        slots = tuple(s for s, e in chosen.items() if e.stage.region.name in over)
        results.append(RuleCheck("per_region", not over,
            _l("At most %(n)s drawings per region.", n=options.max_per_region) if not over else
            _l("Too many drawings from %(names)s (at most %(n)s per region).",
               names=", ".join(f"{k} ({v})" for k, v in over.items()),
               n=options.max_per_region), slots))
    children = Counter(entries.child_key(e) for e in chosen.values())
    twice = tuple(s for s, e in chosen.items() if children[entries.child_key(e)] > 1)
    results.append(RuleCheck("one_per_child", not twice,
        _l("One drawing per child.") if not twice else
        _l("The same child twice: %(pages)s.", pages=page_names(twice)), twice))
    # Pages placed before a family withdrew its consent: flagged here, and never exported.
    unconsented = tuple(s for s, e in chosen.items() if not printable(e))
    results.append(RuleCheck("consent", not unconsented,
        _l("Every family agreed to printing.") if not unconsented else
        _l("No consent to print: %(pages)s.", pages=page_names(unconsented)), unconsented,
        overridable=False, no_exception=consent_refusal(unconsented) if unconsented else ""))
    year = calendar_year(contest)
    entered = decree(year) is not None
    known = entered or days_off_problem(year, None, confirmed=False) is None
    results.append(RuleCheck("days_off", known,
        _l("The days off of %(year)s follow the decree entered by an organizer.", year=year)
        if entered else _l("The days off of %(year)s are known.", year=year) if known else
        _l("The government's decree moving the days off of %(year)s is not known yet: enter "
           "it on the days-off page, or override to print the public holidays with the "
           "Labour Code's own transfers alone.", year=year)))
    if layout:
        placed = placements(contest, region, options, chosen) if chosen else {}
        results.extend(_layout_checks(placed, options))
    return results


def _layout_checks(placed: dict[int, tuple[float, float]], options: Options) -> list[RuleCheck]:
    """The rules on each drawing as the calendar builder lays it out: sharp, not small."""
    results = []
    blurred = tuple(s for s, (dpi, _cut) in placed.items() if dpi < MIN_DPI)
    results.append(RuleCheck("resolution", not blurred,
        _l("Every drawing is sharp enough for %(format)s.", format=options.page_format)
        if not blurred else _l("Too small for %(format)s (under %(dpi)s dpi): %(pages)s.",
                               format=options.page_format, dpi=MIN_DPI,
                               pages=page_names(blurred)),
        blurred, overridable=False,
        no_exception=str(_l("No exception is possible: the printer could not use it."))))
    soft = tuple(s for s, (dpi, _cut) in placed.items() if MIN_DPI <= dpi < GOOD_DPI)
    if soft:
        results.append(RuleCheck("soft", True, _l(
            "Soft in print (%(low)s to %(high)s dpi): %(pages)s. A larger photo or scan of "
            "these drawings would print sharper.", low=MIN_DPI, high=GOOD_DPI,
            pages=page_names(soft)), soft, warning=True))
    small = tuple(s for s, (_dpi, share) in placed.items() if share < MIN_SHARE)
    results.append(RuleCheck("orientation", not small,
        _l("Every drawing's shape suits its page.") if not small else
        _l("The drawing's shape does not suit the page layout: it would print small. Choose a "
           "drawing of the page's orientation for: %(pages)s.", pages=page_names(small)), small))
    return results


def failing(checks: list[RuleCheck], overrides: dict[str, str]) -> list[RuleCheck]:
    """Rules broken and not overridden with a reason (or that no reason overrides)."""
    return [c for c in checks if not c.ok
            and (not c.overridable or not overrides.get(c.key, "").strip())]

