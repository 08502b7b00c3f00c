"""``flask backup create / verify / restore``: a backup taken while families submit drawings
restores into an empty installation as the same site (rows and files)."""

import json
import threading
from pathlib import Path

import pytest
from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from contest import backup, create_app
from contest.extensions import db
from contest.models import Contest, Entry, EntryStatus, Phase

from .conftest import TEST_DATABASE_URL
from .factories import Factory


@pytest.fixture(params=["sqlite", "postgresql"])
def installations(request, tmp_path):
    """Two installations' settings: a source with data to come, and an empty target."""
    base = {"TESTING": True, "SECRET_KEY": "test-secret", "RATELIMIT_ENABLED": False,
            "WTF_CSRF_ENABLED": False, "JOBS_IMMEDIATE": True,
            "OUTBOX_FOLDER": str(tmp_path / "outbox")}
    configs = {name: {**base, "UPLOAD_FOLDER": str(tmp_path / name / "uploads"),
                      "JOBS_URL": str(tmp_path / name / "jobs.db"),
                      "CACHE_DIR": str(tmp_path / name / "page-store")}
               for name in ("source", "target")}
    for name in configs:
        (tmp_path / name).mkdir()
    if request.param == "sqlite":
        for name, config in configs.items():
            config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{tmp_path / name / 'contest.db'}"
        yield configs
        return
    if not TEST_DATABASE_URL:
        pytest.skip("set TEST_DATABASE_URL to back up and restore PostgreSQL")
    server = create_engine(TEST_DATABASE_URL, isolation_level="AUTOCOMMIT")
    url = make_url(TEST_DATABASE_URL)
    names = {name: f"{url.database}_backup_{name}" for name in configs}
    with server.connect() as connection:
        for name, database in names.items():
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{database}"'))
            configs[name]["SQLALCHEMY_DATABASE_URI"] = url.set(database=database).render_as_string(
                hide_password=False)
    yield configs
    with server.connect() as connection:
        for database in names.values():
            connection.execute(text(f'DROP DATABASE IF EXISTS "{database}" WITH (FORCE)'))
    server.dispose()


def _contest(contest_id: int) -> Contest:
    return db.session.get(Contest, contest_id)


def _rows(app) -> dict[str, dict]:
    """Every row of every table, by table and primary key."""
    with app.app_context():
        rows = {}
        for table in db.metadata.sorted_tables:
            key = [c.name for c in table.primary_key.columns]
            rows[table.name] = {tuple(r[k] for k in key): dict(r)
                                for r in db.session.execute(select(table)).mappings()}
        return rows


def _files(app) -> dict[str, bytes]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def test_a_backup_taken_during_submissions_restores_the_same_site(installations, monkeypatch):
    source = create_app(installations["source"])
    with source.app_context():
        db.create_all()
        make = Factory(source)
        contest_id = make.contest(phase=Phase.SUBMISSIONS_OPEN).id
        for _ in range(3):
            make.entry(_contest(contest_id), status=EntryStatus.ACCEPTED, size=(400, 300))
        before = db.session.scalar(select(func.count(Entry.id)))

    # A family keeps submitting while the backup runs; two drawings arrive exactly between
    # the database snapshot and the copy of the files, the moment that could tear a backup.
    committed = threading.Semaphore(0)
    stop = threading.Event()
    failures = []

    def families():
        try:
            with source.app_context():
                writer = Factory(source)
                writer._n = 1000  # drawings of their own, not the first factory's again
                while not stop.is_set():
                    writer.entry(_contest(contest_id), size=(400, 300))
                    committed.release()
        except Exception as error:  # shown by the test, not lost in the thread
            failures.append(error)

    listing = backup._stored_keys

    def list_after_two_more_drawings(store):
        for _ in range(2):
            assert committed.acquire(timeout=60), failures
        return listing(store)

    monkeypatch.setattr(backup, "_stored_keys", list_after_two_more_drawings)
    thread = threading.Thread(target=families)
    thread.start()
    folder = Path(installations["source"]["UPLOAD_FOLDER"]).parent.parent / "backup"
    try:
        created = source.test_cli_runner().invoke(args=["backup", "create", str(folder)])
    finally:
        stop.set()
        thread.join()
    monkeypatch.undo()
    assert failures == [] and created.exit_code == 0, created.output
    manifest = json.loads((folder / "manifest.json").read_text())
    with source.app_context():
        after = db.session.scalar(select(func.count(Entry.id)))
    assert before <= manifest["tables"]["entry"] <= after - 2  # taken mid-way

    verified = source.test_cli_runner().invoke(args=["backup", "verify", str(folder)])
    assert verified.exit_code == 0 and "is whole" in verified.output

    target = create_app(installations["target"])
    restored = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
    assert restored.exit_code == 0, restored.output
    assert "row counts match the manifest" in restored.output

    # Rows: exactly the snapshot's, each as it was in the source.
    source_rows, target_rows = _rows(source), _rows(target)
    for table, rows in target_rows.items():
        assert len(rows) == manifest["tables"][table], table
        for key, row in rows.items():
            assert source_rows[table][key] == row, (table, key)
    # Files: each one as in the source, and every restored drawing has all of its files.
    source_files, target_files = _files(source), _files(target)
    assert all(source_files[path] == data for path, data in target_files.items())
    for entry in target_rows["entry"].values():
        for name in ("print.jpg", "preview.jpg", "thumb.jpg"):
            assert f"{entry['image_key']}/{name}" in target_files
    # And the restored site answers with a restored family's drawing.
    code = next(iter(target_rows["entry"].values()))["code"]
    with target.app_context():
        assert target.test_client().get(f"/status/{code}").status_code == 200
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()


def test_restore_refuses_an_installation_with_data(installations, tmp_path):
    source = create_app(installations["source"])
    with source.app_context():
        db.create_all()
        Factory(source).contest()
    folder = tmp_path / "backup"
    runner = source.test_cli_runner()
    assert runner.invoke(args=["backup", "create", str(folder)]).exit_code == 0
    refused = runner.invoke(args=["backup", "restore", str(folder)])
    assert refused.exit_code == 1 and "this installation has data" in refused.output
    again = runner.invoke(args=["backup", "create", str(folder)])
    assert again.exit_code == 1 and "is not empty" in again.output
    with source.app_context():
        db.engine.dispose()


def test_verify_finds_a_changed_file_and_restore_refuses_it(installations, tmp_path):
    source = create_app(installations["source"])
    with source.app_context():
        db.create_all()
        make = Factory(source)
        make.entry(make.contest(phase=Phase.SUBMISSIONS_OPEN), size=(400, 300))
    folder = tmp_path / "backup"
    runner = source.test_cli_runner()
    assert runner.invoke(args=["backup", "create", str(folder)]).exit_code == 0
    manifest = json.loads((folder / "manifest.json").read_text())
    changed = folder / "uploads" / manifest["files"][0]["path"]
    changed.write_bytes(changed.read_bytes()[:-1] + b"!")
    (folder / "uploads" / "stray.txt").write_text("?")
    checked = runner.invoke(args=["backup", "verify", str(folder)])
    assert checked.exit_code == 1
    assert f"uploads/{manifest['files'][0]['path']}: changed" in checked.output
    assert "uploads/stray.txt: not in the manifest" in checked.output
    target = create_app(installations["target"])
    refused = target.test_cli_runner().invoke(args=["backup", "restore", str(folder)])
    assert refused.exit_code == 1 and "does not match its manifest" in refused.output
    (folder / "manifest.json").unlink()
    assert "not a finished backup" in runner.invoke(args=["backup", "verify", str(folder)]).output
    for app in (source, target):
        with app.app_context():
            db.engine.dispose()
