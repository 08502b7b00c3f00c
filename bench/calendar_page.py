"""Server time of the calendar page (/calendar): loading it, and placing a drawing on a page as
the page's script does (an htmx request answered with the board's and the preview's partial).

On the demo database (``contest.demo.load``, made once into ``--data`` and reused), signed in
as the organizer, through the Flask test client, timed around each request: the page's load
(the first after a placement, then warm) and thirteen placements on the national calendar,
each followed by the preview the page then shows, the list of drawings searched and paged, and
"fill from the ranking" on an empty
board. Then the same with ``--entries`` accepted
entries in each of three regions (the regional calendars' candidates; 5,000 by default), on a
coordinator's regional calendar. Targets: a placement (with its preview) under 300 ms, the
page under 300 ms.

    .venv/bin/python -m bench.calendar_page [--data /tmp/calendar-page-bench] [--entries 5000]
"""

import argparse
import gc
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

from sqlalchemy import insert, select

from contest import create_app, demo, wall_calendar
from contest.extensions import db
from contest.models import Entry, EntryStatus, Region, Role, Stage, StageKind, User

TARGET_PLACEMENT = 0.300
TARGET_PAGE = 0.300
HTMX = {"HX-Request": "true"}


def app_on(folder: Path):
    folder.mkdir(parents=True, exist_ok=True)
    return create_app({
        "SECRET_KEY": "bench" * 8, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'bench.db'}",
        "UPLOAD_FOLDER": str(folder / "uploads"), "OUTBOX_FOLDER": str(folder / "outbox"),
        "JOBS_URL": str(folder / "jobs.db"), "WTF_CSRF_ENABLED": False,
        "RATELIMIT_ENABLED": False, "HELD_PHOTOS_FOLDER": str(folder / "held"),
    })


def schema_tag() -> str:
    """A short name for the tables' current shape: a demo made before a migration is not
    reused (a new one is made beside it)."""
    shape = sorted((t.name, tuple(c.name for c in t.columns)) for t in db.metadata.tables.values())
    return hashlib.sha256(repr(shape).encode()).hexdigest()[:12]


def sign_in(client, email: str) -> None:
    response = client.post("/auth/login", data={"email": email, "password": demo.PASSWORD})
    assert response.status_code == 302, f"{email} could not sign in"


def summary(times: list[float]) -> str:
    median = statistics.median(times)
    p95 = statistics.quantiles(times, n=20, method="inclusive")[-1] if len(times) > 1 else median
    return f"p50 {median * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {max(times) * 1000:.0f} ms"


def timed(call, *args, **kwargs) -> float:
    """Seconds for one request, which must succeed."""
    begin = time.perf_counter()
    response = call(*args, **kwargs)
    elapsed = time.perf_counter() - begin
    assert response.status_code == 200, response.status_code
    return elapsed


def bench(client, query: str, entry_ids: list[int], label: str) -> bool:
    """Thirteen placements (each with the preview it shows), the page between them."""
    gc.collect()
    for slot in wall_calendar.SLOTS:  # start from an empty board
        client.post(f"/calendar/assign?{query}", data={"slot": slot, "entry": 0})
    cold = timed(client.get, f"/calendar?{query}")
    warm = [timed(client.get, f"/calendar?{query}") for _ in range(5)]
    placing, previews, total = [], [], 0.0
    for slot, entry in zip(wall_calendar.SLOTS, entry_ids, strict=False):
        place = timed(client.post, f"/calendar/assign?{query}", headers=HTMX,
                      data={"slot": slot, "entry": entry})
        look = timed(client.get, f"/calendar/preview/{slot}.png?{query}")
        placing.append(place)
        previews.append(look)
        total += place + look
    after = [timed(client.get, f"/calendar?{query}") for _ in range(5)]
    # the list's own requests (htmx): a search by town, the unused ones, a page further on
    listing = [timed(client.get, f"/calendar?{query}&{ask}",
                     headers={**HTMX, "HX-Target": "candidate-list"})
               for ask in ("q=а", "unused=1", "page=3", "q=а&page=2", "unused=1&page=50")]
    filling = []
    for _ in range(3):  # from an empty board, as the button does it
        for slot in wall_calendar.SLOTS:
            client.post(f"/calendar/assign?{query}", data={"slot": slot, "entry": 0})
        filling.append(timed(client.post, f"/calendar/fill?{query}", headers=HTMX))
    print(f"{label}")
    print(f"  page load: first {cold * 1000:.0f} ms; warm {summary(warm)}; "
          f"after 13 placements {summary(after)}")
    print(f"  placement (htmx partial): {summary(placing)}")
    print(f"  the list searched or paged (htmx partial): {summary(listing)}")
    print(f"  its preview image: {summary(previews)}")
    both = [a + b for a, b in zip(placing, previews, strict=True)]
    print(f"  placement + preview: {summary(both)}; "
          f"13 pages in {total:.2f} s")
    print(f"  fill from the ranking, empty board (htmx): {summary(filling)}")
    slow = max(both) > TARGET_PLACEMENT or statistics.median(after) > TARGET_PAGE
    print("  " + ("SLOW" if slow else "ok") + f" (targets: placement with its preview under "
          f"{TARGET_PLACEMENT * 1000:.0f} ms, page under {TARGET_PAGE * 1000:.0f} ms)")
    return not slow


def printable_candidates(contest, region) -> list[int]:
    return [e.id for e in wall_calendar.candidates(contest, region) if wall_calendar.printable(e)]


def add_entries(contest, region: Region, count: int) -> None:
    """``count`` accepted entries in the region's stage, sharing one stored drawing's files."""
    stage = db.session.scalar(select(Stage).where(
        Stage.contest_id == contest.id, Stage.region_id == region.id,
        Stage.kind == StageKind.REGIONAL))
    model = db.session.scalar(select(Entry).where(Entry.stage_id == stage.id))
    skip = {"id", "code", "created_at", "submitted_at"}
    template = {c.key: getattr(model, c.key) for c in Entry.__mapper__.column_attrs
                if c.key not in skip}
    rows = []
    for n in range(count):
        unique = hashlib.sha256(f"bench-{region.id}-{n}".encode()).hexdigest()
        rows.append(dict(template, code=f"B{region.id}-{n}", status=EntryStatus.ACCEPTED,
                         award=None, calendar_candidate=False, child_last_name=f"Бенч{n}",
                         image_sha256=unique))
    db.session.execute(insert(Entry), rows)
    db.session.commit()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=Path("/tmp/calendar-page-bench"),
                        help="where the demo is kept (one folder per database schema)")
    parser.add_argument("--entries", type=int, default=5000,
                        help="accepted entries per region for the second run (0: skip it)")
    args = parser.parse_args()
    app = app_on(args.data / schema_tag())
    ok = True
    with app.app_context():
        db.create_all()
        if not demo.has_data():
            print("Making the demo database (once; about a minute)...", file=sys.stderr)
            demo.load(echo=lambda _: None, workers=min(2, os.cpu_count() or 1))
        organizer = db.session.scalar(select(User).where(User.email == "organizer@demo.example"))
        contest = wall_calendar.editions()[0]
        client = app.test_client()
        sign_in(client, organizer.email)
        ok &= bench(client, f"contest={contest.id}", printable_candidates(contest, None),
                    f"Demo database, national calendar ({len(wall_calendar.candidates(contest))} "
                    "candidates)")
        if args.entries:
            codes = ("RU-MOW", "RU-SPE", "RU-TA")
            for code in codes:
                region = db.session.scalar(select(Region).where(Region.code == code))
                have = len(wall_calendar.candidates(contest, region))
                if have < args.entries:
                    add_entries(contest, region, args.entries - have)
            region = db.session.scalar(select(Region).where(Region.code == "RU-MOW"))
            coordinator = db.session.scalar(select(User).where(
                User.role == Role.COORDINATOR, User.region_id == region.id))
            client = app.test_client()
            sign_in(client, coordinator.email)
            ok &= bench(client, f"contest={contest.id}&region={region.id}",
                        printable_candidates(contest, region)[:13],
                        f"{args.entries} entries in each of {len(codes)} regions, the "
                        f"coordinator's regional calendar ({region.code})")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
