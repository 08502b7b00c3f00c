"""The results method: hand-computed stages, and properties that must hold for any stage."""

import json
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.judging.results import (
    RESULTS_VERSION,
    Assignment,
    Conflict,
    Criterion,
    EntryInfo,
    Score,
    Settings,
    Sheet,
    StageResults,
    compute_results,
    juror_letter,
    rank,
)

ONE_CRITERION = [Criterion(1, weight=1.0, scale_min=1, scale_max=10)]


def approx(value: float) -> object:
    """Hand-computed figures are written to four decimals."""
    return pytest.approx(value, abs=5e-5)


def entries(*ids: int, category: int = 1) -> list[EntryInfo]:
    """Entries of one category, submitted in the order of their ids."""
    return [EntryInfo(e, category, tiebreak_key=e) for e in ids]


def single_marks(marks: dict[tuple[int, int], int]) -> list[Score]:
    """Scores on ``ONE_CRITERION`` from {(entry, juror): mark}."""
    return [Score(e, j, 1, v) for (e, j), v in marks.items()]


def by_entry(results: StageResults) -> dict:
    return {r.entry_id: r for r in results.entries}


def order(results: StageResults) -> list[int]:
    return [r.entry_id for r in results.entries]


def test_lenient_and_harsh_jurors_are_put_on_one_footing():
    # Juror 1 (lenient) marks entries 1-3, juror 2 (harsh) entries 4-6.
    marks = {(1, 1): 10, (2, 1): 9, (3, 1): 8, (4, 2): 7, (5, 2): 3, (6, 2): 2}
    results = compute_results(
        ONE_CRITERION, entries(1, 2, 3, 4, 5, 6), [1, 2], single_marks(marks),
        Settings(finalists_per_category=2),
        assignments=[Assignment(e, j) for e, j in marks],
    )
    # Juror 1: mean 9, sd sqrt(2/3) = 0.8165; juror 2: mean 4, sd sqrt(14/3) = 2.1602.
    a, b = results.jurors
    assert (a.letter, a.mean, b.letter, b.mean) == ("A", 9.0, "B", 4.0)
    assert (a.sd, b.sd) == (approx(0.8165), approx(2.1602))
    # Stage: totals 10, 9, 8, 7, 3, 2: mean 6.5, sd sqrt(53.5/6) = 2.9861.
    assert (results.pooled_mean, results.pooled_sd) == (6.5, approx(2.9861))
    # Entry 4's 7 is 3 / 2.1602 = 1.3887 of juror 2's spread above their usual 4; entry 1's 10
    # is only 1 / 0.8165 = 1.2247 of juror 1's spread above their usual 9. Adjusted figures:
    # 6.5 + z * 2.9861.
    expected = {1: 10.1572, 2: 6.5, 3: 2.8428, 4: 10.6469, 5: 5.1177, 6: 3.7354}
    for entry_id, figure in expected.items():
        assert by_entry(results)[entry_id].adjusted_mean == approx(figure)
    assert order(results) == [4, 1, 2, 5, 6, 3]
    assert [r.raw_rank for r in results.entries] == [4, 1, 2, 5, 6, 3]
    assert [r.raw_mean for r in results.entries] == [7, 10, 9, 3, 2, 8]
    assert [r.rank for r in results.entries] == [1, 2, 3, 4, 5, 6]
    assert [r.entry_id for r in results.entries if r.finalist] == [4, 1]


def test_weighted_totals_count_only_complete_sheets():
    criteria = [Criterion(1, weight=2.0, scale_min=1, scale_max=5),
                Criterion(2, weight=1.0, scale_min=1, scale_max=5)]
    scores = [
        Score(1, 1, 1, 5), Score(1, 1, 2, 2),  # (2*5 + 1*2) / 3 = 4
        Score(1, 2, 1, 3),  # criterion 2 left blank: incomplete, does not count
        Score(2, 1, 1, 2), Score(2, 1, 2, 5),  # (2*2 + 1*5) / 3 = 3
        Score(2, 2, 1, 4), Score(2, 2, 2, 4),  # 4
    ]  # juror 3 marked nothing
    results = compute_results(criteria, entries(1, 2), [1, 2, 3], scores, Settings(1))
    one, two = by_entry(results)[1], by_entry(results)[2]
    assert [(s.juror, s.status, s.total, s.criteria_scored) for s in one.sheets] == [
        ("A", "complete", 4.0, 2), ("B", "incomplete", None, 1), ("C", "missing", None, 0)]
    assert (one.jurors, one.raw_mean, two.jurors, two.raw_mean) == (1, 4.0, 2, 3.5)
    # Stage totals 4, 3, 4: mean 11/3, sd sqrt(2/9) = 0.4714. Juror A: 4 and 3, z = +1 and -1;
    # juror B has a single counted total, so z = 0.
    assert [s.adjusted for s in one.sheets] == [approx(4.1381), None, None]
    assert [s.adjusted for s in two.sheets] == [approx(3.1953), approx(3.6667), None]
    assert two.adjusted_mean == approx(3.4310)
    stats = {j.letter: j for j in results.jurors}
    assert (stats["A"].complete, stats["A"].mean, stats["A"].sd) == (2, 3.5, 0.5)
    assert (stats["B"].complete, stats["B"].incomplete, stats["B"].sd) == (1, 1, 0.0)
    assert (stats["C"].missing, stats["C"].mean, stats["C"].sd) == (2, None, None)


def test_a_conflicted_juror_is_left_out_even_if_they_marked_the_entry():
    marks = {(1, 1): 6, (1, 2): 8, (1, 3): 10, (2, 1): 7, (2, 2): 7, (2, 3): 3}
    conflicted = compute_results(ONE_CRITERION, entries(1, 2), [1, 2, 3], single_marks(marks),
                                 Settings(1), conflicts=[Conflict(1, 3)])
    entry = by_entry(conflicted)[1]
    assert (entry.jurors, entry.raw_mean, entry.conflicts) == (2, 7.0, 1)
    assert [(s.juror, s.status, s.total) for s in entry.sheets] == [
        ("A", "complete", 6.0), ("B", "complete", 8.0), ("C", "conflict", None)]
    assert conflicted.jurors[2].conflicts == 1
    # Exactly as if juror 3 had never marked entry 1.
    del marks[1, 3]
    unmarked = compute_results(ONE_CRITERION, entries(1, 2), [1, 2, 3], single_marks(marks),
                               Settings(1), conflicts=[Conflict(1, 3)])
    assert unmarked == conflicted


def test_equal_adjusted_means_are_separated_by_the_raw_mean():
    # Juror 1 marks entries 1, 2 with 9, 7; juror 2 marks 3, 4 with 5, 3: both +1 and -1
    # standard deviation around their own mean, so entries 1 and 3 (and 2 and 4) tie on the
    # adjusted mean 6 +/- sqrt(5) = 8.2361 (3.7639), and the raw mean decides.
    marks = {(1, 1): 9, (2, 1): 7, (3, 2): 5, (4, 2): 3}
    results = compute_results(ONE_CRITERION, entries(1, 2, 3, 4), [1, 2], single_marks(marks),
                              Settings(2), assignments=[Assignment(e, j) for e, j in marks])
    assert [r.adjusted_mean for r in results.entries] == [
        approx(8.2361), approx(8.2361), approx(3.7639), approx(3.7639)]
    assert order(results) == [1, 3, 2, 4]
    assert [r.decided_by for r in results.entries] == [None, "raw", "adjusted", "raw"]
    assert [r.raw_rank for r in results.entries] == [1, 3, 2, 4]


def test_then_the_earlier_submission_then_the_lower_entry_number():
    infos = [EntryInfo(1, 1, tiebreak_key=30), EntryInfo(2, 1, tiebreak_key=10),
             EntryInfo(3, 1, tiebreak_key=10), EntryInfo(4, 1, tiebreak_key=0)]
    marks = {(1, 1): 7, (2, 1): 7, (3, 1): 7, (4, 1): 4}
    results = compute_results(ONE_CRITERION, infos, [1], single_marks(marks), Settings(1))
    assert order(results) == [2, 3, 1, 4]
    assert [r.rank for r in results.entries] == [1, 2, 3, 4]
    assert [r.decided_by for r in results.entries] == [None, "id", "submitted", "adjusted"]


@pytest.mark.parametrize(("margin", "close"), [(0.5, []), (1.0, [2, 3]), (1.5, [2, 3]),
                                               (3.0, [1, 2, 3, 4])])
def test_close_calls_are_within_the_margin_of_the_other_side_of_the_line(margin, close):
    # A single juror: their spread is the stage's, so adjusted figures equal the totals.
    marks = {(1, 1): 10, (2, 1): 8, (3, 1): 7, (4, 1): 5, (5, 1): 2}
    results = compute_results(ONE_CRITERION, entries(1, 2, 3, 4, 5), [1], single_marks(marks),
                              Settings(finalists_per_category=2, close_call_margin=margin))
    assert [r.adjusted_mean for r in results.entries] == [
        approx(10), approx(8), approx(7), approx(5), approx(2)]
    assert [r.entry_id for r in results.entries if r.finalist] == [1, 2]
    assert [r.entry_id for r in results.entries if r.close_call] == close


def test_no_close_calls_without_a_line():
    marks = {(1, 1): 10, (2, 1): 9}
    results = compute_results(ONE_CRITERION, entries(1, 2), [1], single_marks(marks),
                              Settings(finalists_per_category=2, close_call_margin=5))
    assert [(r.finalist, r.close_call) for r in results.entries] == [(True, False)] * 2


def test_unscored_entries_come_last_in_submission_order_and_never_go_on():
    infos = [EntryInfo(1, 1, 3), EntryInfo(2, 1, 2), EntryInfo(3, 1, 1)]
    results = compute_results(ONE_CRITERION, infos, [1, 2], [Score(1, 1, 1, 2)],
                              Settings(finalists_per_category=3, close_call_margin=10))
    assert order(results) == [1, 3, 2]
    assert [r.unscored for r in results.entries] == [False, True, True]
    assert [r.finalist for r in results.entries] == [True, False, False]
    assert [r.decided_by for r in results.entries] == [None, "scored", "submitted"]
    last = results.entries[-1]
    assert (last.raw_mean, last.adjusted_mean, last.raw_rank, last.close_call) == (
        None, None, None, False)
    assert [s.status for s in last.sheets] == ["missing", "missing"]


def test_a_stage_without_any_mark():
    results = compute_results(ONE_CRITERION, entries(1, 2), [1], [], Settings(1))
    assert (results.pooled_mean, results.pooled_sd) == (None, None)
    assert [(r.rank, r.unscored, r.finalist) for r in results.entries] == [
        (1, True, False), (2, True, False)]


def test_categories_are_ranked_separately_but_leniency_is_stage_wide():
    infos = entries(1, 2, category=7) + entries(3, 4, category=5)
    marks = {(1, 1): 4, (2, 1): 6, (3, 1): 8, (4, 1): 10}
    results = compute_results(ONE_CRITERION, infos, [1], single_marks(marks), Settings(1))
    assert [(r.category_id, r.entry_id, r.rank, r.finalist) for r in results.entries] == [
        (5, 4, 1, True), (5, 3, 2, False), (7, 2, 1, True), (7, 1, 2, False)]
    # The juror's mean and spread are taken over both categories: 7 and sqrt(5).
    assert (results.jurors[0].mean, results.jurors[0].sd) == (7.0, approx(2.2361))


def test_juror_letters_follow_the_juror_ids_across_the_stage():
    marks = {(e, j): 5 + e for e, j in product([1, 2], [30, 10, 20])}
    results = compute_results(ONE_CRITERION, entries(1, 2), [30, 10, 20], single_marks(marks),
                              Settings(1))
    assert [(j.letter, j.juror_id) for j in results.jurors] == [("A", 10), ("B", 20), ("C", 30)]
    for entry in results.entries:
        assert [(s.juror, s.total) for s in entry.sheets] == [
            ("A", 5 + entry.entry_id), ("B", 5 + entry.entry_id), ("C", 5 + entry.entry_id)]


def test_letters_go_on_after_z():
    assert [juror_letter(i) for i in (0, 1, 25, 26, 27, 51, 52, 701, 702)] == [
        "A", "B", "Z", "AA", "AB", "AZ", "BA", "ZZ", "AAA"]
    results = compute_results(ONE_CRITERION, entries(1), range(28), [], Settings(1))
    assert [s.juror for s in results.entries[0].sheets][-3:] == ["Z", "AA", "AB"]


@pytest.mark.parametrize(("scores", "message"), [
    ([Score(1, 1, 9, 5)], "unknown criterion"),
    ([Score(1, 1, 1, 11)], "off the scale"),
    ([Score(1, 1, 1, 5), Score(1, 1, 1, 6)], "two marks"),
    ([Score(9, 1, 1, 5)], "unknown entry"),
    ([Score(1, 9, 1, 5)], "unknown entry 1 or juror 9"),
])
def test_impossible_marks_are_refused(scores, message):
    with pytest.raises(ValueError, match=message):
        compute_results(ONE_CRITERION, entries(1), [1], scores, Settings(1))


def test_inconsistent_inputs_are_refused():
    with pytest.raises(ValueError, match="weight"):
        Criterion(1, weight=0, scale_min=1, scale_max=5)
    with pytest.raises(ValueError, match="scale"):
        Criterion(1, weight=1, scale_min=5, scale_max=5)
    with pytest.raises(ValueError, match="two entry records"):
        compute_results(ONE_CRITERION, entries(1, 1), [1], [], Settings(1))
    with pytest.raises(ValueError, match="repeated juror"):
        compute_results(ONE_CRITERION, entries(1), [1, 1], [], Settings(1))
    with pytest.raises(ValueError, match="if and only if"):
        Sheet(1, 1, "incomplete", total=5.0)
    with pytest.raises(ValueError, match="repeated sheet"):
        rank(entries(1), [1], [Sheet(1, 1, "complete", 5.0)] * 2, Settings(1))
    with pytest.raises(ValueError, match="settings"):
        Settings(finalists_per_category=-1)


def test_results_survive_a_round_trip_through_json():
    marks = {(1, 1): 10, (2, 1): 9, (1, 2): 3}
    results = compute_results(ONE_CRITERION, entries(1, 2, 3), [1, 2], single_marks(marks),
                              Settings(1), conflicts=[Conflict(2, 2)])
    stored = json.loads(json.dumps(results.to_dict()))
    assert stored["version"] == RESULTS_VERSION
    assert StageResults.from_dict(stored) == results


# Properties


@st.composite
def stages(draw) -> dict:
    """Keyword arguments of ``compute_results`` for a small random stage."""
    criteria = [Criterion(c, draw(st.sampled_from([0.5, 1.0, 2.0, 3.0])), 1, 5)
                for c in range(1, draw(st.integers(1, 3)) + 1)]
    infos = [EntryInfo(e, draw(st.integers(1, 2)), draw(st.integers(0, 3)))
             for e in range(1, draw(st.integers(1, 8)) + 1)]
    jurors = list(range(1, draw(st.integers(1, 4)) + 1))
    scores, conflicts = [], []
    for entry, juror in product(infos, jurors):
        sheet = draw(st.sampled_from(["complete", "complete", "complete", "incomplete",
                                      "missing", "conflict"]))
        if sheet == "conflict":
            conflicts.append(Conflict(entry.id, juror))
        marked = criteria[:-1] if sheet == "incomplete" else criteria
        if sheet != "missing":
            scores += [Score(entry.id, juror, c.id, draw(st.integers(1, 5))) for c in marked]
    return dict(criteria=criteria, entries=infos, jurors=jurors, scores=scores,
                conflicts=conflicts, settings=Settings(draw(st.integers(0, 3)),
                                                       draw(st.sampled_from([0.0, 0.5, 1.0]))))


@settings(max_examples=80, deadline=None)
@given(stages(), st.data())
def test_results_do_not_depend_on_the_order_of_the_input(stage, data):
    shuffled = {name: data.draw(st.permutations(value)) if isinstance(value, list) else value
                for name, value in stage.items()}
    assert compute_results(**shuffled) == compute_results(**stage)


@st.composite
def totals(draw) -> tuple[list[EntryInfo], list[int], list[Sheet]]:
    """A small stage given by its jurors' totals (integers 1-10) rather than their marks."""
    infos = [EntryInfo(e, draw(st.integers(1, 2)), draw(st.integers(0, 3)))
             for e in range(1, draw(st.integers(2, 8)) + 1)]
    jurors = list(range(1, draw(st.integers(2, 4)) + 1))
    sheets = []
    for entry, juror in product(infos, jurors):
        total = draw(st.one_of(st.none(), st.integers(1, 10)))
        status = "missing" if total is None else "complete"
        sheets.append(Sheet(entry.id, juror, status, None if total is None else float(total)))
    return infos, jurors, sheets


def adjusted_order(results: StageResults) -> list[list[frozenset[int]]]:
    """Per category, the entries in adjusted order, those with equal adjusted means grouped."""
    groups: dict[int, list[set[int]]] = {}
    for r in results.entries:
        category = groups.setdefault(r.category_id, [])
        if r.decided_by in (None, "scored", "adjusted"):
            category.append(set())
        category[-1].add(r.entry_id)
    return [[frozenset(g) for g in category] for category in groups.values()]


def transformed(sheets: list[Sheet], juror: int, scale: float, shift: float) -> list[Sheet]:
    """The sheets with one juror's totals put through ``total * scale + shift``."""
    return [Sheet(s.entry_id, s.juror_id, s.status, s.total * scale + shift)
            if s.juror_id == juror and s.total is not None else s for s in sheets]


@settings(max_examples=80, deadline=None)
@given(totals(), st.data(), st.integers(-5, 5))
def test_shifting_one_jurors_totals_keeps_the_adjusted_ranking(stage, data, shift):
    infos, jurors, sheets = stage
    juror = data.draw(st.sampled_from(jurors))
    before = rank(infos, jurors, sheets, Settings(2))
    after = rank(infos, jurors, transformed(sheets, juror, 1.0, shift), Settings(2))
    assert adjusted_order(after) == adjusted_order(before)


@settings(max_examples=80, deadline=None)
@given(totals(), st.data(), st.sampled_from([0.25, 0.5, 2.0, 3.0]), st.integers(-5, 5))
def test_stretching_one_jurors_spread_keeps_the_adjusted_ranking(stage, data, scale, shift):
    infos, jurors, sheets = stage
    juror = data.draw(st.sampled_from(jurors))
    before = rank(infos, jurors, sheets, Settings(2))
    after = rank(infos, jurors, transformed(sheets, juror, scale, shift), Settings(2))
    assert adjusted_order(after) == adjusted_order(before)
