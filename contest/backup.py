"""Backups of a running site, and their restore into an empty installation.

``flask backup create DIR`` writes three things into an empty folder:

- ``database.dump`` (PostgreSQL: ``pg_dump``'s custom format) or ``database.sqlite3``
  (SQLite's online backup API): one consistent snapshot, taken while the site runs;
- ``uploads/``: a copy of the stored files (the upload folder, or the S3 bucket), taken after
  the snapshot. Files are written
  before the rows that name them are committed, so every file the snapshot names is there
  (unless it was deleted meanwhile, as an erasure of personal data does); files of entries
  committed after the snapshot come along unnamed, and harm nothing;
- ``manifest.json``, written last: what was backed up, with the size and SHA-256 of every
  file and the row count of every table in the snapshot. A folder without it is no backup.

``verify`` checks a backup against its manifest; ``restore`` verifies, refuses an
installation that has data, restores the database and the files, and compares the row
counts with the manifest.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup
from sqlalchemy import Connection, create_engine, func, inspect, select, table
from sqlalchemy.engine import URL

from .extensions import db
from .uploads import PENDING, Storage, files

FORMAT = 1
MANIFEST = "manifest.json"
UPLOADS = "uploads"
POSTGRES_DUMP = "database.dump"
SQLITE_COPY = "database.sqlite3"
CHUNK = 1 << 20

backup_cli = AppGroup("backup", help="Back up the site while it runs; verify; restore.")


class BackupError(click.ClickException):
    """A backup that cannot be made, verified or restored; the message says why."""


@dataclass(frozen=True)
class Problem:
    path: str
    what: str


# --- create ----------------------------------------------------------------------------------


def create(folder: Path) -> dict:
    """Snapshot the database, then copy the uploads; returns the manifest written last."""
    if folder.exists() and any(folder.iterdir()):
        raise BackupError(f"{folder} is not empty; a backup goes into a new folder")
    folder.mkdir(parents=True, exist_ok=True)
    url = db.engine.url
    click.echo("Database snapshot…")
    if url.get_backend_name() == "postgresql":
        database, counts, revision = _dump_postgres(url, folder / POSTGRES_DUMP)
    elif url.get_backend_name() == "sqlite":
        database, counts, revision = _copy_sqlite(url, folder / SQLITE_COPY)
    else:
        raise BackupError(f"no backup for {url.get_backend_name()} databases")
    store = files.storage()
    stored = list(_stored_keys(store))
    listed = []
    with click.progressbar(stored, label="Uploads", show_pos=True,
                           item_show_func=lambda p: None) as bar:
        for key in bar:
            entry = _copy_file(store, key, folder / UPLOADS / key)
            if entry is not None:  # a file deleted since the listing is no longer the site's
                listed.append({"path": key, **entry})
    manifest = {
        "format": FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": {"backend": url.get_backend_name(), "revision": revision, **database},
        "tables": counts,
        "files": listed,
    }
    temporary = folder / f".{MANIFEST}.partial"
    temporary.write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    temporary.replace(folder / MANIFEST)
    return manifest


def _dump_postgres(url: URL, target: Path) -> tuple[dict, dict[str, int], str | None]:
    """pg_dump of an exported snapshot, and the row counts of that same snapshot."""
    with db.engine.connect() as connection:
        connection = connection.execution_options(isolation_level="REPEATABLE READ")
        with connection.begin():
            snapshot = connection.exec_driver_sql("SELECT pg_export_snapshot()").scalar()
            counts = _row_counts(connection)
            revision = _revision(connection)
            # The snapshot lives as long as this transaction: pg_dump runs inside it.
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges",
                  f"--snapshot={snapshot}", f"--file={target}"], url)
    return _described(target), counts, revision


def _copy_sqlite(url: URL, target: Path) -> tuple[dict, dict[str, int], str | None]:
    """SQLite's online backup: a consistent copy even while other connections write."""
    _sqlite_backup(_sqlite_path(url), str(target))
    engine = create_engine(f"sqlite:///{target}")
    try:
        with engine.connect() as connection:
            counts, revision = _row_counts(connection), _revision(connection)
    finally:
        engine.dispose()
    return _described(target), counts, revision


def _row_counts(connection: Connection) -> dict[str, int]:
    names = sorted(inspect(connection).get_table_names())
    return {name: connection.scalar(select(func.count()).select_from(table(name)))
            for name in names}


def _revision(connection: Connection) -> str | None:
    if "alembic_version" not in inspect(connection).get_table_names():
        return None
    return connection.exec_driver_sql("SELECT version_num FROM alembic_version").scalar()


def _stored_keys(store: Storage) -> Iterator[str]:
    """The stored files a backup keeps: not the markers of pending files (the snapshot names
    the files it needs), nor the photos held between tries of the public form."""
    stored = store.keys()
    return (key for key in stored if not key.startswith((f"{PENDING}/", "held/")))


def _stored_files(root: Path) -> Iterator[str]:
    """Relative paths of the stored files, without what writers have not finished (dot files)."""
    if not root.is_dir():
        return
    for directory, folders, names in os.walk(root):
        folders[:] = sorted(f for f in folders if not f.startswith("."))
        for name in sorted(names):
            if not name.startswith("."):
                yield (Path(directory) / name).relative_to(root).as_posix()


def _copy_file(store: Storage, key: str, target: Path) -> dict | None:
    """Copy with its checksum computed on the way; None if the stored file is gone."""
    target.parent.mkdir(parents=True, exist_ok=True)
    digest = hashlib.sha256()
    try:
        with store.open(key) as reading, target.open("wb") as writing:
            while chunk := reading.read(CHUNK):
                digest.update(chunk)
                writing.write(chunk)
    except FileNotFoundError:
        target.unlink(missing_ok=True)
        return None
    return {"size": target.stat().st_size, "sha256": digest.hexdigest()}


def _described(path: Path) -> dict:
    return {"file": path.name, "size": path.stat().st_size, "sha256": _sha256(path)}


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as reading:
        while chunk := reading.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


# --- verify ----------------------------------------------------------------------------------


def read_manifest(folder: Path) -> dict:
    try:
        manifest = json.loads((folder / MANIFEST).read_text())
    except FileNotFoundError:
        raise BackupError(f"{folder} has no {MANIFEST}: not a finished backup") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"unknown backup format {manifest.get('format')!r}")
    return manifest


def verify(folder: Path) -> list[Problem]:
    """Every file the manifest lists, with its size and checksum; and nothing else."""
    manifest = read_manifest(folder)
    expected = {f"{UPLOADS}/{f['path']}": f for f in manifest["files"]}
    database = manifest["database"]
    expected[database["file"]] = database
    problems = []
    with click.progressbar(sorted(expected.items()), label="Checking", show_pos=True,
                           item_show_func=lambda i: None) as bar:
        for path, wanted in bar:
            found = folder / path
            if not found.is_file():
                problems.append(Problem(path, "missing"))
            elif found.stat().st_size != wanted["size"] or _sha256(found) != wanted["sha256"]:
                problems.append(Problem(path, "changed (size or checksum differs)"))
    present = {f"{UPLOADS}/{p}" for p in _stored_files(folder / UPLOADS)}
    problems += [Problem(path, "not in the manifest") for path in sorted(present - set(expected))]
    return problems


# --- restore ---------------------------------------------------------------------------------


def restore(folder: Path) -> dict[str, int]:
    """Restore a verified backup into this installation, which must hold no data; returns
    the restored row counts (equal to the manifest's)."""
    manifest = read_manifest(folder)
    problems = verify(folder)
    if problems:
        raise BackupError("the backup does not match its manifest: " + "; ".join(
            f"{p.path}: {p.what}" for p in problems[:10]))
    _refuse_unless_empty()
    url = db.engine.url
    backend = manifest["database"]["backend"]
    if backend != url.get_backend_name():
        raise BackupError(f"a {backend} backup cannot be restored into "
                          f"{url.get_backend_name()}")
    click.echo("Database…")
    db.session.remove()
    db.engine.dispose()
    if backend == "postgresql":
        _run(["pg_restore", "--no-owner", "--no-privileges", "--clean", "--if-exists",
              "--single-transaction", "--exit-on-error", str(folder / POSTGRES_DUMP)], url,
             database_flag=True)
    else:
        _sqlite_backup(str(folder / SQLITE_COPY), _sqlite_path(url))
    store = files.storage()
    with click.progressbar(manifest["files"], label="Uploads", show_pos=True,
                           item_show_func=lambda f: None) as bar:
        for item in bar:
            with (folder / UPLOADS / item["path"]).open("rb") as reading, \
                    store.writer(item["path"]) as writing:
                shutil.copyfileobj(reading, writing, CHUNK)
    db.engine.dispose()
    with db.engine.connect() as connection:
        counts = _row_counts(connection)
    wrong = {t: (n, counts.get(t)) for t, n in manifest["tables"].items() if counts.get(t) != n}
    if wrong:
        raise BackupError(f"restored row counts differ from the manifest: {wrong}")
    current_app.extensions["public_pages"].renew()  # pages kept before are of other data
    return counts


def _refuse_unless_empty() -> None:
    with db.engine.connect() as connection:
        counts = _row_counts(connection)
    filled = sorted(t for t, n in counts.items() if n and t != "alembic_version")
    if filled:
        raise BackupError("this installation has data (" + ", ".join(filled[:5]) + "); restore "
                          "into a new, empty database and upload folder")
    if next(_stored_keys(files.storage()), None) is not None:
        raise BackupError("the storage (UPLOAD_FOLDER or STORAGE_URL) is not empty")


# --- tools -----------------------------------------------------------------------------------


def _sqlite_backup(source: str, target: str) -> None:
    """Copy one SQLite database onto another, page by page, under a read lock of the source."""
    reading, writing = sqlite3.connect(source), sqlite3.connect(target)
    try:
        reading.backup(writing)
    finally:
        writing.close()
        reading.close()


def _sqlite_path(url: URL) -> str:
    if not url.database or url.database == ":memory:":
        raise BackupError("an in-memory SQLite database has nothing to back up")
    return url.database


def _run(command: list[str], url: URL, database_flag: bool = False) -> None:
    """A PostgreSQL client tool, connected by environment variables (no password in ``ps``)."""
    if shutil.which(command[0]) is None:
        raise BackupError(f"{command[0]} is not installed (Debian: postgresql-client)")
    env = {**os.environ, "PGHOST": url.host or "", "PGPORT": str(url.port or 5432),
           "PGUSER": url.username or "", "PGDATABASE": url.database or ""}
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    for name, value in url.query.items():  # sslmode=require and the like
        env[f"PG{name.upper()}"] = value if isinstance(value, str) else value[-1]
    if database_flag:
        command = [*command[:-1], f"--dbname={url.database}", command[-1]]
    done = subprocess.run(command, env=env, capture_output=True, text=True)
    if done.returncode != 0:
        raise BackupError(f"{command[0]} failed: {done.stderr.strip()[-2000:]}")


# --- command line ----------------------------------------------------------------------------


@backup_cli.command("create")
@click.argument("folder", type=click.Path(file_okay=False, path_type=Path))
def create_command(folder: Path) -> None:
    """Back up the database and the uploads into FOLDER (new or empty), while the site runs."""
    manifest = create(folder)
    size = sum(f["size"] for f in manifest["files"]) + manifest["database"]["size"]
    click.echo(f"Backed up {sum(manifest['tables'].values())} rows in "
               f"{len(manifest['tables'])} tables and {len(manifest['files'])} files "
               f"({size / 1e6:.1f} MB) into {folder}")


@backup_cli.command("verify")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def verify_command(folder: Path) -> None:
    """Check every file of the backup in FOLDER against its manifest."""
    problems = verify(folder)
    for problem in problems:
        click.echo(f"{problem.path}: {problem.what}", err=True)
    if problems:
        raise BackupError(f"{len(problems)} problems")
    manifest = read_manifest(folder)
    click.echo(f"The backup of {manifest['created_at']} is whole: "
               f"{len(manifest['files'])} files and the database match the manifest.")


@backup_cli.command("restore")
@click.argument("folder", type=click.Path(exists=True, file_okay=False, path_type=Path))
def restore_command(folder: Path) -> None:
    """Restore the backup in FOLDER into this installation, whose database and upload
    folder must be empty (create the database; do not run `db upgrade` first)."""
    counts = restore(folder)
    click.echo(f"Restored {sum(counts.values())} rows in {len(counts)} tables; row counts "
               f"match the manifest. Run `flask db upgrade` if this code is newer.")
