"""Background jobs are delivered at least once and take effect once (see ``contest.jobs``)."""

import io
import json
import os
import subprocess
import sys
import time
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from contest import jobs
from contest.extensions import db
from contest.models import EntryStatus, Job, JobStatus, Phase, Role, utcnow
from contest.uploads import files

from .factories import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def queued_app(other_app):
    """The app with a real SQLite queue (not immediate mode), short heartbeat settings."""
    app = other_app(JOBS_IMMEDIATE=False, JOBS_STALE_SECONDS=2, JOBS_HEARTBEAT_SECONDS=0.5)
    with app.app_context():
        yield app


def _queued_ids(app) -> list[int]:
    return [task.args[0] for task in app.extensions["huey"].pending()]


def _signed_in(app, user):
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


def _dead_try(job: Job, attempts: int, seconds_ago: int = 60) -> None:
    """Make ``job`` look like a try whose worker was killed ``seconds_ago``."""
    db.session.execute(update(Job).where(Job.id == job.id).values(
        status=JobStatus.RUNNING, attempts=attempts,
        heartbeat_at=utcnow() - timedelta(seconds=seconds_ago)))
    db.session.commit()


def test_a_job_whose_worker_died_is_queued_again_and_then_done(queued_app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    job = jobs.start("certificates", None, contest.id)
    queued_app.extensions["huey"].dequeue()  # a worker took the message...
    _dead_try(job, attempts=1)  # ...and died during its first try
    store = files.storage()
    store.put(f"jobs/{job.id}/certificates.zip", b"half a zip")
    work = Path(queued_app.config["JOBS_WORK_FOLDER"]) / f"job-{job.id}-1"
    (work / "drawings").mkdir(parents=True)

    assert jobs.recover() == {"requeued": 1, "failed": 0, "resent": 0}
    db.session.refresh(job)
    assert job.status is JobStatus.QUEUED and job.attempts == 1
    assert _queued_ids(queued_app) == [job.id]
    assert not work.exists()  # nobody works in it any more

    jobs.run(job.id)
    db.session.refresh(job)
    assert job.status is JobStatus.DONE and job.attempts == 2, job.error
    assert zipfile.ZipFile(io.BytesIO(store.read(job.result_key))).testzip() is None
    assert jobs.recover() == {"requeued": 0, "failed": 0, "resent": 0}


def test_a_job_out_of_tries_fails_with_a_reason_the_page_shows(queued_app, make):
    organizer = make.user(Role.ORGANIZER)
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    job = jobs.start("certificates", organizer.id, contest.id)
    queued_app.extensions["huey"].dequeue()
    _dead_try(job, attempts=queued_app.config["JOBS_MAX_ATTEMPTS"])
    files.storage().put(f"jobs/{job.id}/certificates.zip", b"half a zip")

    assert jobs.recover()["failed"] == 1
    db.session.refresh(job)
    assert job.status is JobStatus.FAILED and job.finished_at is not None
    assert not files.storage().exists(f"jobs/{job.id}/certificates.zip")
    client = _signed_in(queued_app, organizer)
    page = client.get(f"/jobs/{job.id}", headers={"Accept-Language": "ru"}).data.decode()
    assert "Обработчик заданий останавливался посреди этого задания (попыток: 3)" in page
    assert client.get(f"/jobs/{job.id}.json").json["status"] == "failed"


def test_a_fresh_heartbeat_keeps_a_job_with_its_worker(queued_app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    job = jobs.start("certificates", None, contest.id)
    queued_app.extensions["huey"].dequeue()
    _dead_try(job, attempts=1, seconds_ago=0)
    assert jobs.recover() == {"requeued": 0, "failed": 0, "resent": 0}
    db.session.refresh(job)
    assert job.status is JobStatus.RUNNING


def test_a_queued_job_in_no_queue_is_sent_again(queued_app, make):
    """A message lost by the queue (say a Redis that kept no data) is sent again."""
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    job = jobs.start("certificates", None, contest.id)
    waiting = jobs.start("certificates", None, contest.id)
    queued_app.extensions["huey"].flush()
    jobs.recover()
    assert _queued_ids(queued_app) == []  # too early to tell a lost message from a slow one
    db.session.execute(update(Job).values(created_at=utcnow() - timedelta(minutes=5)))
    db.session.commit()
    queued_app.extensions["run_job"](waiting.id)  # this one is still in the queue
    assert jobs.recover()["resent"] == 1
    assert sorted(_queued_ids(queued_app)) == sorted([job.id, waiting.id])


def test_a_try_given_up_for_dead_cannot_publish(queued_app, make):
    """The handler of a try that was presumed dead is stopped at its next write, and the
    successor's result stands."""
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    seen = []

    def slow(job, progress):
        progress(0, 2, "first half")
        # Meanwhile the watchers gave this try up and another worker took the job.
        db.session.execute(update(Job).where(Job.id == job.id).values(attempts=Job.attempts + 1))
        db.session.commit()
        seen.append("after")
        progress(1, 2, "second half")
        seen.append("never")
        return "jobs/x/out.txt", "out.txt"

    jobs.HANDLERS["slow"] = slow
    try:
        job = jobs.start("slow", None, contest.id)
        jobs.run(job.id)
    finally:
        del jobs.HANDLERS["slow"]
    db.session.refresh(job)
    assert seen == ["after"]
    assert job.status is JobStatus.RUNNING and job.attempts == 2 and job.result_key == ""


def test_a_message_delivered_twice_runs_the_job_once(queued_app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    job = jobs.start("certificates", None, contest.id)
    queued_app.extensions["run_job"](job.id)  # the same message again
    huey = queued_app.extensions["huey"]
    while (task := huey.dequeue()) is not None:
        huey.execute(task)
    db.session.refresh(job)
    assert job.status is JobStatus.DONE and job.attempts == 1


def test_an_unreachable_queue_is_said_and_leaves_no_job(other_app, make):
    """Redis at a dead port: the request answers 503 with a message, no job row is left."""
    app = other_app(JOBS_IMMEDIATE=False, JOBS_URL="redis://127.0.0.1:9/0")
    with app.app_context():
        contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
        organizer = make.user(Role.ORGANIZER)
        client = _signed_in(app, organizer)
        response = client.post(f"/certificates?contest={contest.id}",
                               data={"stage": 0, "language": "ru"},
                               headers={"Accept-Language": "ru"})
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert "Очередь фоновых заданий недоступна" in response.data.decode()
        assert db.session.scalar(select(func.count(Job.id))) == 0


WORKER = """
import json, sys
from contest import create_app, jobs
app = create_app(json.loads(sys.argv[1]))
with app.app_context():
    jobs.work(workers=1)
"""


def _worker(config: dict, log: Path) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with log.open("ab") as out:
        return subprocess.Popen([sys.executable, "-c", WORKER, json.dumps(config)],
                                cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT)


def _wait_for(condition, what: str, polls: int = 6000):
    for _ in range(polls):  # 0.02 s apart: a patient limit on a busy machine, not a timing
        db.session.expire_all()
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}")


@pytest.mark.slow
def test_a_worker_killed_mid_job_and_the_job_completes_exactly_once(app_config, other_app, make,
                                                                   tmp_path):
    """kill -9 of a real worker process halfway through a certificate batch: the next worker
    runs the job again, its partial ZIP and scratch folder are gone, and the ZIP holds every
    school's PDF once."""
    config = {**app_config, "JOBS_IMMEDIATE": False, "JOBS_STALE_SECONDS": 2,
              "JOBS_HEARTBEAT_SECONDS": 0.5}
    with other_app(**config).app_context():
        contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
        schools = 30
        for n in range(2 * schools):
            make.entry(contest, status=EntryStatus.ACCEPTED, size=(400, 300),
                       institution=f"School {n // 2}")
        job = jobs.start("certificates", None, contest.id, language="ru")
        log = tmp_path / "worker.log"
        first = _worker(config, log)
        try:
            _wait_for(lambda: db.session.get(Job, job.id).done >= 4, "the batch to be halfway")
        finally:
            first.kill()  # SIGKILL: no chance to clean up
            first.wait()
        job = db.session.get(Job, job.id)
        assert job.status is JobStatus.RUNNING and job.done < job.total
        folder = Path(config["UPLOAD_FOLDER"]) / "jobs" / str(job.id)
        assert [p.name for p in folder.iterdir() if p.name.startswith(".certificates.zip.")]
        assert (Path(config["JOBS_WORK_FOLDER"]) / f"job-{job.id}-1").is_dir()

        second = _worker(config, log)
        try:
            _wait_for(lambda: db.session.get(Job, job.id).status is not JobStatus.RUNNING
                      and db.session.get(Job, job.id).status is not JobStatus.QUEUED,
                      "the job to be run again")
        finally:
            second.terminate()
            second.wait()
        job = db.session.get(Job, job.id)
        assert job.status is JobStatus.DONE and job.attempts == 2, log.read_text()
        assert sorted(p.name for p in folder.iterdir()) == ["certificates.zip"]
        assert list(Path(config["JOBS_WORK_FOLDER"]).iterdir()) == []
        archive = zipfile.ZipFile(io.BytesIO((folder / "certificates.zip").read_bytes()))
        names = archive.namelist()
        assert len(names) == len(set(names)) == schools
        assert f"Job {job.id}: its worker died during try 1; queued again" in log.read_text()


def test_a_job_shows_100_percent_only_when_it_is_done():
    from contest.models import Job, JobStatus

    running = Job(kind="calendar", status=JobStatus.RUNNING, done=13, total=13)
    assert running.percent == 99  # the last page is drawn, the file still being written
    assert Job(kind="calendar", status=JobStatus.RUNNING, done=1, total=2).percent == 50
    assert Job(kind="calendar", status=JobStatus.DONE, done=13, total=13).percent == 100
