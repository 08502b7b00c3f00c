# Over 400 lines: claim, heartbeat, recovery and publish are one protocol, read together.
"""Long work in the background: calendar exports, certificate batches, archives.

Huey is the queue (SQLite storage in ``instance/jobs.db`` by default, Redis when
``JOBS_URL`` is ``redis://…``); ``flask jobs worker`` runs it, and ``make run`` starts one.
A ``Job`` row is the page's view of the work (progress, result, error) and the record that
makes a job happen exactly once, whatever becomes of the worker or the queue:

- Delivered at least once. Huey forgets a message when a worker takes it (it has no
  acknowledgements), so the worker keeps the row's ``heartbeat_at`` fresh while it works.
  Every worker process watches the rows: a running job whose heartbeat stopped (its worker
  was killed) is queued again, up to ``JOBS_MAX_ATTEMPTS`` tries, then marked failed with
  the reason; a queued job that is in no queue (a message lost with a Redis that kept no
  data) is sent again.
- Taking effect once. A try claims the row by one atomic update that counts it in
  ``attempts``; everything the try writes to the row afterwards is conditioned on that
  number, so a try that was given up for dead cannot publish after its successor. A job
  writes its files under ``jobs/<id>/`` in storage (each file atomically) and scratch files
  in a folder of its own; both are cleared before a try and after a failure, and the
  result becomes visible only by the commit that marks the job done.
- A result that holds children's data lists their entries (``Job.entry_ids``, set by the
  handler); erasing a child's data withdraws the results that hold it
  (``entries.erase_personal_data``), and a try that finishes after such an erasure fails
  rather than publish.
- Periodic tasks (``periodic``): work done on a schedule, such as deleting the contacts
  whose keeping period ended; the worker's scheduler queues them.
- If the queue cannot be reached when a job is started, no job is left behind and the
  request answers 503 with a message (:class:`QueueUnavailable`).
"""

from __future__ import annotations

import re
import shutil
import threading
import traceback
from collections.abc import Callable
from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import click
from flask import Flask, current_app, has_request_context
from flask.cli import AppGroup
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from huey import RedisHuey, SqliteHuey, crontab
from sqlalchemy import func, select, update

from . import errors
from .config import DEFAULT_LANGUAGE
from .extensions import db
from .i18n import language
from .models import Entry, Job, JobStatus, utcnow
from .uploads import files

# kind -> function(job, progress) returning (storage key, download name) of the result
HANDLERS: dict[str, Callable[[Job, Callable[[int, int, str], None]], tuple[str, str]]] = {}

# name -> function(*args) run in the worker with the app's context: small tasks (one e-mail)
# that keep their own record instead of a Job row (see ``task``)
TASKS: dict[str, Callable[..., None]] = {}
# functions the watchman calls with ``recover``: each puts its own lost work back on its feet
RECOVERIES: list[Callable[[], dict[str, int]]] = []

jobs_cli = AppGroup("jobs", help="The background job worker.")


@dataclass(frozen=True)
class Periodic:
    """Work the worker does on a schedule (see ``periodic``)."""

    name: str
    function: Callable[[datetime], str]
    schedule: dict[str, str]

    def due(self, at: datetime) -> bool:
        """Whether the schedule starts the task in the minute of ``at`` (naive UTC)."""
        return crontab(**self.schedule)(at)

    @property
    def when(self) -> str:
        """The schedule as cron writes it: minute hour day month day-of-week (UTC)."""
        return " ".join(self.schedule.get(field, "*") for field in CRONTAB_FIELDS)


CRONTAB_FIELDS = ("minute", "hour", "day", "month", "day_of_week")
# name -> the work ``flask jobs worker`` does on a schedule (see ``periodic``)
PERIODIC: dict[str, Periodic] = {}

# The tries this process is working on (job id -> attempt), for its heartbeat.
_running: dict[int, int] = {}
_WORK_FOLDER = re.compile(r"job-(\d+)-(\d+)")


class QueueUnavailable(RuntimeError):
    """The job queue (its SQLite file or Redis) could not be reached; nothing was started."""


class Superseded(RuntimeError):
    """This try was given up for dead and the job queued again; it must not write any more."""


def handler(kind: str):
    """Register the function that does one kind of job."""

    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def task(name: str):
    """Register a small task for the queue; it is started with ``enqueue(name, *args)``.

    Unlike a job it has no Job row: the task keeps its own record (a ``Message`` row), so it
    must be safe to run twice (claim the row first) and say itself what became of it.
    """

    def register(function):
        TASKS[name] = function
        return function

    return register


def recovery(function: Callable[[], dict[str, int]]):
    """Register a function the watchman calls every ``JOBS_HEARTBEAT_SECONDS``."""
    RECOVERIES.append(function)
    return function


def periodic(name: str, **schedule: str):
    """Register a function the worker runs on a schedule, given as huey's ``crontab`` fields
    in UTC (``minute``, ``hour``, ``day``, ``month``, ``day_of_week``; a field left out is
    ``*``)::

        @jobs.periodic("purge-contacts", hour="3", minute="17")
        def purge(now: datetime) -> str:
            ...
            return "3 entries"

    The function is given the time it runs for (naive UTC; tests pass a fixed one, never the
    clock) and returns a line for the log. It runs in an app context of its own and commits
    its own work. It must do whatever is due by ``now`` and be safe to run twice: a run
    missed while no worker was up is not made up for, and with several workers each one's
    scheduler starts it. ``flask jobs periodic`` lists the tasks, ``flask jobs run-periodic
    NAME`` runs one now (``run_periodic``).
    """
    unknown = set(schedule) - set(CRONTAB_FIELDS)
    if unknown:
        raise ValueError(f"not crontab fields: {sorted(unknown)}")

    def register(function: Callable[[datetime], str]):
        PERIODIC[name] = Periodic(name, function, dict(schedule))
        return function

    return register


def run_periodic(name: str, now: datetime | None = None) -> str:
    """Run a periodic task for ``now`` (the clock if not given), commit what it changed and log
    what it did; a failure is rolled back, logged with its traceback and raised."""
    task = PERIODIC[name]
    try:
        summary = task.function(now or utcnow())
        db.session.commit()
    except Exception:
        db.session.rollback()
        current_app.logger.exception("Periodic task %s failed", name)
        raise
    current_app.logger.info("Periodic task %s: %s", name, summary)
    return summary


def enqueue(name: str, *args, delay: float | None = None) -> None:
    """Queue a registered task, now or in ``delay`` seconds; QueueUnavailable if the queue
    cannot be reached. Tests (``JOBS_IMMEDIATE``) run it at once in a context of its own."""
    app = current_app._get_current_object()
    huey = app.extensions["huey"]
    if huey.immediate:
        if delay is None:
            with app.app_context():  # a session of its own, as in the worker
                TASKS[name](*args)
        return  # a later try in tests: whoever tests it calls the task or the recovery
    try:
        if delay is None:
            app.extensions["tasks"][name](*args)
        else:
            app.extensions["tasks"][name].schedule(args=args, delay=delay)
    except Exception as error:  # redis.ConnectionError, sqlite3.OperationalError, ...
        current_app.logger.error("Job queue unreachable: %r", error)
        raise QueueUnavailable(str(error)) from error


def init_app(app: Flask) -> None:
    url = app.config.get("JOBS_URL") or str(Path(app.instance_path) / "jobs.db")
    if url.startswith(("redis://", "rediss://", "unix://")):
        huey = RedisHuey(app.config["JOBS_NAME"], url=url)
    else:
        huey = SqliteHuey(app.config["JOBS_NAME"], filename=url)
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))

    @huey.task(name="run_job")
    def run_job(job_id: int) -> None:
        with app.app_context():
            run(job_id)

    def make_task(name: str, function: Callable[..., None]):
        def run_task(*args) -> None:
            with app.app_context():
                function(*args)

        return huey.task(name=name)(run_task)

    def make_periodic(task: Periodic):
        def run_scheduled() -> None:
            # A failure is logged by run_periodic; the next time may do better.
            with app.app_context(), suppress(Exception):
                run_periodic(task.name)

        return huey.periodic_task(task.due, name=f"periodic-{task.name}")(run_scheduled)

    app.extensions["huey"] = huey
    app.extensions["run_job"] = run_job
    app.extensions["periodic"] = {name: make_periodic(t) for name, t in PERIODIC.items()}
    app.extensions["tasks"] = {name: make_task(name, f) for name, f in TASKS.items()}
    app.cli.add_command(jobs_cli)
    app.register_error_handler(QueueUnavailable, lambda e: errors.render_unavailable(_l(
        "The background job queue cannot be reached, so nothing was started. Please try "
        "again in a few minutes.")))


def start(kind: str, user_id: int | None, contest_id: int | None, **params) -> Job:
    """Queue a job; commits, so the worker can see it. QueueUnavailable if the queue cannot
    be reached, and then the job is removed again."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    # The worker speaks the language of whoever started the job (progress, errors).
    ui_locale = language() if has_request_context() else DEFAULT_LANGUAGE
    job = Job(kind=kind, user_id=user_id, contest_id=contest_id,
              params={"ui_locale": ui_locale, **params})
    db.session.add(job)
    db.session.commit()
    try:
        _send(job.id)
    except QueueUnavailable:
        db.session.delete(job)
        db.session.commit()
        raise
    return job


def _send(job_id: int) -> None:
    if current_app.extensions["huey"].immediate:  # tests: the job runs here and now
        run(job_id)
        return
    try:
        current_app.extensions["run_job"](job_id)
    except Exception as error:  # redis.ConnectionError, sqlite3.OperationalError, ...
        current_app.logger.error("Job queue unreachable: %r", error)
        raise QueueUnavailable(str(error)) from error


def output_prefix(job: Job) -> str:
    """Where in storage a job writes its files (cleared before each try and on failure)."""
    return f"jobs/{job.id}"


def workdir(job: Job) -> Path:
    """A scratch folder for this try of the job, removed when the try ends or dies."""
    return _work_root() / f"job-{job.id}-{job.attempts}"


def _work_root() -> Path:
    return Path(current_app.config.get("JOBS_WORK_FOLDER")
                or Path(current_app.instance_path) / "jobs-work")


def _fenced(job_id: int, attempt: int, **values) -> bool:
    """Write ``values`` to the job if this try still owns it; commits. False if it does not."""
    result = db.session.execute(
        update(Job).where(Job.id == job_id, Job.attempts == attempt,
                          Job.status == JobStatus.RUNNING).values(**values))
    if result.rowcount != 1:
        db.session.rollback()
        return False
    db.session.commit()
    return True


def run(job_id: int) -> None:
    """Do one try of a job, if it is waiting (a message sent twice finds it taken)."""
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, attempts=Job.attempts + 1, started_at=utcnow(),
                heartbeat_at=utcnow(), done=0, message=""))
    db.session.commit()
    if claimed.rowcount != 1:
        return
    job = db.session.get(Job, job_id)
    attempt = job.attempts
    storage = files.storage()
    storage.delete_prefix(output_prefix(job))  # what an interrupted try left
    work = workdir(job)
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    _running[job_id] = attempt
    total = 0

    def progress(done: int, of: int, message: str = "") -> None:
        nonlocal total
        total = of
        if not _fenced(job_id, attempt, done=done, total=of, message=message[:200],
                       heartbeat_at=utcnow()):
            raise Superseded(f"job {job_id} try {attempt}")

    try:
        with force_locale(job.params.get("ui_locale", DEFAULT_LANGUAGE)):
            key, name = HANDLERS[job.kind](job, progress)
            if _erased_among(job.entry_ids):
                # The erasure withdrew the results it found; this one was not made yet.
                raise RuntimeError(_("A child's data was erased while this job ran, so its "
                                     "result was not kept. Please start it again."))
        # The result and whatever rows the handler added are committed here, together.
        if not _fenced(job_id, attempt, status=JobStatus.DONE, result_key=key,
                       result_name=name, done=max(total, 1), total=max(total, 1),
                       finished_at=utcnow()):
            raise Superseded(f"job {job_id} try {attempt}")
    except Superseded:
        db.session.rollback()
        current_app.logger.warning("Job %s: try %s was given up for dead; its successor "
                                   "publishes the result", job_id, attempt)
    except Exception as error:  # the page must say what went wrong, whatever it was
        db.session.rollback()
        current_app.logger.error("Job %s failed:\n%s", job_id, traceback.format_exc())
        if _fenced(job_id, attempt, status=JobStatus.FAILED, finished_at=utcnow(),
                   error=str(error)[:1000] or type(error).__name__):
            storage.delete_prefix(f"jobs/{job_id}")
    finally:
        _running.pop(job_id, None)
        shutil.rmtree(work, ignore_errors=True)


def _erased_among(entry_ids: list[int] | None) -> bool:
    ids = list(entry_ids or ())
    return any(db.session.scalar(select(Entry.id).where(
        Entry.id.in_(ids[start:start + 500]), Entry.personal_data_erased_at.is_not(None))
        .limit(1)) for start in range(0, len(ids), 500))


def heartbeat() -> None:
    """Tell the watchers that this process is still working on its jobs."""
    for job_id, attempt in list(_running.items()):
        _fenced(job_id, attempt, heartbeat_at=utcnow())


def recover() -> dict[str, int]:
    """Queue again the jobs whose worker died, fail those out of tries, send again the jobs
    no queue holds, and remove scratch folders nobody works in. Safe in several processes
    at once: each change is one conditional update."""
    config = current_app.config
    now = utcnow()
    stale = now - timedelta(seconds=config["JOBS_STALE_SECONDS"])
    last_sign = func.coalesce(Job.heartbeat_at, Job.started_at, Job.created_at)
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    for job in db.session.scalars(select(Job).where(Job.status == JobStatus.RUNNING,
                                                    last_sign < stale)).all():
        if job.attempts >= config["JOBS_MAX_ATTEMPTS"]:
            with force_locale(job.params.get("ui_locale", DEFAULT_LANGUAGE)):
                reason = _("The worker stopped %(count)s times while doing this job, so it was "
                           "not tried again. Start it again; if that fails too, tell the "
                           "site's administrator.", count=job.attempts)
            if _fenced(job.id, job.attempts, status=JobStatus.FAILED, error=reason,
                       finished_at=now):
                files.storage().delete_prefix(output_prefix(job))
                counts["failed"] += 1
                current_app.logger.error("Job %s failed: its worker died %s times",
                                         job.id, job.attempts)
        elif _fenced(job.id, job.attempts, status=JobStatus.QUEUED, heartbeat_at=now,
                     message=""):
            counts["requeued"] += 1
            current_app.logger.warning("Job %s: its worker died during try %s; queued again",
                                       job.id, job.attempts)
            _send_if_possible(job.id)
    huey = current_app.extensions["huey"]
    waiting = set(db.session.scalars(select(Job.id).where(Job.status == JobStatus.QUEUED,
                                                          last_sign < stale)))
    if waiting:
        in_queue = {task.args[0] for task in huey.pending() if task.name == "run_job"}
        for job_id in sorted(waiting - in_queue):
            current_app.logger.warning("Job %s was in no queue; sent again", job_id)
            if _send_if_possible(job_id):
                db.session.execute(update(Job).where(Job.id == job_id,
                                                     Job.status == JobStatus.QUEUED)
                                   .values(heartbeat_at=now))
                db.session.commit()
                counts["resent"] += 1
    _sweep_work_folders(stale)
    return counts


def _send_if_possible(job_id: int) -> bool:
    try:
        _send(job_id)
    except QueueUnavailable:
        return False  # still queued in the database: sent when the queue is back
    return True


def _sweep_work_folders(stale) -> None:
    root = _work_root()
    if not root.is_dir():
        return
    for folder in root.iterdir():
        match = _WORK_FOLDER.fullmatch(folder.name)
        if not match:
            continue
        job_id, attempt = int(match[1]), int(match[2])
        if _running.get(job_id) == attempt:
            continue
        alive = db.session.scalar(select(Job.id).where(
            Job.id == job_id, Job.attempts == attempt, Job.status == JobStatus.RUNNING,
            func.coalesce(Job.heartbeat_at, Job.started_at) >= stale))
        if alive is None:  # another process on this machine may still be working in it
            shutil.rmtree(folder, ignore_errors=True)


class Watchman(threading.Thread):
    """Beside the worker threads: the heartbeat of this process's jobs and the recovery of
    other processes' dead ones, every ``JOBS_HEARTBEAT_SECONDS``."""

    def __init__(self, app: Flask) -> None:
        super().__init__(name="jobs-watchman", daemon=True)
        self.app = app
        self.stopping = threading.Event()

    def run(self) -> None:
        while True:
            with self.app.app_context():
                try:
                    heartbeat()
                    counts = recover()
                    for function in RECOVERIES:  # other work's own records (messages)
                        counts |= {k: v for k, v in function().items() if v}
                    if any(counts.values()):
                        self.app.logger.warning("Job recovery: %s", counts)
                except Exception:  # the database may be away for a while; keep watching
                    self.app.logger.exception("Job heartbeat or recovery failed")
                    db.session.rollback()
                finally:
                    db.session.remove()
            if self.stopping.wait(self.app.config["JOBS_HEARTBEAT_SECONDS"]):
                return

    def stop(self) -> None:
        self.stopping.set()
        self.join()


def work(workers: int) -> None:
    """Run the queue's consumer, its scheduler of periodic tasks and the watchman until
    stopped (SIGINT lets running jobs finish; SIGTERM or a crash leaves them to be run
    again)."""
    app = current_app._get_current_object()
    huey = app.extensions["huey"]
    watchman = Watchman(app)
    watchman.start()
    try:
        huey.create_consumer(workers=workers, worker_type="thread", periodic=True).run()
    finally:
        watchman.stop()


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True)
def worker(workers: int) -> None:
    """Run the job worker until stopped (Ctrl+C)."""
    huey = current_app.extensions["huey"]
    click.echo(f"Job worker: {workers} threads on {huey.storage.__class__.__name__}")
    work(workers)


@jobs_cli.command("periodic")
def list_periodic() -> None:
    """List the tasks the worker runs on a schedule (cron fields, UTC)."""
    for task in sorted(PERIODIC.values(), key=lambda t: t.name):
        click.echo(f"{task.name}\t{task.when}")


@jobs_cli.command("run-periodic")
@click.argument("name")
def run_periodic_now(name: str) -> None:
    """Run one periodic task now, as the worker would (see ``flask jobs periodic``)."""
    if name not in PERIODIC:
        raise click.BadParameter(f"no periodic task {name!r}", param_hint="NAME")
    click.echo(f"{name}: {run_periodic(name)}")
