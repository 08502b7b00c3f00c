"""Balanced, overlapping assignment of entries to jurors, and its rebalancing."""

from collections import Counter
from itertools import combinations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from contest.judging.assignment import plan


def loads(pairs) -> Counter:
    return Counter(j for _, j in pairs)


def jurors_of(pairs) -> dict[int, set[int]]:
    found: dict[int, set[int]] = {}
    for e, j in pairs:
        found.setdefault(e, set()).add(j)
    return found


@given(entries=st.integers(1, 120), jurors=st.integers(3, 12), per_entry=st.integers(3, 6),
       seed=st.integers(0, 1000))
@settings(max_examples=60, deadline=None)
def test_every_entry_gets_its_jurors_and_loads_differ_by_at_most_one(entries, jurors, per_entry,
                                                                      seed):
    pairs = plan(range(entries), range(jurors), per_entry, seed=seed)
    wanted = min(per_entry, jurors)
    assert all(len(js) == wanted for js in jurors_of(pairs).values())
    assert len(jurors_of(pairs)) == entries
    counts = [loads(pairs)[j] for j in range(jurors)]
    assert max(counts) - min(counts) <= 1


def test_the_jurors_sharing_entries_vary():
    pairs = plan(range(600), range(10), 3, seed=7)
    shared = Counter(p for js in jurors_of(pairs).values() for p in combinations(sorted(js), 2))
    assert len(shared) == 45  # every two jurors meet on some entries
    assert max(shared.values()) < 2 * min(shared.values())


def test_fewer_jurors_than_wanted_means_everyone_scores_everything():
    assert plan([1, 2], [10, 11], 3) == {(1, 10), (1, 11), (2, 10), (2, 11)}
    assert plan([1, 2], [], 3) == frozenset()


def test_the_same_inputs_give_the_same_assignment():
    assert plan(range(50), range(6), 3, seed=4) == plan(range(50), range(6), 3, seed=4)


def test_a_new_juror_takes_work_from_the_others_and_little_else_moves():
    before = plan(range(300), range(6), 3, seed=1)
    after = plan(range(300), range(7), 3, current=before, seed=1)
    counts = loads(after)
    assert max(counts.values()) - min(counts.values()) <= 1
    assert counts[6] in (128, 129)  # 900 sheets shared by 7 jurors
    assert len(before - after) == counts[6]  # only the new juror's share moved


def test_a_departing_jurors_entries_go_to_the_others():
    before = plan(range(300), range(6), 3, seed=1)
    after = plan(range(300), range(5), 3, current=before, seed=1)
    assert {p for p in before if p[1] != 5} <= after
    assert all(len(js) == 3 for js in jurors_of(after).values())
    assert max(loads(after).values()) - min(loads(after).values()) <= 1


def test_started_sheets_never_move():
    before = plan(range(30), range(4), 3, seed=2)
    started = {p for p in before if p[1] == 0}
    after = plan(range(30), range(6), 3, current=before, started=started, seed=2)
    assert started <= after


def test_a_smaller_number_per_entry_releases_the_busiest():
    before = plan(range(40), range(8), 5, seed=3)
    after = plan(range(40), range(8), 3, current=before, seed=3)
    assert after <= before
    assert all(len(js) == 3 for js in jurors_of(after).values())


@pytest.mark.parametrize("gone", [0, 3])
def test_new_entries_are_assigned_on_rebalancing(gone):
    before = plan(range(20), range(5), 3, seed=gone)
    after = plan(range(25), range(5), 3, current=before, seed=gone)
    assert before <= after
    assert len(jurors_of(after)) == 25
