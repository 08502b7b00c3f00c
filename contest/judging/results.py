# Over 400 lines: the documented ranking method and its pure implementation, kept together.
"""How the ranking is computed (results method, version 1).

1. **A juror's total for an entry** is the weighted mean of their marks on the criteria,
   Σ(weight × mark) / Σ(weight), so it stays on the marks' scale (for example 1–10).
   It counts only if the juror marked every criterion: a partly filled sheet is shown as
   *incomplete* and left out. A juror who declared a conflict of interest on an entry is
   left out of that entry, even if they had already marked it.
2. **Raw mean**: the mean of an entry's counted totals.
3. **Leniency adjustment.** Some jurors mark generously, some strictly; some use the whole scale,
   some only part of it. For each juror we take the mean and the standard deviation of all
   their counted totals in the stage (all age categories together) and restate each total as
   "how far above or below this juror's own usual mark, in this juror's usual spread":
   z = (total − juror's mean) / juror's standard deviation. A juror with a single counted
   total, or who gave all entries the same total, tells nothing about differences: z = 0.
   Each z is put back on the scale with the mean and standard deviation of all counted totals
   of the stage: adjusted = stage mean + z × stage standard deviation. The **adjusted mean**
   of an entry is the mean of its adjusted figures. Adjusted figures are not cut off at the
   ends of the scale (an exceptional mark can come out at 10.4 on a 1–10 scale): cutting them
   off would make the adjusted means disagree with the ranking.
   Adding a constant to all of one juror's totals, or stretching their spread, changes
   neither the z-scores nor therefore the adjusted ranking. This assumes that each juror's
   entries are a fair sample of the stage, which the balanced assignment of entries ensures.
4. **Ranking**, within each age category, by adjusted mean, highest first; the raw mean and
   the rank it alone would give are shown beside it. Figures are compared to nine decimal
   places, so that rounding noise never decides. Equal adjusted means are separated by, in
   turn: the higher raw mean; the earlier submission; the lower entry number. The order is
   therefore always strict: ranks run 1, 2, 3, … with no shared places, and each entry states
   which of these steps placed it below the entry just above it.
5. Entries without any counted total are listed last, in submission order, as *unscored*;
   they are never finalists.
6. **Finalists**: the first N scored entries of each age category. An entry is a **close call**
   when its adjusted mean is within the margin of an entry on the other side of the finalist
   line: for a finalist, of the best non-finalist; for a non-finalist, of the last finalist.
7. **Explanation**: for each entry, every juror's sheet (counted total and adjusted figure,
   or why it does not count), the raw and adjusted means. Jurors are named Juror A, B, …
   in the order of their accounts, the same letters for every entry of the stage.

Standard deviations divide by the number of totals. Sums are exactly rounded (``math.fsum``),
so the results do not depend on the order in which the marks are read.
"""

import math
from collections import Counter, defaultdict
from collections.abc import Container, Iterable, Mapping
from dataclasses import asdict, dataclass
from itertools import product
from typing import Any, Literal

RESULTS_VERSION = "1"

# Figures are compared after rounding to this many decimals, so that floating-point noise
# (1e-15) never orders two entries whose figures are mathematically equal.
DECIMALS = 9

SheetStatus = Literal["complete", "incomplete", "conflict", "missing"]
# What placed an entry below the one just above it, in the order the ranking applies them.
DecidedBy = Literal["scored", "adjusted", "raw", "submitted", "id"]
RANKING_STEPS: tuple[DecidedBy, ...] = ("scored", "adjusted", "raw", "submitted", "id")


# Inputs


@dataclass(frozen=True)
class Criterion:
    """A criterion of the score sheet: its weight in the total and the scale of its marks."""

    id: int
    weight: float
    scale_min: int
    scale_max: int

    def __post_init__(self) -> None:
        if not self.weight > 0:
            raise ValueError(f"criterion {self.id}: weight must be positive, not {self.weight}")
        if self.scale_min >= self.scale_max:
            raise ValueError(f"criterion {self.id}: empty scale {self.scale_min}..{self.scale_max}")


@dataclass(frozen=True)
class Score:
    """One juror's mark on one criterion of one entry."""

    entry_id: int
    juror_id: int
    criterion_id: int
    value: int


@dataclass(frozen=True)
class Conflict:
    """A juror's declaration of a conflict of interest on an entry."""

    entry_id: int
    juror_id: int


@dataclass(frozen=True)
class Assignment:
    """An entry a juror is asked to score (when jurors do not all score every entry)."""

    entry_id: int
    juror_id: int


@dataclass(frozen=True)
class EntryInfo:
    """An accepted entry of the stage; ``tiebreak_key`` orders submissions, earliest first."""

    id: int
    category_id: int
    tiebreak_key: int


@dataclass(frozen=True)
class Settings:
    """How many entries per age category go on, and how near the line is a close call."""

    finalists_per_category: int
    close_call_margin: float = 0.5

    def __post_init__(self) -> None:
        if self.finalists_per_category < 0 or not self.close_call_margin >= 0:
            raise ValueError(f"invalid settings {self}")


@dataclass(frozen=True)
class Sheet:
    """One juror's score sheet for one entry; ``total`` is set only when it is complete."""

    entry_id: int
    juror_id: int
    status: SheetStatus
    total: float | None = None
    criteria_scored: int = 0

    def __post_init__(self) -> None:
        if (self.total is not None) != (self.status == "complete"):
            raise ValueError(f"a sheet has a total if and only if it is complete: {self}")


# Outputs


@dataclass(frozen=True)
class SheetLine:
    """A line of an entry's explanation: one anonymised juror's sheet."""

    juror: str
    status: SheetStatus
    total: float | None
    adjusted: float | None
    criteria_scored: int


@dataclass(frozen=True)
class EntryResult:
    """An entry's place in its age category, its figures and their explanation."""

    entry_id: int
    category_id: int
    rank: int
    raw_rank: int | None
    jurors: int
    raw_mean: float | None
    adjusted_mean: float | None
    finalist: bool
    close_call: bool
    decided_by: DecidedBy | None
    conflicts: int
    sheets: tuple[SheetLine, ...]

    @property
    def unscored(self) -> bool:
        """No juror's total counts for this entry."""
        return self.jurors == 0


@dataclass(frozen=True)
class JurorStats:
    """A juror's leniency (mean and spread of their counted totals) and sheet counts.

    ``juror_id`` is for the coordinator's eyes only; explanations use ``letter``.
    """

    letter: str
    juror_id: int
    complete: int
    incomplete: int
    conflicts: int
    missing: int
    mean: float | None
    sd: float | None


@dataclass(frozen=True)
class StageResults:
    """The results of a stage: entries ordered by age category, then rank; jurors by letter."""

    version: str
    finalists_per_category: int
    close_call_margin: float
    pooled_mean: float | None
    pooled_sd: float | None
    entries: tuple[EntryResult, ...]
    jurors: tuple[JurorStats, ...]

    def to_dict(self) -> dict[str, Any]:
        """Plain data (JSON-serialisable) for storing beside published results."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> "StageResults":
        """Rebuild results stored with ``to_dict``."""
        entries = tuple(
            EntryResult(**{**e, "sheets": tuple(SheetLine(**s) for s in e["sheets"])})
            for e in data["entries"]
        )
        jurors = tuple(JurorStats(**j) for j in data["jurors"])
        return cls(**{**data, "entries": entries, "jurors": jurors})


# Computation


def compute_results(
    criteria: Iterable[Criterion],
    entries: Iterable[EntryInfo],
    jurors: Iterable[int],
    scores: Iterable[Score],
    settings: Settings,
    conflicts: Iterable[Conflict] = (),
    assignments: Iterable[Assignment] | None = None,
) -> StageResults:
    """The results of a stage from its raw marks; see the module docstring for the method.

    ``assignments=None`` means every juror is asked to score every entry.
    """
    entries = tuple(entries)
    jurors = tuple(jurors)
    sheets = score_sheets(criteria, entries, jurors, scores, conflicts, assignments)
    return rank(entries, jurors, sheets, settings)


def score_sheets(
    criteria: Iterable[Criterion],
    entries: Iterable[EntryInfo],
    jurors: Iterable[int],
    scores: Iterable[Score],
    conflicts: Iterable[Conflict] = (),
    assignments: Iterable[Assignment] | None = None,
) -> tuple[Sheet, ...]:
    """Every sheet that is assigned, marked or declared conflicted, by entry then juror.

    A complete sheet counts even if it was not (or is no longer) assigned: the juror did judge
    the entry. Raises ``ValueError`` on marks that cannot be right: unknown entry, juror or
    criterion, a mark off its scale, or two marks for the same criterion.
    """
    by_id = _index(criteria, "criterion")
    weight_sum = math.fsum(c.weight for c in by_id.values())
    entry_ids = _index(entries, "entry").keys()
    juror_ids = _unique(jurors, "juror")
    marks: defaultdict[tuple[int, int], dict[int, int]] = defaultdict(dict)
    for s in scores:
        criterion = by_id.get(s.criterion_id)
        if criterion is None:
            raise ValueError(f"score for unknown criterion {s.criterion_id}")
        if not criterion.scale_min <= s.value <= criterion.scale_max:
            raise ValueError(f"mark {s.value} is off the scale of criterion {s.criterion_id}")
        sheet = marks[s.entry_id, s.juror_id]
        if s.criterion_id in sheet:
            raise ValueError(f"two marks for criterion {s.criterion_id} in sheet {s}")
        sheet[s.criterion_id] = s.value
    conflicted = {(c.entry_id, c.juror_id) for c in conflicts}
    if assignments is None:
        expected = set(product(entry_ids, juror_ids))
    else:
        expected = {(a.entry_id, a.juror_id) for a in assignments}
    pairs = expected | marks.keys() | conflicted
    _check_pairs(pairs, entry_ids, juror_ids)

    def sheet(entry_id: int, juror_id: int) -> Sheet:
        if (entry_id, juror_id) in conflicted:
            return Sheet(entry_id, juror_id, "conflict")  # marks made before declaring: ignored
        own = marks.get((entry_id, juror_id), {})
        if not own:
            status: SheetStatus = "missing"
        elif len(own) < len(by_id):
            status = "incomplete"
        else:
            total = math.fsum(by_id[c].weight * v for c, v in own.items()) / weight_sum
            return Sheet(entry_id, juror_id, "complete", total, len(own))
        return Sheet(entry_id, juror_id, status, None, len(own))

    return tuple(sheet(e, j) for e, j in sorted(pairs))


def rank(
    entries: Iterable[EntryInfo],
    jurors: Iterable[int],
    sheets: Iterable[Sheet],
    settings: Settings,
) -> StageResults:
    """Rank the entries from their jurors' sheets; see the module docstring for the method."""
    by_id = _index(entries, "entry")
    letters = {j: juror_letter(i) for i, j in enumerate(sorted(_unique(jurors, "juror")))}
    sheets = tuple(sheets)
    _check_pairs(_unique(((s.entry_id, s.juror_id) for s in sheets), "sheet"), by_id, letters)

    counted: defaultdict[int, list[Sheet]] = defaultdict(list)
    for s in sheets:
        if s.total is not None:
            counted[s.juror_id].append(s)
    all_totals = [s.total for own in counted.values() for s in own]
    pooled_mean, pooled_sd = _mean_sd(all_totals) if all_totals else (None, None)
    leniency = {}
    adjusted: dict[tuple[int, int], float] = {}
    for juror_id, own in counted.items():
        totals = [s.total for s in own]
        mean, sd = leniency[juror_id] = _mean_sd(totals)
        spread = min(totals) != max(totals)
        for s in own:
            z = (s.total - mean) / sd if spread else 0.0
            adjusted[s.entry_id, juror_id] = pooled_mean + z * pooled_sd

    statuses = Counter((s.juror_id, s.status) for s in sheets)
    juror_stats = tuple(
        JurorStats(
            letter=letter,
            juror_id=juror_id,
            complete=statuses[juror_id, "complete"],
            incomplete=statuses[juror_id, "incomplete"],
            conflicts=statuses[juror_id, "conflict"],
            missing=statuses[juror_id, "missing"],
            mean=leniency.get(juror_id, (None, None))[0],
            sd=leniency.get(juror_id, (None, None))[1],
        )
        for juror_id, letter in letters.items()
    )

    lines: defaultdict[int, list[SheetLine]] = defaultdict(list)
    for s in sheets:
        lines[s.entry_id].append(SheetLine(
            juror=letters[s.juror_id],
            status=s.status,
            total=s.total,
            adjusted=adjusted.get((s.entry_id, s.juror_id)),
            criteria_scored=s.criteria_scored,
        ))
    categories: defaultdict[int, list[_Figures]] = defaultdict(list)
    for entry in by_id.values():
        own = sorted(lines[entry.id], key=lambda line: (len(line.juror), line.juror))
        categories[entry.category_id].append(_Figures.of(entry, tuple(own)))
    ranked = [r for c in sorted(categories) for r in _rank_category(categories[c], settings)]
    return StageResults(
        version=RESULTS_VERSION,
        finalists_per_category=settings.finalists_per_category,
        close_call_margin=settings.close_call_margin,
        pooled_mean=pooled_mean,
        pooled_sd=pooled_sd,
        entries=tuple(ranked),
        jurors=juror_stats,
    )


def juror_letter(index: int) -> str:
    """The anonymous name of the juror at 0-based ``index``: A … Z, AA, AB, …"""
    letters = ""
    index += 1
    while index:
        index, r = divmod(index - 1, 26)
        letters = chr(ord("A") + r) + letters
    return letters


@dataclass(frozen=True)
class _Figures:
    """An entry's explanation lines and means, before ranking."""

    entry: EntryInfo
    lines: tuple[SheetLine, ...]
    jurors: int
    raw_mean: float | None
    adjusted_mean: float | None

    @classmethod
    def of(cls, entry: EntryInfo, lines: tuple[SheetLine, ...]) -> "_Figures":
        counted = [line for line in lines if line.total is not None]
        if not counted:
            return cls(entry, lines, 0, None, None)
        return cls(entry, lines, len(counted),
                   math.fsum(line.total for line in counted) / len(counted),
                   math.fsum(line.adjusted for line in counted) / len(counted))

    def ranking_key(self) -> tuple:
        """The key whose elements are the ranking steps of ``RANKING_STEPS``, in turn."""
        if not self.jurors:
            return (True, 0.0, 0.0, self.entry.tiebreak_key, self.entry.id)
        return (False, -round(self.adjusted_mean, DECIMALS), -round(self.raw_mean, DECIMALS),
                self.entry.tiebreak_key, self.entry.id)


def _rank_category(figures: list[_Figures], settings: Settings) -> list[EntryResult]:
    """Rank one age category, mark its finalists and close calls."""
    keyed = sorted(((f.ranking_key(), f) for f in figures), key=lambda kf: kf[0])
    scored = [f for _, f in keyed if f.jurors]
    raw_order = sorted(scored, key=lambda f: (-round(f.raw_mean, DECIMALS),
                                               f.entry.tiebreak_key, f.entry.id))
    raw_ranks = {f.entry.id: i for i, f in enumerate(raw_order, 1)}
    n = settings.finalists_per_category
    # The adjusted means of the last finalist and of the first entry below the line.
    line = (scored[n - 1].adjusted_mean, scored[n].adjusted_mean) if 0 < n < len(scored) else None

    results = []
    previous = None
    for position, (key, f) in enumerate(keyed):
        finalist = position < n and f.jurors > 0
        close_call = (
            line is not None and f.jurors > 0
            and round(abs(f.adjusted_mean - line[finalist]), DECIMALS) <= settings.close_call_margin
        )
        decided_by = None
        if previous is not None:
            decided_by = next(s for s, a, b in zip(RANKING_STEPS, previous, key, strict=True)
                              if a != b)
        previous = key
        results.append(EntryResult(
            entry_id=f.entry.id,
            category_id=f.entry.category_id,
            rank=position + 1,
            raw_rank=raw_ranks.get(f.entry.id),
            jurors=f.jurors,
            raw_mean=f.raw_mean,
            adjusted_mean=f.adjusted_mean,
            finalist=finalist,
            close_call=close_call,
            decided_by=decided_by,
            conflicts=sum(line.status == "conflict" for line in f.lines),
            sheets=f.lines,
        ))
    return results


def _mean_sd(values: list[float]) -> tuple[float, float]:
    """Mean and (population) standard deviation, exactly rounded whatever the order."""
    mean = math.fsum(values) / len(values)
    return mean, math.sqrt(math.fsum((v - mean) ** 2 for v in values) / len(values))


def _index(items: Iterable, what: str) -> dict:
    """Items by id; raises ``ValueError`` on two items with one id."""
    index = {}
    for item in items:
        if item.id in index:
            raise ValueError(f"two {what} records with id {item.id}")
        index[item.id] = item
    return index


def _unique(items: Iterable, what: str) -> set:
    """The items as a set; raises ``ValueError`` on a repeated one."""
    seen = set()
    for item in items:
        if item in seen:
            raise ValueError(f"repeated {what} {item}")
        seen.add(item)
    return seen


def _check_pairs(pairs: Iterable[tuple[int, int]], entry_ids: Container[int],
                 juror_ids: Container[int]) -> None:
    """Raise ``ValueError`` unless every (entry, juror) pair names a known entry and juror."""
    for entry_id, juror_id in pairs:
        if entry_id not in entry_ids or juror_id not in juror_ids:
            raise ValueError(f"unknown entry {entry_id} or juror {juror_id}")
