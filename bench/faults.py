"""Faults of a production setup, made on purpose, and what became of the data (issue 17).

1. **A gunicorn worker killed mid-upload.** gunicorn (2 workers) on SQLite and an S3 bucket
   (moto's server on this machine): families send drawings from 4 threads while a killer sends
   ``SIGKILL`` to the workers. Then ``flask storage check`` (files left by
   a kill between the files and the commit are pending, not faults), the sweeper as it runs an
   hour later, and the check again: no file without a row, no row without its files. The
   killer watches the bucket and strikes when a new upload's first pending marker appears,
   every other time: inside the window between storing the files and the commit.
2. **A job worker killed mid-job.** A certificate batch in ``flask jobs worker``, killed with
   ``SIGKILL`` halfway; a second worker takes the job over once its heartbeat is stale
   (``JOBS_STALE_SECONDS``, 60 s): the job is done once, its ZIP holds each school once.
3. **The rate-limit Redis down.** gunicorn with ``RATELIMIT_STORAGE_URI`` at a port where
   nothing listens: pages, the upload and sign-in answer without a 5xx.

Each prints its figures and PASS or FAIL; nothing is asserted.

    .venv/bin/python -m bench.faults [--uploads 40] [--only upload,job,redis]
"""

from __future__ import annotations

import argparse
import io
import os
import random
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
import zipfile
from pathlib import Path

import requests

from bench.hostile import FLASK, ROOT, _region_id, prepare_database

GUNICORN = Path(sys.executable).with_name("gunicorn")


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _snippet(env: dict[str, str], code: str) -> str:
    """Run ``code`` with the app of ``env`` in context; its standard output."""
    done = subprocess.run([sys.executable, "-c", (
        "from contest import create_app\nfrom contest.extensions import db\n"
        "app = create_app()\nwith app.app_context():\n"
        + "".join(f"    {line}\n" for line in code.splitlines()))],
        env=env, cwd=ROOT, check=True, capture_output=True, text=True)
    return done.stdout


class Gunicorn:
    """``gunicorn 'contest:create_app()'`` as deploy/systemd/contest-web.service runs it."""

    def __init__(self, env: dict[str, str], workers: int = 2) -> None:
        self.port = _port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process = subprocess.Popen(
            [str(GUNICORN), "--workers", str(workers), "--bind", f"127.0.0.1:{self.port}",
             "contest:create_app()"], env=env, cwd=ROOT,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        for _ in range(600):
            try:
                requests.get(f"{self.url}/privacy", timeout=60)
                return
            except requests.ConnectionError:
                time.sleep(0.1)
        raise RuntimeError("gunicorn did not start")

    def workers(self) -> list[int]:
        path = Path(f"/proc/{self.process.pid}/task/{self.process.pid}/children")
        return [int(pid) for pid in path.read_text().split()]

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(30)


def _family(url: str, fields: dict, image: bytes) -> int | str:
    """One family's upload through the form (CSRF token and all): the status, or the error."""
    browser = requests.Session()
    try:
        page = browser.get(f"{url}/submit", timeout=60).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        return browser.post(f"{url}/submit", data={**fields, "csrf_token": token},
                            files={"image": ("drawing.jpg", image, "image/jpeg")},
                            allow_redirects=False, timeout=120).status_code
    except (requests.RequestException, TypeError) as error:  # killed: no answer, or no form
        return type(error).__name__


def _fields(region: str, n: int) -> dict[str, str]:
    return {"region": region, "town": "Казань", "child_first_name": f"Маша{n}",
            "child_last_name": "Иванова", "birth_date": "", "age": "9",
            "institution": "Школа № 5", "teacher": "", "title": f"Рисунок {n}",
            "description": "", "guardian_name": "Иванова Анна",
            "guardian_email": f"anna{n}@example.org", "guardian_phone": "",
            "consent_personal_data": "y", "consent_print": "y"}


def _check(env: dict[str, str]) -> str:
    done = subprocess.run([str(FLASK), "storage", "check"], env=env, cwd=ROOT,
                          capture_output=True, text=True)
    return f"exit {done.returncode}: {done.stdout.strip().splitlines()[-1]}"


def killed_uploads(folder: Path, uploads: int) -> bool:
    from moto.server import ThreadedMotoServer

    from tests.factories import jpeg

    s3_port = _port()
    server = ThreadedMotoServer(ip_address="127.0.0.1", port=s3_port, verbose=False)
    server.start()
    try:
        env = {**prepare_database(folder), "STORAGE_URL": "s3://drawings/site",
               "S3_ENDPOINT_URL": f"http://127.0.0.1:{s3_port}", "AWS_ACCESS_KEY_ID": "bench",
               "AWS_SECRET_ACCESS_KEY": "bench", "AWS_DEFAULT_REGION": "us-east-1"}
        import boto3

        s3 = boto3.client("s3", endpoint_url=env["S3_ENDPOINT_URL"], region_name="us-east-1",
                          aws_access_key_id="bench", aws_secret_access_key="bench")
        s3.create_bucket(Bucket="drawings")
        region = _region_id(env)
        images = [jpeg((2400, 1800), seed=n) for n in range(uploads)]
        web = Gunicorn(env)
        outcomes: list[int | str] = []
        kills = 0
        stop = threading.Event()

        def killer() -> None:
            """Watch the bucket: when a new upload's first pending marker appears (its files
            are being stored, its row not yet committed), kill every worker, every other time."""
            nonlocal kills
            rng, seen = random.Random(17), set()
            while not stop.wait(0.01):
                found = s3.list_objects_v2(Bucket="drawings", Prefix="site/pending/")
                tokens = {item["Key"].split("/")[2] for item in found.get("Contents", ())}
                if tokens - seen and rng.random() < 0.5:
                    for pid in web.workers():
                        os.kill(pid, signal.SIGKILL)
                    kills += 1
                seen |= tokens

        def families(numbers: range) -> None:
            for n in numbers:
                outcomes.append(_family(web.url, _fields(region, n), images[n]))

        threads = [threading.Thread(target=families, args=(range(i, uploads, 4),))
                   for i in range(4)]
        kill_thread = threading.Thread(target=killer)
        started = time.monotonic()
        kill_thread.start()
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        stop.set()
        kill_thread.join()
        seconds = time.monotonic() - started
        web.stop()
        stored = int(_snippet(env, "from contest.models import Entry\n"
                                   "print(db.session.query(Entry).count())").strip())
        before = _check(env)
        pending = re.search(r"(\d+) pending", before)[1]
        swept = _snippet(env, "import time\nfrom contest.storage_check import sweep_pending\n"
                              "print(sweep_pending(time.time() + 3601))").strip()
        after = _check(env)
        answers = [str(outcome) for outcome in outcomes]
        statuses = {k: answers.count(k) for k in sorted(set(answers))}
        print(f"  {uploads} uploads in {seconds:.1f} s, {kills} workers killed; answers: "
              f"{statuses}; {stored} entries committed")
        print(f"  storage check after the kills: {before}")
        print(f"  sweeper an hour later: {swept} pending files removed")
        print(f"  storage check after the sweep: {after}")
        ok = (before.startswith("exit 0") and after.startswith("exit 0")
              and " 0 pending" in after and f"Checked {3 * stored} files" in after)
        print(f"  pending files left by kills: {pending}; "
              f"{'PASS' if ok else 'FAIL'}: every committed entry has its 3 files, no file "
              f"without a row")
        return ok
    finally:
        server.stop()


SCHOOLS = 30
MAKE_JOB = f"""
from contest import entries, jobs
from contest.entries import EntryDetails
from contest.models import Contest, EntryStatus, Region
from contest.uploads import process_image
from tests.factories import jpeg
contest = db.session.scalar(db.select(Contest))
region = db.session.scalar(db.select(Region).where(Region.code == "RU-SPE"))
for n in range({2 * SCHOOLS}):
    details = EntryDetails(region_id=region.id, town="Казань", child_first_name=f"Маша{{n}}",
                           child_last_name="Иванова", title=f"Рисунок {{n}}", age=9,
                           guardian_name="Анна", guardian_email=f"anna{{n}}@example.org",
                           institution=f"Школа {{n // 2}}",
                           consents={{"personal_data": True, "print": True}})
    entry = entries.store_many(contest, [(details, process_image(jpeg((400, 300), seed=n)))],
                               via="form")[0]
    entry.status = EntryStatus.ACCEPTED
    db.session.commit()
print(jobs.start("certificates", None, contest.id, language="ru").id)
"""


def _job(folder: Path, job_id: int) -> dict:
    with sqlite3.connect(folder / "contest.db") as connection:
        row = connection.execute("SELECT status, attempts, done, total, result_key FROM job "
                                 "WHERE id = ?", (job_id,)).fetchone()
    return dict(zip(("status", "attempts", "done", "total", "result_key"), row, strict=True))


def _worker(env: dict[str, str], log: Path) -> subprocess.Popen:
    with log.open("ab") as out:
        return subprocess.Popen([str(FLASK), "jobs", "worker", "--workers", "1"], env=env,
                                cwd=ROOT, stdout=out, stderr=subprocess.STDOUT)


def _wait(condition, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.05)
    return False


def killed_job(folder: Path) -> bool:
    env = prepare_database(folder)
    job_id = int(_snippet(env, MAKE_JOB).split()[-1])
    log = folder / "worker.log"
    first = _worker(env, log)
    try:
        _wait(lambda: _job(folder, job_id)["done"] >= 4, 600)
    finally:
        first.kill()  # SIGKILL: no chance to clean up
        first.wait()
    killed = _job(folder, job_id)
    started = time.monotonic()
    second = _worker(env, log)
    try:
        finished = _wait(lambda: _job(folder, job_id)["status"] not in ("queued", "running",
                                                                         "QUEUED", "RUNNING"),
                         900)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(60)
    seconds = time.monotonic() - started
    job = _job(folder, job_id)
    members: list[str] = []
    if job["result_key"]:
        path = folder / "uploads" / job["result_key"]
        members = zipfile.ZipFile(io.BytesIO(path.read_bytes())).namelist()
    leftovers = sorted(p.name for p in (folder / "uploads" / "jobs" / str(job_id)).iterdir())
    ok = (finished and str(job["status"]).lower() == "done" and job["attempts"] == 2
          and len(members) == len(set(members)) == SCHOOLS and len(leftovers) == 1)
    print(f"  killed at {killed['done']} of {killed['total']} (try {killed['attempts']}); "
          f"the second worker finished it {seconds:.0f} s later: {job['status']}, "
          f"{job['attempts']} tries, ZIP of {len(members)} PDFs ({len(set(members))} distinct, "
          f"{SCHOOLS} schools); files in the job's folder: {leftovers}")
    print(f"  {'PASS' if ok else 'FAIL'}: done exactly once")
    return ok


def redis_down(folder: Path) -> bool:
    env = {**prepare_database(folder), "RATELIMIT_STORAGE_URI": "redis://127.0.0.1:9/0"}
    region = _region_id(env)
    web = Gunicorn(env)
    from tests.factories import jpeg

    try:
        answers = [requests.get(f"{web.url}{path}", timeout=60).status_code
                   for path in ("/", "/submit", "/privacy", "/auth/login", "/status")]
        answers.append(_family(web.url, _fields(region, 1), jpeg(seed=1)))
        browser = requests.Session()
        page = browser.get(f"{web.url}/auth/login", timeout=60).text
        token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
        for _ in range(25):
            answers.append(browser.post(f"{web.url}/auth/login", timeout=60, data={
                "csrf_token": token, "email": "x@example.org", "password": "x"}).status_code)
    finally:
        web.stop()
    ok = all(isinstance(a, int) and a < 500 for a in answers)
    print(f"  answers: {answers}")
    print(f"  {'PASS' if ok else 'FAIL'}: no 5xx; sign-in throttled in memory "
          f"({'yes' if 429 in answers else 'no'} 429)")
    return ok


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--uploads", type=int, default=40)
    parser.add_argument("--only", default="upload,job,redis")
    args = parser.parse_args()
    chosen = args.only.split(",")
    results = {}
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary)
        if "upload" in chosen:
            print("1. gunicorn workers killed mid-upload (S3 storage):")
            results["upload"] = killed_uploads(folder / "upload", args.uploads)
        if "job" in chosen:
            print("2. a job worker killed mid-job:")
            results["job"] = killed_job(folder / "job")
        if "redis" in chosen:
            print("3. the rate-limit Redis down:")
            results["redis"] = redis_down(folder / "redis")
    print("; ".join(f"{name}: {'PASS' if ok else 'FAIL'}" for name, ok in results.items()))


if __name__ == "__main__":
    main()
