"""Staff pages with 50,000 entries: p95 of each page over repeated requests.

The database gets one edition with 50,000 entries in 10 regions (5,000 per region), with their
consents; one region's jury has scored its accepted entries (3 jurors, every criterion) and
closed judging, so the ranking has its placements. Rows go in by bulk inserts, not the form.

Requests go through Flask's test client (the whole app: routing, access checks, queries,
templates; no network, no gunicorn), signed in through the sign-in form. Each page is asked
once to warm up, then ``--runs`` times; p95 and median are printed.
Wall-clock p95 depends on the machine's other load; the CPU column (this process) does less.
Targets: the yearly report, the moderation queue, the ranking and the organizer's dashboard
p95 < 300 ms at 50,000 entries; at 5,000 entries in a region the coordinator's list, the
dashboard and the calendar page p95 < 150 ms.

    .venv/bin/python -m bench.scale [--database URL] [--runs 20] [--per-region 5000]

``--database``: an empty PostgreSQL database (its tables are dropped and made anew), e.g.
``postgresql+psycopg://postgres@127.0.0.1:5432/bench``; by default a temporary SQLite file.
"""

import argparse
import random
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

from sqlalchemy import MetaData, insert, select, update
from werkzeug.security import generate_password_hash

from contest import create_app, regions
from contest.extensions import db
from contest.judging import operations
from contest.judging.models import Mark, Sheet
from contest.models import (
    AgeCategory,
    Consent,
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
    utcnow,
)

REGIONS = 10
PASSWORD = "bench-password"
SLOW, FAST = 0.300, 0.150  # seconds: the targets
TOWNS = [f"Город {n}" for n in range(300)]
NAMES = ["Маша", "Петя", "Аня", "Ваня", "Оля", "Саша", "Катя", "Миша", "Даша", "Лёша"]
STATUSES = ([EntryStatus.ACCEPTED] * 12 + [EntryStatus.RECEIVED] * 5 + [EntryStatus.REJECTED] * 2
            + [EntryStatus.NEEDS_PHOTO])


def edition() -> Contest:
    today = date.today()
    contest = Contest(
        year=today.year, title_ru="Крепкие кости", title_en="Strong bones", theme_ru="Кальций",
        phase=Phase.REGIONAL_JUDGING, submissions_open_on=today - timedelta(60),
        submissions_close_on=today - timedelta(1), regional_judging_until=today + timedelta(30),
        national_judging_until=today + timedelta(60), results_on=today + timedelta(70),
        age_reference_date=today)
    contest.age_categories = [
        AgeCategory(name_ru="Малыши", name_en="Little ones", min_age=4, max_age=7),
        AgeCategory(name_ru="Школьники", name_en="Pupils", min_age=8, max_age=11),
        AgeCategory(name_ru="Подростки", name_en="Teenagers", min_age=12, max_age=17)]
    contest.criteria = [Criterion(name_ru=f"Критерий {n}", name_en=f"Criterion {n}",
                                  weight=Decimal(1), position=n) for n in range(3)]
    contest.stages.append(Stage(kind=StageKind.NATIONAL))
    for region in db.session.scalars(select(Region).order_by(Region.id).limit(REGIONS)):
        contest.stages.append(Stage(kind=StageKind.REGIONAL, region=region))
    db.session.add(contest)
    db.session.commit()
    return contest


def fill(contest: Contest, per_region: int) -> None:
    """``per_region`` entries in each regional stage, with their consents: bulk inserts."""
    rng = random.Random(1)
    category = {age: next(c.id for c in contest.age_categories if c.min_age <= age <= c.max_age)
                for age in range(4, 18)}
    now, n = utcnow(), 0
    for stage in contest.regional_stages:
        rows, consents = [], []
        for _ in range(per_region):
            n += 1
            age = rng.randrange(4, 18)
            rows.append(dict(
                id=n, code=f"B{n:011d}", contest_id=contest.id, stage_id=stage.id,
                age_category_id=category[age], status=rng.choice(STATUSES), status_reason="",
                moderation_note="", child_first_name=rng.choice(NAMES),
                child_last_name=f"Фамилия{rng.randrange(3000)}", age=age,
                town=rng.choice(TOWNS), institution=f"Школа № {rng.randrange(200)}",
                teacher="", title=f"Рисунок {n}", description="", guardian_name="Родитель",
                guardian_email=f"p{n}@example.org", guardian_phone="", locale="ru",
                image_key=f"bench/{n}", image_sha256=f"{n:064d}", image_format="JPEG",
                image_bytes=1, width=1600, height=1131, effective_dpi=150, rotation=0,
                jury_masks=[], calendar_candidate=False, submitted_at=now, submitted_via="form",
                updated_at=now))
            consents += [dict(entry_id=n, kind=kind, version="1", at=now, granted=True)
                         for kind in ("personal_data", "show_name", "print")]
        db.session.execute(insert(Entry), rows)
        db.session.execute(insert(Consent), consents)
    db.session.commit()


def user(role: Role, email: str, **fields) -> User:
    person = User(email=email, name=email, role=role,
                  password_hash=generate_password_hash(PASSWORD, "pbkdf2:sha256:1000"), **fields)
    db.session.add(person)
    db.session.commit()
    return person


def judge(contest: Contest, stage: Stage) -> None:
    """``stage``'s moderation ends, three jurors score every accepted entry and judging closes
    (the ranking)."""
    db.session.execute(update(Entry).where(
        Entry.stage_id == stage.id, Entry.status.in_((EntryStatus.RECEIVED,
                                                      EntryStatus.NEEDS_PHOTO)))
        .values(status=EntryStatus.ACCEPTED))
    jurors = [user(Role.JUROR, f"juror{n}@bench.example") for n in range(3)]
    for juror in jurors:
        juror.juror_stages.append(stage)
    operations.change_status(stage, StageStatus.JUDGING_OPEN)
    db.session.commit()
    accepted = db.session.scalars(select(Entry.id).where(
        Entry.stage_id == stage.id, Entry.status == EntryStatus.ACCEPTED)).all()
    rng, sheet_id, now = random.Random(2), 0, utcnow()
    sheets, marks = [], []
    for entry_id in accepted:
        for juror in jurors:
            sheet_id += 1
            sheets.append(dict(id=sheet_id, stage_id=stage.id, entry_id=entry_id,
                               juror_id=juror.id, comment="", complete=True, conflict=False,
                               conflict_note="", calendar_candidate=False, updated_at=now))
            marks += [dict(sheet_id=sheet_id, criterion_id=c.id, value=rng.randrange(1, 11))
                      for c in contest.criteria]
    db.session.execute(insert(Sheet), sheets)
    db.session.execute(insert(Mark), marks)
    db.session.commit()
    operations.change_status(stage, StageStatus.JUDGING_CLOSED)
    db.session.commit()


def p95(times: list[float]) -> float:
    return statistics.quantiles(times, n=20)[-1] if len(times) > 1 else times[0]


def measure(client, url: str, runs: int, before=None) -> tuple[list[float], list[float]]:
    """Wall-clock and CPU seconds (this process's) of each of ``runs`` requests."""
    response = client.get(url)  # warm-up: caches, templates
    assert response.status_code == 200, (url, response.status_code)
    times, cpu = [], []
    for _ in range(runs):
        if before is not None:
            before()
        start, start_cpu = time.perf_counter(), time.process_time()
        response = client.get(url)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
        assert response.status_code == 200, (url, response.status_code)
    return times, cpu


def touch(app, entry_id: int):
    """An entry changes (its last-change time): the report's kept counts are stale."""
    def change():
        with app.app_context():
            db.session.execute(update(Entry).where(Entry.id == entry_id).values(rotation=0))
            db.session.commit()
    return change


def signed_in(app, email: str):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": email, "password": PASSWORD})
    assert response.status_code == 302, email
    return client


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--database", help="SQLAlchemy URL of an empty database")
    parser.add_argument("--per-region", type=int, default=5_000)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="bench-scale-"))
    app = create_app({
        "TESTING": True, "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False,
        "SQLALCHEMY_DATABASE_URI": args.database or f"sqlite:///{work}/bench.db",
        "UPLOAD_FOLDER": str(work / "uploads"), "JOBS_URL": str(work / "jobs.db"),
        "OUTBOX_FOLDER": str(work / "outbox")})
    failed = False
    with app.app_context():
        if args.database:
            meta = MetaData()
            meta.reflect(db.engine)
            meta.drop_all(db.engine)
        db.create_all()
        regions.sync()
        contest = edition()
        started = time.perf_counter()
        fill(contest, args.per_region)
        filled = time.perf_counter() - started
        stage, judged_stage = contest.regional_stages[0], contest.regional_stages[-1]
        started = time.perf_counter()
        judge(contest, judged_stage)
        judged = time.perf_counter() - started
        if db.engine.dialect.name == "postgresql":  # as autovacuum would soon after the inserts
            with db.engine.begin() as connection:
                connection.exec_driver_sql("ANALYZE")
        user(Role.ORGANIZER, "organizer@bench.example")
        user(Role.COORDINATOR, "coordinator@bench.example", region=stage.region)
        total = args.per_region * REGIONS
        ids = (contest.id, stage.id, judged_stage.id)
        db.session.remove()
    organizer = signed_in(app, "organizer@bench.example")
    coordinator = signed_in(app, "coordinator@bench.example")
    contest_id, stage_id, judged_id = ids
    report = f"/organizer/contests/{contest_id}/report"
    pages = [
        ("yearly report", organizer, report, SLOW),
        ("yearly report, each after a change", organizer, report, SLOW, touch(app, 1)),
        ("moderation queue (organizer)", organizer, f"/coordinator/?stage={stage_id}", SLOW),
        ("ranking", organizer, f"/stages/{judged_id}/ranking", SLOW),
        ("organizer's dashboard", organizer, "/organizer/", SLOW),
        ("coordinator's list", coordinator, "/coordinator/", FAST),
        ("coordinator's list, all", coordinator, "/coordinator/?status=all&view=table", FAST),
        ("dashboard", organizer, "/organizer/", FAST),
        ("calendar page (region)", coordinator, f"/calendar?contest={contest_id}", FAST),
        ("calendar page (national)", organizer, f"/calendar?contest={contest_id}", FAST),
    ]
    print(f"{app.config['SQLALCHEMY_DATABASE_URI'].split(':')[0]}: "
          f"{total:,} entries in {REGIONS} regions ({args.per_region:,} per region); "
          f"filled in {filled:.1f} s, one region judged in {judged:.1f} s; "
          f"{args.runs} requests per page (Flask test client)")
    print(f"  {'page':36} {'median':>9} {'p95':>9} {'target':>8}       {'CPU p95':>9}")
    for name, client, url, target, *before in pages:
        times, cpu = measure(client, url, args.runs, *before)
        ok = p95(times) < target
        failed |= not ok
        print(f"  {name:36} {statistics.median(times) * 1000:7.0f}ms {p95(times) * 1000:7.0f}ms "
              f"{'<' + str(int(target * 1000)) + 'ms':>8} {'ok' if ok else 'SLOW':4}  "
              f"{p95(cpu) * 1000:7.0f}ms")
    print("  (CPU: this process's time, which on a busy machine is nearer the page's own cost; "
          "on PostgreSQL it leaves out the server's work)")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
