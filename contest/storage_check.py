"""Storage and rows agree: every file is named by a row, every row's files are stored.

Files are stored before the rows that name them are committed, as pending
(``uploads.PendingFiles``): a process killed in between (``kill -9`` of a gunicorn worker
mid-upload, a power cut) leaves only pending files. ``sweep_pending`` (the worker, every ten
minutes) removes those that no row names once they are older than ``PENDING_SECONDS``, far
longer than any request may run (gunicorn's ``--timeout``). ``flask storage check`` lists
what disagrees.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime

import click
from sqlalchemy import select

from . import jobs
from .extensions import db
from .models import CalendarExport, CalendarPartner, Entry, Job, JobStatus, Message
from .uploads import files
from .uploads.storage import PENDING, pending_key

PENDING_SECONDS = 3600
# Where files live that no row names, each removed by its own sweep: photos kept between
# tries of the public form (``uploads.held``).
UNNAMED_PREFIXES = ("held/",)
_DRAWING = ("print.jpg", "preview.jpg", "thumb.jpg")
_MASKED = ("jury.jpg", "public.jpg")


@dataclass
class Named:
    """The files the committed rows name: each required key with its row, and the keys a row
    may have (an entry's masked copies, a kept original; a running job's folder)."""

    required: dict[str, str] = field(default_factory=dict)
    optional: set[str] = field(default_factory=set)
    prefixes: set[str] = field(default_factory=set)

    def names(self, key: str) -> bool:
        return (key in self.required or key in self.optional
                or key.startswith(tuple(self.prefixes)))


def named() -> Named:
    """What the rows name, read from the database now."""
    found = Named(prefixes={*UNNAMED_PREFIXES})
    for entry_id, prefix, masks in db.session.execute(
            select(Entry.id, Entry.image_key, Entry.jury_masks)
            .where(Entry.personal_data_erased_at.is_(None))):
        for name in _DRAWING + (_MASKED if masks else ()):
            found.required[f"{prefix}/{name}"] = f"entry {entry_id}"
        found.optional |= {f"{prefix}/{name}" for name in files.ENTRY_FILES}
    for job_id, status, key in db.session.execute(
            select(Job.id, Job.status, Job.result_key).where(Job.withdrawn_at.is_(None))):
        if status in (JobStatus.QUEUED, JobStatus.RUNNING):  # its folder is being written
            found.prefixes.add(f"jobs/{job_id}/")
        elif status is JobStatus.DONE and key:
            found.required[key] = f"job {job_id}"
    for export_id, pdf_key, preview_keys in db.session.execute(
            select(CalendarExport.id, CalendarExport.pdf_key, CalendarExport.preview_keys)
            .where(CalendarExport.withdrawn_at.is_(None), CalendarExport.pdf_key != "")):
        prefix = pdf_key.rsplit("/", 1)[0]
        for key in (pdf_key, f"{prefix}/preflight.json", f"{prefix}/preflight.txt",
                    *preview_keys):
            found.required[key] = f"calendar export {export_id}"
    for partner_id, logo, thumbnail in db.session.execute(
            select(CalendarPartner.id, CalendarPartner.logo_key, CalendarPartner.thumbnail_key)):
        found.required[logo] = found.required[thumbnail] = f"calendar partner {partner_id}"
    for message_id, key in db.session.execute(
            select(Message.id, Message.attachment_key).where(Message.attachment_key != "")):
        found.required[key] = f"message {message_id}"
    return found


@dataclass
class Findings:
    """What ``check`` found: files no row names, rows' files that are missing, and files
    still pending (being stored, or left by a process that died: swept after an hour)."""

    checked: int = 0
    unnamed: list[str] = field(default_factory=list)
    missing: list[tuple[str, str]] = field(default_factory=list)  # key, the row naming it
    pending: list[str] = field(default_factory=list)

    @property
    def clean(self) -> bool:
        return not self.unnamed and not self.missing


def check() -> Findings:
    """Compare the stored files with the rows."""
    store = files.storage()
    rows = named()
    findings = Findings()
    stored = set()
    pending = set()
    for key in list(store.keys()):
        if key.startswith(f"{PENDING}/"):
            pending.add(pending_key(key))
            continue
        stored.add(key)
    findings.checked = len(stored)
    for key in sorted(stored):
        if not rows.names(key):
            (findings.pending if key in pending else findings.unnamed).append(key)
    findings.missing = sorted((key, row) for key, row in rows.required.items()
                              if key not in stored)
    return findings


def sweep_pending(now: float | None = None) -> int:
    """Remove the pending files older than ``PENDING_SECONDS`` that no committed row names,
    with their markers and what killed writers left half-written; returns how many files."""
    store = files.storage()
    limit = (time.time() if now is None else now) - PENDING_SECONDS
    rows = None
    removed = 0
    for marker in list(store.keys(PENDING)):
        try:
            if store.modified(marker) >= limit:
                continue  # its request may still be running
        except FileNotFoundError:
            continue  # settled meanwhile
        rows = rows or named()
        key = pending_key(marker)
        if not rows.names(key) and store.exists(key):
            store.delete(key)
            removed += 1
        store.delete(marker)
    return removed + store.sweep_unfinished(limit)


@jobs.periodic("sweep-pending-files", minute="*/10")
def scheduled_sweep(now: datetime) -> str:
    """The worker's sweep: what killed uploads left goes within 70 minutes, and the local
    copies of a bucket's drawings not used for a day from this machine's cache."""
    at = now.replace(tzinfo=UTC).timestamp()
    pending, cached = sweep_pending(at), files.storage().prune_cache(at)
    return f"{pending} pending files removed, {cached} cached copies removed"


@click.command("check")
def check_command() -> None:
    """List stored files that no row names and rows whose files are missing (exit code 1
    if there are any); files still pending are counted, not faults."""
    findings = check()
    for key in findings.unnamed:
        click.echo(f"file without a row: {key}")
    for key, row in findings.missing:
        click.echo(f"missing file of {row}: {key}")
    click.echo(f"Checked {findings.checked} files: {len(findings.unnamed)} without a row, "
               f"{len(findings.missing)} missing, {len(findings.pending)} pending (removed "
               f"after {PENDING_SECONDS // 60} minutes unless committed).")
    if not findings.clean:
        raise click.exceptions.Exit(1)
