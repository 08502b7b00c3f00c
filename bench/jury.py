"""Server time of the jury's pages for a stage of 5,000 entries and 10 jurors, and the time to
compute results from 100,000 marks (``bench.jury_results``).

The stage lives in a file SQLite database; entries and sheets go straight into it (uploads and
form posts are measured elsewhere). Every juror has marked every entry on 4 criteria, except the
first, who has done half and is on the score sheet. Pages are requested through the Flask test
client, signed in, and timed around the request (targets: under 50 ms).

    .venv/bin/python -m bench.jury [--entries 5000] [--jurors 10] [--requests 60]
"""

import argparse
import gc
import random
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

from flask_login.utils import _create_identifier
from sqlalchemy import func, insert, select

from contest import create_app, regions
from contest.extensions import db
from contest.judging import operations
from contest.judging.models import Mark, Sheet
from contest.judging.routes import RANKING_PAGE_SIZE
from contest.models import (
    AgeCategory,
    Contest,
    Criterion,
    Entry,
    EntryStatus,
    Phase,
    Region,
    Role,
    Stage,
    StageKind,
    StageStatus,
    User,
)

from .jury_results import TARGET_SECONDS, make_stage, time_results

TARGET_PAGE_SECONDS = 0.050


def build(entries: int, jurors: int, seed: int = 1) -> tuple[Stage, list[User], User]:
    """A regional stage in judging with ``entries`` accepted entries, all marked but half."""
    rng = random.Random(seed)
    regions.sync()
    today = date.today()
    contest = Contest(
        year=today.year, title_ru="Бенчмарк", theme_ru="Кости", phase=Phase.REGIONAL_JUDGING,
        submissions_open_on=today - timedelta(days=60), submissions_close_on=today,
        regional_judging_until=today + timedelta(days=30),
        national_judging_until=today + timedelta(days=60),
        results_on=today + timedelta(days=90), age_reference_date=today)
    contest.age_categories = [AgeCategory(name_ru=f"Категория {n}", min_age=4 + 3 * n,
                                          max_age=6 + 3 * n) for n in range(4)]
    contest.criteria = [Criterion(name_ru=f"Критерий {n}", weight=Decimal(1 + n % 2), position=n)
                        for n in range(4)]
    region = db.session.scalar(select(Region).where(Region.code == "RU-MOW"))
    stage = Stage(kind=StageKind.REGIONAL, region=region, finalists_per_category=10)
    contest.stages = [Stage(kind=StageKind.NATIONAL), stage]
    people = [User(email=f"juror{n}@bench.example", name=f"Член жюри {n}", role=Role.JUROR,
                   password_hash="-") for n in range(jurors)]
    stage.jurors = people
    organizer = User(email="organizer@bench.example", name="Организатор", role=Role.ORGANIZER,
                     password_hash="-")
    db.session.add_all([contest, organizer])
    db.session.flush()

    start = datetime(today.year, 1, 1)
    categories = [c.id for c in contest.age_categories]
    db.session.execute(insert(Entry), [dict(
        code=f"J{n:09d}", contest_id=contest.id, stage_id=stage.id,
        age_category_id=categories[n % 4], status=EntryStatus.ACCEPTED,
        child_first_name="Имя", child_last_name="Фамилия", age=6 + n % 9, town="Город",
        title=f"Рисунок {n}", guardian_name="Родитель", image_key=f"bench/J{n:09d}",
        image_sha256=f"{n:064d}", image_format="JPEG", image_bytes=1, width=400, height=283,
        effective_dpi=60, submitted_at=start + timedelta(minutes=n)) for n in range(entries)])
    entry_ids = db.session.scalars(select(Entry.id).where(Entry.stage_id == stage.id)
                                   .order_by(Entry.id)).all()
    criteria = [c.id for c in contest.criteria]
    quality = {e: rng.gauss(5.5, 1.5) for e in entry_ids}
    sheets, marks, sheet_id = [], [], 0
    for n, juror in enumerate(people):
        leniency = rng.uniform(-2, 2)
        for e in entry_ids[: entries // 2] if n == 0 else entry_ids:
            sheet_id += 1
            sheets.append(dict(id=sheet_id, stage_id=stage.id, entry_id=e, juror_id=juror.id,
                               complete=True))
            marks.extend(dict(sheet_id=sheet_id, criterion_id=c,
                              value=min(10, max(1, round(quality[e] + leniency
                                                         + rng.gauss(0, 1)))))
                         for c in criteria)
    db.session.execute(insert(Sheet), sheets)
    db.session.execute(insert(Mark), marks)
    stage.status = StageStatus.JUDGING_OPEN
    db.session.commit()
    return stage, people, organizer


def sign_in(client, user_id: int) -> None:
    with client.application.test_request_context(environ_base=client.environ_base):
        identifier = _create_identifier()
    with client.session_transaction() as session:
        session.update({"_user_id": str(user_id), "_fresh": True, "_id": identifier})


def timed(client, urls: list[str]) -> list[float]:
    """Seconds for each GET, after one warm-up request; every answer must be 200."""
    # The setup's garbage (building the stage, computing its results) is collected first:
    # a web worker does not carry it, and its collection is not the page's time.
    gc.collect()
    client.get(urls[0])
    times = []
    for url in urls:
        begin = time.perf_counter()
        response = client.get(url)
        times.append(time.perf_counter() - begin)
        assert response.status_code == 200, (url, response.status_code)
    return times


def summary(times: list[float]) -> tuple[float, float]:
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else median
    return median, p95


def report(label: str, times: list[float], target: float) -> bool:
    median, p95 = summary(times)
    ok = p95 < target
    print(f"  {label}: median {median * 1000:.1f} ms, p95 {p95 * 1000:.1f} ms "
          f"(target under {target * 1000:.0f} ms) {'ok' if ok else 'SLOW'}")
    return ok


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=5_000)
    parser.add_argument("--jurors", type=int, default=10)
    parser.add_argument("--requests", type=int, default=60)
    args = parser.parse_args()
    rng = random.Random(2)
    ok = True
    with tempfile.TemporaryDirectory() as tmp:
        app = create_app({"TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
                          "SQLALCHEMY_DATABASE_URI": f"sqlite:///{Path(tmp) / 'bench.db'}",
                          "UPLOAD_FOLDER": str(Path(tmp) / "uploads"),
                          "JOBS_URL": str(Path(tmp) / "jobs.db"), "RATELIMIT_ENABLED": False})
        # Requests run outside these contexts, each in its own, as in production.
        with app.app_context():
            db.create_all()
            begin = time.perf_counter()
            stage, jurors, organizer = build(args.entries, args.jurors)
            marks = db.session.scalar(select(func.count()).select_from(Mark))
            print(f"stage of {args.entries:,} entries, {args.jurors} jurors, {marks:,} marks "
                  f"(built in {time.perf_counter() - begin:.1f} s), {args.requests} requests each:")
            entry_ids = db.session.scalars(select(Entry.id).where(Entry.stage_id == stage.id)).all()
            categories = db.session.scalars(select(AgeCategory.id)).all()
            stage_id, juror_id, organizer_id = stage.id, jurors[0].id, organizer.id
            client = app.test_client()
            sign_in(client, juror_id)
        urls = [f"/jury/{stage_id}/entries/{rng.choice(entry_ids)}" for _ in range(args.requests)]
        ok &= report("score sheet (GET, with progress and the next unscored entry)",
                     timed(client, urls), TARGET_PAGE_SECONDS)

        with app.app_context():
            begin = time.perf_counter()
            operations.change_status(db.session.get(Stage, stage_id), StageStatus.JUDGING_CLOSED)
            db.session.commit()
            print(f"  closing the stage (results computed from the database and stored): "
                  f"{time.perf_counter() - begin:.2f} s")
            sign_in(client, organizer_id)
        pages = args.entries // len(categories) // RANKING_PAGE_SIZE
        urls = [f"/stages/{stage_id}/ranking?category={rng.choice(categories)}"
                f"&page={rng.randint(1, pages)}" for _ in range(args.requests)]
        ok &= report(f"ranking page (GET, {RANKING_PAGE_SIZE} entries with explanations)",
                     timed(client, urls), TARGET_PAGE_SECONDS)
        with app.app_context():
            db.engine.dispose()

    stage_data = make_stage(entries=2_500, jurors=10, criteria=4)
    times = time_results(10, stage_data)
    print(f"results from {len(stage_data['scores']):,} marks (bench.jury_results), 10 runs:")
    ok &= report("compute_results", times, TARGET_SECONDS)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
