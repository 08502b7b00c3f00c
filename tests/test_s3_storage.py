"""Drawings in an S3-compatible bucket (``STORAGE_URL=s3://bucket/prefix``): the storage
interface, and the app's uploads, serving, erasure, storage check, held photos and backups on
it, against moto's S3 server on this machine (no mocks of boto3)."""

import json
import os
import time
from pathlib import Path

import boto3
import pytest
from sqlalchemy import select

from contest import create_app, entries, storage_check
from contest.extensions import db
from contest.models import Entry, EntryStatus, Phase, Role
from contest.uploads import InvalidKey, PendingFiles, files
from contest.uploads.s3 import S3Storage, from_url

from .factories import PASSWORD, Factory
from .test_backup import installations  # noqa: F401  (the fixture)
from .test_submit import form

DRAWING = ("preview.jpg", "print.jpg", "thumb.jpg")


@pytest.fixture
def bucket(s3_endpoint, s3_bucket) -> list[str]:
    """``bucket()``: every object name in the test's bucket."""
    client = boto3.client("s3", endpoint_url=s3_endpoint)

    def names() -> list[str]:
        found = client.list_objects_v2(Bucket=s3_bucket).get("Contents", [])
        return sorted(item["Key"] for item in found)

    return names


@pytest.fixture
def store(s3_endpoint, s3_bucket, tmp_path) -> S3Storage:
    return from_url(f"s3://{s3_bucket}/site", cache=tmp_path / "cache", endpoint_url=s3_endpoint)


def test_the_interface_on_a_bucket(store, bucket, tmp_path):
    key = "entries/2026/ab/abcdef/print.jpg"
    assert not store.exists(key)
    store.put(key, b"first")
    store.put(key, b"second version")
    assert store.read(key) == b"second version" and store.size(key) == 14
    with store.open(key) as body:
        assert body.read() == b"second version"
    stream = store.stream(key)
    with stream.file:
        assert stream.size == 14 and stream.file.read(6) == b"second"
    assert store.stream(key).version == stream.version  # the object's ETag
    assert bucket() == ["site/entries/2026/ab/abcdef/print.jpg"]
    now = time.time()
    assert now - 3600 < store.modified(key) < now + 3600  # the object's date, not a timing
    path = store.local_path(key)
    assert path.read_bytes() == b"second version" and path.is_relative_to(tmp_path / "cache")
    store.put(key, b"third")  # a copy in the cache is fetched again once the object changed
    store.delete(key)
    store.delete(key)
    with pytest.raises(FileNotFoundError):
        store.read(key)
    with pytest.raises(FileNotFoundError):
        store.local_path(key)
    for bad in ("../x.jpg", "a//b", ".hidden", "a b.jpg"):
        with pytest.raises(InvalidKey):
            store.put(bad, b"x")


def test_cached_copies_not_used_for_a_day_are_pruned(s3_endpoint, s3_bucket, store, tmp_path):
    for key in ("entries/2026/ab/old/print.jpg", "entries/2026/ab/new/print.jpg"):
        store.put(key, b"a drawing")
    old, new = (store.local_path(f"entries/2026/ab/{name}/print.jpg") for name in ("old", "new"))
    os.utime(old, (1_000_000_000, old.stat().st_mtime))  # last handed out in 2001
    killed = old.parent / ".print.jpg.x1y2"  # what a download killed in 2001 left
    killed.write_bytes(b"half")
    os.utime(killed, (1_000_000_000, 1_000_000_000))
    assert store.prune_cache() == 2
    assert not old.exists() and not killed.exists() and new.is_file()
    assert store.local_path("entries/2026/ab/old/print.jpg").read_bytes() == b"a drawing"
    assert store.prune_cache() == 0  # fetched again: just used
    # Another process (a new storage on the same cache) prunes it when it fetches a copy.
    os.utime(old, (1_000_000_000, old.stat().st_mtime))
    other = from_url(f"s3://{s3_bucket}/site", cache=tmp_path / "cache", endpoint_url=s3_endpoint)
    store.put("entries/2026/ab/third/print.jpg", b"another")
    other.local_path("entries/2026/ab/third/print.jpg")
    assert not old.exists() and new.is_file()


def test_a_writer_uploads_the_whole_file_or_nothing(store, bucket):
    with store.writer("jobs/1/big.zip") as out:
        for _ in range(3):
            out.write(b"x" * 1000)
    assert store.size("jobs/1/big.zip") == 3000
    with pytest.raises(RuntimeError), store.writer("jobs/2/big.zip") as out:
        out.write(b"half")
        raise RuntimeError("the job failed")
    assert bucket() == ["site/jobs/1/big.zip"]


def test_keys_and_delete_prefix(store, bucket):
    for key in ("jobs/7/a.pdf", "jobs/7/b/c.png", "jobs/70/keep.pdf", "entries/x.jpg"):
        store.put(key, b"k")
    assert list(store.keys()) == ["entries/x.jpg", "jobs/7/a.pdf", "jobs/7/b/c.png",
                                  "jobs/70/keep.pdf"]
    assert list(store.keys("jobs/7")) == ["jobs/7/a.pdf", "jobs/7/b/c.png"]
    store.delete_prefix("jobs/7")
    store.delete_prefix("jobs/8")
    assert bucket() == ["site/entries/x.jpg", "site/jobs/70/keep.pdf"]
    assert store.sweep_unfinished(time.time() + 10) == 0


def test_the_setting_chooses_the_bucket(s3_config, s3_bucket):
    app = create_app(s3_config)
    with app.app_context():
        store = files.storage()
        assert isinstance(store, S3Storage) and (store.bucket, store.prefix) == (s3_bucket, "site")
    with pytest.raises(ValueError, match="s3://bucket/prefix"):
        from_url("https://example.org/bucket")


@pytest.fixture
def s3_app(s3_config):
    app = create_app(s3_config)
    with app.app_context():
        db.create_all()
        yield app
        db.session.remove()
        db.drop_all()
        db.engine.dispose()


@pytest.fixture
def s3_client(s3_app):
    from .conftest import FreshClient

    s3_app.test_client_class = FreshClient
    return s3_app.test_client()


def test_upload_serve_check_and_erase_on_s3(s3_app, s3_client, bucket):
    make = Factory(s3_app)
    make.contest(phase=Phase.SUBMISSIONS_OPEN)
    assert s3_client.post("/submit", data=form(make)).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert bucket() == [f"site/{entry.image_key}/{name}" for name in DRAWING]

    coordinator = make.user(Role.COORDINATOR, region=entry.stage.region)
    assert s3_client.post("/auth/login", data={"email": coordinator.email,
                                               "password": PASSWORD}).status_code == 302
    served = s3_client.get(f"/media/entries/{entry.id}/print.jpg")
    assert served.status_code == 200
    assert served.data == files.storage().read(f"{entry.image_key}/print.jpg")
    assert served.data[:3] == b"\xff\xd8\xff"

    checked = s3_app.test_cli_runner().invoke(args=["storage", "check"])
    assert checked.exit_code == 0 and "Checked 3 files: 0 without a row, 0 missing" in checked.output
    entry.status = EntryStatus.ACCEPTED
    entries.erase_personal_data(entry)
    assert bucket() == []
    assert s3_client.get(f"/media/entries/{entry.id}/print.jpg").status_code == 404
    assert storage_check.check().clean


def test_a_drawing_is_streamed_from_the_bucket_not_read_whole(s3_app, s3_client, monkeypatch):
    make = Factory(s3_app)
    entry = make.entry(make.contest(phase=Phase.SUBMISSIONS_OPEN))
    large = bytes(range(256)) * (5 * 4096)
    files.storage().put(f"{entry.image_key}/print.jpg", large)

    def refused(self, key):
        raise AssertionError(f"{key} was read whole")

    monkeypatch.setattr(S3Storage, "read", refused)
    organizer = make.user(Role.ORGANIZER)
    assert s3_client.post("/auth/login", data={"email": organizer.email,
                                               "password": PASSWORD}).status_code == 302
    with s3_client.get(f"/media/entries/{entry.id}/print.jpg", buffered=False) as served:
        assert served.status_code == 200 and served.is_streamed
        assert served.content_length == len(large)
        chunks = list(served.response)
    assert len(chunks[0]) == files.SENT_CHUNK and b"".join(chunks) == large


def test_the_worker_s_sweep_prunes_the_cache(s3_app):
    from datetime import datetime

    from contest import jobs

    store = files.storage()
    store.put("entries/2026/ab/abcdef/print.jpg", b"a drawing")
    copy = store.local_path("entries/2026/ab/abcdef/print.jpg")
    assert "1 cached copies removed" in jobs.run_periodic("sweep-pending-files",
                                                          datetime(2099, 1, 1))
    assert not copy.exists() and store.exists("entries/2026/ab/abcdef/print.jpg")


def test_what_a_killed_upload_left_in_the_bucket_is_swept(s3_app, bucket):
    make = Factory(s3_app)
    kept = make.entry(make.contest(phase=Phase.SUBMISSIONS_OPEN))
    killed = PendingFiles(files.storage())  # stored, never settled nor undone: a killed worker
    for name in DRAWING:
        killed.put(f"entries/2026/ff/ff00/{name}", b"drawing")
    assert len(bucket()) == 9
    findings = storage_check.check()
    assert findings.clean and len(findings.pending) == 3
    assert storage_check.sweep_pending() == 0  # its request might still be running
    assert storage_check.sweep_pending(time.time() + storage_check.PENDING_SECONDS + 1) == 3
    assert bucket() == [f"site/{kept.image_key}/{name}" for name in DRAWING]


def test_the_kept_photo_of_the_public_form_is_in_the_bucket(s3_app, s3_client, bucket):
    make = Factory(s3_app)
    make.contest(phase=Phase.SUBMISSIONS_OPEN)
    assert s3_client.post("/submit", data=form(make, age="")).status_code == 422
    kept = bucket()
    assert len(kept) == 4 and all(name.startswith("site/held/") for name in kept)
    assert s3_client.get("/submit/photo.jpg").status_code == 200
    assert storage_check.check().clean
    retry = form(make)
    del retry["image"]
    assert s3_client.post("/submit", data=retry).status_code == 302
    entry = db.session.scalar(select(Entry))
    assert bucket() == [f"site/{entry.image_key}/{name}" for name in DRAWING]


def test_backup_of_a_bucket_verifies_and_restores_into_another(
        installations, s3_endpoint, s3_bucket, bucket, tmp_path):  # noqa: F811
    source_config = {**installations["source"], "STORAGE_URL": f"s3://{s3_bucket}/source",
                     "S3_ENDPOINT_URL": s3_endpoint}
    target_config = {**installations["target"], "STORAGE_URL": f"s3://{s3_bucket}/target",
                     "S3_ENDPOINT_URL": s3_endpoint}
    source, target = create_app(source_config), create_app(target_config)
    with source.app_context():
        db.create_all()
        make = Factory(source)
        contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
        made = [make.entry(contest).image_key for _ in range(2)]
    folder = tmp_path / "backup"
    try:
        _back_up_and_restore(source, target, folder, made, bucket)
    finally:
        for app in (source, target):
            with app.app_context():
                db.engine.dispose()


def _back_up_and_restore(source, target, folder, made, bucket):
    created = source.test_cli_runner().invoke(args=["backup", "create", str(folder)])
    assert created.exit_code == 0, created.output
    manifest = json.loads((folder / "manifest.json").read_text())
    assert sorted(f["path"] for f in manifest["files"]) == sorted(
        f"{prefix}/{name}" for prefix in made for name in DRAWING)
    verified = source.test_cli_runner().invoke(args=["backup", "verify", str(folder)])
    assert verified.exit_code == 0 and "is whole" in verified.output

    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
    assert restored.exit_code == 0, restored.output
    assert sorted(n for n in bucket() if n.startswith("target/")) == sorted(
        f"target/{prefix}/{name}" for prefix in made for name in DRAWING)
    with target.app_context():
        assert storage_check.check().clean and storage_check.check().checked == 6


def test_certificates_and_a_calendar_export_are_made_from_and_kept_in_the_bucket(
        s3_app, s3_client, bucket, tmp_path):
    from contest import wall_calendar
    from contest.models import CalendarExport, Job, JobStatus

    from .test_erasure import zip_text

    make = Factory(s3_app)
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    drawings = [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                           size=(2480, 1754)) for age in (5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                                          15, 16, 9)]
    organizer = make.user(Role.ORGANIZER)
    assert s3_client.post("/auth/login", data={"email": organizer.email,
                                               "password": PASSWORD}).status_code == 302
    s3_client.post(f"/certificates?contest={contest.id}",
                   data={"stage": drawings[0].stage_id, "language": "ru"})
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.DONE and f"site/{job.result_key}" in bucket()
    with s3_client.get(f"/jobs/{job.id}/download") as response:  # streamed from the bucket
        assert response.status_code == 200
        assert drawings[0].child_first_name in zip_text(response.data)

    region = make.region("RU-TA")
    for slot, entry in zip(wall_calendar.SLOTS, drawings, strict=True):
        wall_calendar.assign(contest, region, slot, entry)
    wall_calendar.suggest_facts(contest, region)
    db.session.commit()
    export_job = wall_calendar.start_export(contest, region, wall_calendar.Options(), {}, None)
    assert export_job.status is JobStatus.DONE, export_job.error
    export = db.session.scalar(select(CalendarExport))
    assert f"site/{export.pdf_key}" in bucket() and len(export.preview_keys) == 14
    with s3_client.get(f"/calendar/exports/{export.id}/preflight.json") as preflight:
        assert preflight.json["passed"]
    cached = Path(s3_app.config["STORAGE_CACHE_FOLDER"])  # the renderer reads local copies
    assert all((cached / "site" / entry.image_key / "print.jpg").is_file()
               for entry in drawings[1:13])  # the months' drawings
    findings = storage_check.check()
    assert findings.clean and not findings.pending, findings
