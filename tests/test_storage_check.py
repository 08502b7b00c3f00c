"""Storage and rows stay consistent: files are pending until their rows are committed, a
process killed in between leaves only pending files, the sweeper removes them, and
``flask storage check`` says what disagrees."""

import os
import time

import pytest
from sqlalchemy import func, select

from contest import storage_check
from contest.extensions import db
from contest.models import Entry, Phase
from contest.uploads import PENDING, files

from .test_submit import form

HOUR_LATER = storage_check.PENDING_SECONDS + 1


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


def stored() -> list[str]:
    return list(files.storage().keys())


def test_a_committed_upload_leaves_no_pending_marker(client, make, contest, runner):
    assert client.post("/submit", data=form(make)).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert stored() == [f"{entry.image_key}/{name}"
                        for name in ("preview.jpg", "print.jpg", "thumb.jpg")]
    result = runner.invoke(args=["storage", "check"])
    assert result.exit_code == 0, result.output
    assert "Checked 3 files: 0 without a row, 0 missing, 0 pending" in result.output


def test_a_process_killed_between_the_files_and_the_commit_leaves_only_pending_files(
        app, client, make, contest, runner):
    data = form(make)
    db.session.remove()
    db.engine.dispose()  # the child must not share the parent's connections
    child = os.fork()
    if child == 0:  # the worker: killed (no cleanup, no rollback) when it would commit
        try:
            db.session.commit = lambda: os._exit(9)
            client.post("/submit", data=data)
        finally:
            os._exit(1)  # the commit was never reached
    _, status = os.waitpid(child, 0)
    assert os.waitstatus_to_exitcode(status) == 9
    assert db.session.scalar(select(func.count(Entry.id))) == 0
    markers = [key for key in stored() if key.startswith(f"{PENDING}/")]
    drawings = [key for key in stored() if not key.startswith(f"{PENDING}/")]
    assert len(drawings) == 3 and sorted(m.split("/", 2)[2] for m in markers) == drawings

    findings = storage_check.check()
    assert findings.clean and findings.pending == drawings
    assert storage_check.sweep_pending() == 0  # too young: its request might be running
    assert storage_check.sweep_pending(time.time() + HOUR_LATER) == 3
    assert stored() == []
    result = runner.invoke(args=["storage", "check"])
    assert result.exit_code == 0 and "Checked 0 files" in result.output


def test_a_process_killed_after_the_commit_keeps_the_files(app, client, make, contest):
    assert client.post("/submit", data=form(make)).status_code == 302
    entry = db.session.scalar(select(Entry))
    store = files.storage()
    for name in ("print.jpg", "preview.jpg", "thumb.jpg"):  # markers its settling never removed
        store.put(f"{PENDING}/0123456789abcdef/{entry.image_key}/{name}", b"")
    assert storage_check.sweep_pending(time.time() + HOUR_LATER) == 0
    assert stored() == [f"{entry.image_key}/{name}"
                        for name in ("preview.jpg", "print.jpg", "thumb.jpg")]


def test_check_lists_files_without_a_row_and_rows_without_files(app, make, contest, runner):
    entry = make.entry(contest)
    store = files.storage()
    store.delete(f"{entry.image_key}/thumb.jpg")
    store.put("entries/2026/ab/abandoned/print.jpg", b"x")
    result = runner.invoke(args=["storage", "check"])
    assert result.exit_code == 1
    assert "file without a row: entries/2026/ab/abandoned/print.jpg" in result.output
    assert f"missing file of entry {entry.id}: {entry.image_key}/thumb.jpg" in result.output


def test_the_worker_sweeps_pending_files_every_ten_minutes(app, client, make, contest):
    from datetime import datetime

    from contest import jobs

    sweep = jobs.PERIODIC["sweep-pending-files"]
    assert sweep.due(datetime(2026, 12, 1, 10, 20)) and not sweep.due(datetime(2026, 12, 1, 10, 21))
    files.storage().put(f"{PENDING}/feedfeedfeedfeed/entries/2026/aa/aa1/print.jpg", b"")
    files.storage().put("entries/2026/aa/aa1/print.jpg", b"half a drawing")
    assert "1 pending files removed" in jobs.run_periodic(
        "sweep-pending-files", datetime(2099, 1, 1))
    assert stored() == []


def test_a_killed_writer_s_temporary_file_is_swept(app):
    store = files.storage()
    store.put("jobs/1/keep.pdf", b"k")
    half = store.root / "entries" / ".print.jpg.x1y2"
    half.parent.mkdir(parents=True)
    half.write_bytes(b"half")
    assert storage_check.sweep_pending(time.time() + HOUR_LATER) == 1
    assert not half.exists() and store.exists("jobs/1/keep.pdf")
