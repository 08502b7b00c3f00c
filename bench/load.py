"""Many people at once against the production setup (issue 17): gunicorn with 4 workers (as
deploy/systemd/contest-web.service starts it) on PostgreSQL, driven by locust, headless and
bounded in time.

The database (``--database``, default ``a11yload`` on 127.0.0.1:5432) is made anew: migrations,
the regions, the demo's two editions (last year's published winners and gallery, this year's
taking drawings) and a third, older edition whose Moscow jury is scoring, with 10 jurors. The
parents' photos are real JPEGs of 3–8 MB (noise, so they do not compress), made once per run.
Three runs of ``--seconds`` each:

1. **public**: ``--visitors`` visitors read the public pages (the contest's rules, privacy,
   results, the gallery, winners' pages), the same for every visitor and kept rendered by the
   app (``contest/public_pages.py``), with no pause between pages: the throughput the app gives;
2. **hello**: the same visitors against a hello-world Flask app under the same gunicorn: the
   throughput of gunicorn itself on this machine;
3. **forms**: the same visitors on the families' own pages, rendered for each visitor (the
   form with its one-time key and CSRF token, the school's form, the status pages): no target,
   the figure says what a crowd of families costs;
4. **mixed**: the visitors on all of those pages with a reader's pause (1–3 s), ``--parents``
   parents sending photos and ``--jurors`` jurors saving score sheets (1–3 s between actions),
   all at once.

Prints requests per second, p50/p95/p99 and errors per scenario, and PASS or FAIL against
the targets: public pages at least half the hello-world throughput with no error; every
scenario of the others without an error. Nothing is asserted. Locust and gunicorn share the
machine's cores, so the figures say as much about the machine as about the app.

    .venv/bin/python -m bench.load [--seconds 60] [--visitors 200] [--parents 30] [--jurors 10]
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import os
import random
import re
import secrets
import shlex
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
USERS = Path(__file__).resolve().parent / "loadtest" / "users.py"
SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
MB = 1024 * 1024
RUNS = {"public": "public pages, no pause",
        "hello": "hello-world Flask app, same gunicorn, no pause",
        "forms": "the families' forms and status pages, no pause",
        "mixed": "everyone at once"}


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seconds", type=int, default=60, help="length of each run")
    parser.add_argument("--visitors", type=int, default=200)
    parser.add_argument("--parents", type=int, default=30)
    parser.add_argument("--jurors", type=int, default=10)
    parser.add_argument("--workers", type=int, default=4, help="gunicorn's workers")
    parser.add_argument("--database", default="a11yload", help="made anew on " + SERVER)
    parser.add_argument("--only", default=",".join(RUNS),
                        help="runs to make, comma-separated")
    args = parser.parse_args(argv)
    args.only = [run for run in args.only.split(",") if run]
    unknown = set(args.only) - set(RUNS)
    if unknown:
        parser.error(f"unknown runs: {', '.join(sorted(unknown))}")
    return args


def hello_app():
    """The baseline: a Flask view answering every path with a short text
    (``gunicorn 'bench.load:hello_app()'``)."""
    from flask import Flask

    app = Flask("hello")
    app.add_url_rule("/<path:anything>", "hello", lambda anything: "Hello, world!")
    app.add_url_rule("/", "index", lambda: "Hello, world!")
    return app


# --- the database and its people ----------------------------------------------------------


def recreate_database(name: str) -> None:
    import psycopg

    with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", autocommit=True) as pg:
        pg.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        pg.execute(f'CREATE DATABASE "{name}"')


def seed() -> dict:
    """The demo's editions and a jury at work (run in the server's environment); returns the
    public pages, the families' pages, the jury's stage, its entries and jurors."""
    from sqlalchemy import select

    from contest import create_app, demo
    from contest.extensions import db
    from contest.judging import operations
    from contest.models import Contest, Entry, EntryStatus, Phase, Role, StageStatus
    from tests.factories import PASSWORD, Factory

    app = create_app()
    with app.app_context():
        demo.load(entries_count=20, echo=lambda _: None, drawing_size=(1200, 850),
                  judged_per_region=5)
        make = Factory(app)
        oldest = min(db.session.scalars(select(Contest.year)))
        jury = make.contest(year=oldest - 1, phase=Phase.SUBMISSIONS_OPEN)
        entries = [make.entry(jury, "RU-MOW", status=EntryStatus.ACCEPTED, size=(900, 700))
                   for _ in range(30)]
        jury.phase = Phase.REGIONAL_JUDGING
        stage = make.stage(jury, "RU-MOW")
        jurors = [make.user(Role.JUROR, stage=stage, email=f"load.juror{n}@example.org")
                  for n in range(10)]
        operations.change_status(stage, StageStatus.JUDGING_OPEN)
        db.session.commit()
        client = app.test_client()
        pages = ["/", "/privacy", "/gallery", "/results"]
        for start in ("/gallery", "/results"):
            html = client.get(start, follow_redirects=True).get_data(as_text=True)
            pages += sorted(set(_links(html, ("/gallery/", "/results/"))))[:6]
        open_entries = db.session.scalars(select(Entry).where(Entry.contest_id != jury.id)
                                          .limit(4))
        forms = ["/submit", "/submit/batch", "/status", "/status/lost-code",
                 *(f"/status/{e.code}" for e in open_entries)]
        return {"pages": pages, "forms": forms, "stage": stage.id,
                "entries": [e.id for e in entries], "jurors": [j.email for j in jurors],
                "password": PASSWORD}


def _links(html: str, prefixes: tuple[str, ...]) -> list[str]:
    return [href for href in re.findall(r'href="([^"#?]+)"', html)
            if href.startswith(prefixes) and not href.endswith((".jpg", ".png", ".pdf"))]


def make_photos(folder: Path, count: int = 6) -> list[int]:
    """JPEGs of 3–8 MB: a drawing-sized picture with enough noise that it does not compress."""
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    rng, sizes = random.Random(17), []
    for n in range(count):
        width = 2300 + 260 * n
        size = (width, width * 3 // 4)
        noise = Image.frombytes("RGB", size, rng.randbytes(size[0] * size[1] * 3))
        paper = Image.linear_gradient("L").convert("RGB").resize(size)
        out = io.BytesIO()
        Image.blend(paper, noise, 0.85).save(out, "JPEG", quality=90)
        (folder / f"photo-{n}.jpg").write_bytes(out.getvalue())
        sizes.append(len(out.getvalue()))
    return sizes


# --- the servers and the runs -------------------------------------------------------------


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def production_flags() -> list[str]:
    """gunicorn's flags in the production unit, without its workers and address (given here)."""
    unit = (ROOT / "deploy" / "systemd" / "contest-web.service").read_text()
    command = re.search(r"^ExecStart=(.*)$", unit.replace("\\\n", " "), re.M).group(1)
    words, flags = shlex.split(command)[1:-1], []  # without the program and the app
    while words:
        word = words.pop(0)
        if word in ("--workers", "--bind"):
            words.pop(0)
        else:
            flags.append(word)
    return flags


def start_gunicorn(app: str, env: dict[str, str], workers: int, log: Path):
    """gunicorn as production starts it (workers, timeouts, worker recycling); its URL."""
    port = _port()
    server = subprocess.Popen(
        [str(BIN / "gunicorn"), *production_flags(), "--workers", str(workers),
         "--bind", f"127.0.0.1:{port}", app],
        env=env, cwd=ROOT, stdout=log.open("w"), stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    for _ in range(300):
        try:
            urllib.request.urlopen(url + "/", timeout=5)
            return server, url
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"gunicorn stopped: see {log}") from None
            time.sleep(0.2)
    raise SystemExit(f"gunicorn did not answer: see {log}")


def stop(server) -> None:
    server.terminate()
    try:
        server.wait(timeout=40)
    except subprocess.TimeoutExpired:
        server.kill()


def run_locust(url: str, plan: dict, folder: Path, name: str, seconds: int) -> list[dict]:
    """One headless locust run; the rows of its statistics."""
    plan_file = folder / f"{name}-plan.json"
    plan_file.write_text(json.dumps(plan))
    users = sum(plan["counts"].values())
    classes = [cls for cls, count in plan["counts"].items() if count]
    subprocess.run(
        [sys.executable, "-m", "locust", "-f", str(USERS), "--headless", "--host", url,
         "--users", str(users), "--spawn-rate", str(max(20, users // 5)),
         "--run-time", f"{seconds}s", "--stop-timeout", "30", "--csv", str(folder / name),
         "--only-summary", "--loglevel", "WARNING", *classes],
        env={**os.environ, "LOAD_PLAN": str(plan_file)}, cwd=folder, check=False,
        stdout=(folder / f"{name}-locust.log").open("w"), stderr=subprocess.STDOUT)
    with (folder / f"{name}_stats.csv").open() as stats:
        rows = [row for row in csv.DictReader(stats) if row["Name"] != "Aggregated"]
    failures = folder / f"{name}_failures.csv"
    if failures.exists():
        with failures.open() as found:
            for row in csv.DictReader(found):
                print(f"    error × {row['Occurrences']}: {row['Name']}: {row['Error'][:160]}")
    return rows


def report(title: str, rows: list[dict]) -> dict[str, dict]:
    print(f"  {title}")
    print(f"    {'scenario':<24}{'requests':>9}{'req/s':>8}{'p50 ms':>8}{'p95 ms':>8}"
          f"{'p99 ms':>8}{'errors':>8}")
    figures = {}
    for row in rows:
        figures[row["Name"]] = row
        print(f"    {row['Name']:<24}{row['Request Count']:>9}{float(row['Requests/s']):>8.1f}"
              f"{row['50%']:>8}{row['95%']:>8}{row['99%']:>8}{row['Failure Count']:>8}")
    return figures


def main(argv: list[str] | None = None) -> None:
    args = parse_args(argv)
    try:
        recreate_database(args.database)
    except Exception as e:  # no server here: say so, as the other benches say what they lack
        print(f"bench.load: PostgreSQL at 127.0.0.1:5432 is needed ({e}); skipped")
        return
    folder = Path(tempfile.mkdtemp(prefix="bench-load-"))
    env = {**os.environ, "FLASK_APP": "contest", "SECRET_KEY": secrets.token_hex(32),
           "DATABASE_URL": f"{SERVER}/{args.database}", "UPLOAD_FOLDER": str(folder / "uploads"),
           "JOBS_URL": str(folder / "jobs.db"), "TRUSTED_PROXIES": "1",
           "PYTHONPATH": str(ROOT), "TMPDIR": str(folder)}
    print(f"bench.load: {args.seconds} s per run, gunicorn --workers {args.workers}, "
          f"PostgreSQL database {args.database}, files in {folder}")
    subprocess.run([str(BIN / "flask"), "db", "upgrade"], env=env, cwd=ROOT, check=True,
                   capture_output=True)
    seeded = subprocess.run(
        [sys.executable, "-c",
         "import json; from bench.load import seed; print(json.dumps(seed()))"],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    plan = json.loads(seeded.stdout.strip().splitlines()[-1])
    sizes = make_photos(folder / "photos")
    plan["photos"] = str(folder / "photos")
    print(f"  {len(plan['pages'])} public pages, {len(plan['forms'])} families' pages, "
          f"{len(plan['entries'])} drawings for "
          f"{len(plan['jurors'])} jurors, photos of "
          + ", ".join(f"{size / MB:.1f}" for size in sizes) + " MB")

    results = {}
    for run in args.only:
        app = "bench.load:hello_app()" if run == "hello" else "contest:create_app()"
        server, url = start_gunicorn(app, env, args.workers, folder / f"{run}-gunicorn.log")
        counts = {"Visitor": args.visitors}
        if run == "mixed":
            counts |= {"Parent": args.parents, "Juror": args.jurors}
        try:
            visit = {"public": plan["pages"], "hello": plan["pages"], "forms": plan["forms"],
                     "mixed": plan["pages"] + plan["forms"]}[run]
            rows = run_locust(url, {**plan, "counts": counts, "think": run == "mixed",
                                    "visit": visit}, folder, run, args.seconds)
        finally:
            stop(server)
        results[run] = report(RUNS[run], rows)

    print("targets:")
    if {"public", "hello"} <= results.keys():
        app, hello = (float(results[r]["public page"]["Requests/s"]) for r in ("public", "hello"))
        errors = int(results["public"]["public page"]["Failure Count"])
        verdict = "PASS" if app >= hello / 2 and not errors else "FAIL"
        print(f"  public pages {app:.1f} req/s = {app / hello:.2f}× hello world's {hello:.1f}, "
              f"{errors} errors (≥ 0.5×, 0 errors): {verdict}")
    for run in ("forms", "mixed"):
        for scenario in sorted(results.get(run, ())):
            errors = int(results[run][scenario]["Failure Count"])
            print(f"  {run}, {scenario}: {errors} errors (0): {'PASS' if not errors else 'FAIL'}")


if __name__ == "__main__":
    main()
