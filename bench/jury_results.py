"""Time to compute a stage's results from 100,000 marks (target: under 1 s).

2,500 entries in 4 age categories, 10 jurors of different leniency, 4 criteria: every juror
marks every entry; a few declare a conflict of interest. The data are random but seeded.

    .venv/bin/python -m bench.jury_results [--runs 20]
"""

import argparse
import random
import statistics
import sys
import time

from contest.judging.results import (
    Conflict,
    Criterion,
    EntryInfo,
    Score,
    Settings,
    StageResults,
    compute_results,
)

TARGET_SECONDS = 1.0


def make_stage(entries: int = 2_500, jurors: int = 10, criteria: int = 4, seed: int = 1) -> dict:
    """Keyword arguments of ``compute_results`` for a random stage; lenient and harsh jurors."""
    rng = random.Random(seed)
    crits = [Criterion(c, weight=rng.choice([1.0, 1.5, 2.0]), scale_min=1, scale_max=10)
             for c in range(1, criteria + 1)]
    infos = [EntryInfo(e, category_id=e % 4, tiebreak_key=e) for e in range(1, entries + 1)]
    juror_ids = list(range(101, 101 + jurors))
    leniency = {j: rng.uniform(-2, 2) for j in juror_ids}
    scores, conflicts = [], []
    for entry in infos:
        quality = rng.gauss(5.5, 1.5)
        for j in juror_ids:
            if rng.random() < 0.002:
                conflicts.append(Conflict(entry.id, j))
            for c in crits:
                value = round(quality + leniency[j] + rng.gauss(0, 1))
                scores.append(Score(entry.id, j, c.id, min(10, max(1, value))))
    return dict(criteria=crits, entries=infos, jurors=juror_ids, scores=scores,
                conflicts=conflicts, settings=Settings(finalists_per_category=10))


def time_results(runs: int, stage: dict) -> list[float]:
    """Seconds taken by each of ``runs`` computations of the stage's results."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        results: StageResults = compute_results(**stage)
        times.append(time.perf_counter() - start)
    assert len(results.entries) == len(stage["entries"])
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    stage = make_stage()
    times = time_results(args.runs, stage)
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else median
    print(f"results from {len(stage['scores']):,} marks ({len(stage['entries']):,} entries, "
          f"{len(stage['jurors'])} jurors, {len(stage['criteria'])} criteria), {args.runs} runs:")
    print(f"  median {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms "
          f"(target under {TARGET_SECONDS * 1000:.0f} ms)")
    return 0 if p95 < TARGET_SECONDS else 1


if __name__ == "__main__":
    sys.exit(main())
