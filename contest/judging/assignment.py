"""Which juror scores which entry when a stage sets a number of jurors per entry (pure).

Every entry gets ``per_entry`` different jurors; jurors' loads differ by at most one; ties are
broken by a seeded random order, so that the pairs of jurors who share entries vary and each
juror's entries are a fair sample of the stage (the leniency adjustment relies on it).
Rebalancing starts from the current assignment and moves as few pairs as it can: a new juror
takes entries from the busiest jurors, a departing juror's entries go to the least busy, and a
pair whose sheet is already started never moves.
"""

import random
from collections.abc import Iterable

Pair = tuple[int, int]  # (entry_id, juror_id)


def plan(entry_ids: Iterable[int], juror_ids: Iterable[int], per_entry: int,
         current: Iterable[Pair] = (), started: Iterable[Pair] = (), seed: int = 0
         ) -> frozenset[Pair]:
    """The (entry, juror) pairs to assign; see the module docstring.

    ``current`` is the assignment so far, ``started`` the pairs with a sheet already begun.
    With fewer jurors than ``per_entry``, every juror gets every entry.
    """
    entries = sorted(set(entry_ids))
    jurors = sorted(set(juror_ids))
    if not jurors:
        return frozenset()
    rng = random.Random(seed)
    wanted = min(per_entry, len(jurors))
    known_entries, known_jurors = set(entries), set(jurors)
    fixed = {(e, j) for e, j in started if e in known_entries and j in known_jurors}
    on: dict[int, set[int]] = {e: set() for e in entries}
    for e, j in {*current, *fixed}:
        if e in on and j in known_jurors:
            on[e].add(j)
    load = {j: 0 for j in jurors}
    for e in entries:
        for j in on[e]:
            load[j] += 1

    # Fresh random tie-breaks at every choice, so that the sets of jurors sharing entries vary.
    def busiest_first(js: Iterable[int]) -> list[int]:
        return sorted(js, key=lambda j: (-load[j], rng.random()))

    def idlest_first(js: Iterable[int]) -> list[int]:
        return sorted(js, key=lambda j: (load[j], rng.random()))

    for e in entries:  # fewer jurors wanted than before: release the busiest
        for j in busiest_first(j for j in on[e] if (e, j) not in fixed):
            if len(on[e]) <= wanted:
                break
            on[e].discard(j)
            load[j] -= 1
    for e in entries:  # entries short of jurors take the least busy
        for j in idlest_first(j for j in jurors if j not in on[e])[:max(0, wanted - len(on[e]))]:
            on[e].add(j)
            load[j] += 1
    shuffled = entries[:]  # moved entries are then a random sample of the giver's
    rng.shuffle(shuffled)
    _balance(shuffled, on, load, fixed, idlest_first)
    return frozenset((e, j) for e in entries for j in on[e])


def _balance(entries: list[int], on: dict[int, set[int]], load: dict[int, int],
             fixed: set[Pair], idlest_first) -> None:
    """Move pairs from the busiest jurors to the least busy until loads differ by at most one."""
    while True:
        order = idlest_first(load)
        moved = False
        for giver in reversed(order):
            for taker in order:
                if load[giver] - load[taker] < 2:
                    break
                entry = next((e for e in entries if giver in on[e] and taker not in on[e]
                              and (e, giver) not in fixed), None)
                if entry is not None:
                    on[entry].remove(giver)
                    on[entry].add(taker)
                    load[giver] -= 1
                    load[taker] += 1
                    moved = True
                    break
            if moved:
                break
        if not moved:
            return
