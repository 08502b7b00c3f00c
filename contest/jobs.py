"""Long work in the background: calendar exports, certificate batches, archives.

Huey is the job engine (SQLite storage in ``instance/jobs.db`` by default, Redis when
``JOBS_URL`` is ``redis://…``); ``flask jobs worker`` runs it, and ``make run`` starts one.
A ``Job`` row is the page's view of the work: its progress, its result, its error. The queue
lives outside the web process, so a job survives a restart of it; a job is claimed by one
atomic update, so it never runs twice.
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path

import click
from flask import Flask, current_app, has_app_context, has_request_context
from flask.cli import AppGroup
from flask_babel import force_locale
from huey import RedisHuey, SqliteHuey
from sqlalchemy import update

from .config import DEFAULT_LANGUAGE
from .extensions import db
from .i18n import language
from .models import Job, JobStatus, utcnow

# kind -> function(job, progress) returning (storage key, download name) of the result
HANDLERS: dict[str, Callable[[Job, Callable[[int, int, str], None]], tuple[str, str]]] = {}

jobs_cli = AppGroup("jobs", help="The background job worker.")


def handler(kind: str):
    """Register the function that does one kind of job."""

    def register(function):
        HANDLERS[kind] = function
        return function

    return register


def init_app(app: Flask) -> None:
    url = app.config.get("JOBS_URL") or str(Path(app.instance_path) / "jobs.db")
    if url.startswith("redis://"):
        huey = RedisHuey("contest", url=url)
    else:
        huey = SqliteHuey("contest", filename=url)
    huey.immediate = bool(app.config.get("JOBS_IMMEDIATE"))

    @huey.task(name="run_job")
    def run_job(job_id: int) -> None:
        if has_app_context():  # immediate mode: run in the caller's own context and session
            run(job_id)
            return
        with app.app_context():
            run(job_id)

    app.extensions["huey"] = huey
    app.extensions["run_job"] = run_job
    app.cli.add_command(jobs_cli)


def start(kind: str, user_id: int | None, contest_id: int | None, **params) -> Job:
    """Queue a job; commits, so the worker can see it."""
    if kind not in HANDLERS:
        raise ValueError(f"unknown job kind {kind!r}")
    # The worker speaks the language of whoever started the job (progress, errors).
    ui_locale = language() if has_request_context() else DEFAULT_LANGUAGE
    job = Job(kind=kind, user_id=user_id, contest_id=contest_id,
              params={"ui_locale": ui_locale, **params})
    db.session.add(job)
    db.session.commit()
    current_app.extensions["run_job"](job.id)
    return job


def run(job_id: int) -> None:
    """Do one job, if nobody has claimed it yet."""
    claimed = db.session.execute(
        update(Job).where(Job.id == job_id, Job.status == JobStatus.QUEUED)
        .values(status=JobStatus.RUNNING, started_at=utcnow()))
    db.session.commit()
    if claimed.rowcount != 1:
        return
    job = db.session.get(Job, job_id)

    def progress(done: int, total: int, message: str = "") -> None:
        job.done, job.total, job.message = done, total, message[:200]
        db.session.commit()

    try:
        with force_locale(job.params.get("ui_locale", DEFAULT_LANGUAGE)):
            job.result_key, job.result_name = HANDLERS[job.kind](job, progress)
    except Exception as error:  # the page must say what went wrong, whatever it was
        db.session.rollback()
        job = db.session.get(Job, job_id)
        job.status, job.error = JobStatus.FAILED, str(error)[:1000] or type(error).__name__
        current_app.logger.error("Job %s failed:\n%s", job_id, traceback.format_exc())
    else:
        job.status = JobStatus.DONE
        job.done = job.total = max(job.total, 1)
    job.finished_at = utcnow()
    db.session.commit()


@jobs_cli.command("worker")
@click.option("--workers", default=2, show_default=True)
def worker(workers: int) -> None:
    """Run the job worker until stopped (Ctrl+C)."""
    huey = current_app.extensions["huey"]
    click.echo(f"Job worker: {workers} threads on {huey.storage.__class__.__name__}")
    huey.create_consumer(workers=workers, worker_type="thread", periodic=False).run()
