"""Where uploaded files are kept: a small interface and its filesystem backend.

Keys are made by the app, such as ``entries/3f/3f9c.../print.jpg``, never from a name a
person typed or a device sent. The files are private: the app serves them through an
authorised route, so the storage root must never be under ``static/``.
"""

import os
import re
import secrets
import shutil
import tempfile
from collections.abc import Iterable, Iterator, Mapping
from contextlib import AbstractContextManager, contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO, Protocol

# One path segment of a key: no "..", no hidden files (temporary files start with a dot),
# no backslashes, spaces, NULs or other surprises.
_SEGMENT = re.compile(r"[A-Za-z0-9_-][A-Za-z0-9._-]*")
# Markers of files stored ahead of their rows' commit (see ``PendingFiles``).
PENDING = "pending"


class InvalidKey(ValueError):
    """A storage key that could reach outside the storage root, or is malformed."""


@dataclass(frozen=True)
class StoredStream:
    """A stored file open for reading (``Storage.stream``), with what an answer needs before
    its body: the length, and a version that changes whenever the stored bytes do, known
    without reading them (the caller closes ``file``)."""

    file: BinaryIO
    size: int
    version: str


class Storage(Protocol):
    """Keeps files under keys of slash-separated segments."""

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` at once: readers see the old file or the new, whole."""

    def writer(self, key: str) -> AbstractContextManager[BinaryIO]:
        """A file to write a large result into bit by bit; stored whole under ``key`` when the
        block ends without an error, and not at all otherwise."""

    def open(self, key: str) -> BinaryIO:
        """The stored file for reading; FileNotFoundError if there is none."""

    def stream(self, key: str) -> StoredStream:
        """The stored file open for reading bit by bit, with its length and version;
        FileNotFoundError if there is none."""

    def read(self, key: str) -> bytes:
        """The stored bytes; FileNotFoundError if there are none."""

    def delete(self, key: str) -> None:
        """Remove the file under ``key``, if there is one."""

    def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""

    def size(self, key: str) -> int:
        """The stored file's length in bytes; FileNotFoundError if there is none."""

    def local_path(self, key: str) -> Path:
        """A path on this machine where the file under ``key`` can be read by name, for a
        library that opens files itself (the calendar's renderer links and reads drawings)."""

    def prune_cache(self, now: float | None = None) -> int:
        """Remove the local copies ``local_path`` made that were not used for a while before
        ``now`` (POSIX time; the clock if not given); returns how many."""

    def delete_prefix(self, prefix: str) -> None:
        """Remove every file under ``prefix/``, with what interrupted writers left there."""

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every stored key (under ``prefix/`` if given), in order; files being written
        (temporary names) left out."""

    def modified(self, key: str) -> float:
        """When the file under ``key`` was stored (POSIX time); FileNotFoundError if none."""

    def sweep_unfinished(self, before: float) -> int:
        """Remove what writers killed before ``before`` (POSIX time) left half-written;
        returns how many."""


def check_key(key: str) -> str:
    """``key`` if it is a well-formed relative key; InvalidKey otherwise."""
    if not isinstance(key, str) or not all(_SEGMENT.fullmatch(part) for part in key.split("/")):
        raise InvalidKey(f"invalid storage key: {key!r}")
    return key


def _is_key(key: str) -> bool:
    try:
        check_key(key)
    except InvalidKey:
        return False
    return True


class FileSystemStorage:
    """Files in a folder on the local disk, written atomically."""

    def __init__(self, root: Path | str) -> None:
        self.root = Path(root).resolve()

    def path(self, key: str) -> Path:
        """The file's place on disk; InvalidKey if ``key`` could lead outside the root."""
        path = (self.root / check_key(key)).resolve()
        # A symbolic link inside the root could still point elsewhere.
        if not path.is_relative_to(self.root) or path == self.root:
            raise InvalidKey(f"storage key leaves the storage root: {key!r}")
        return path

    def put(self, key: str, data: bytes) -> None:
        """Write to a temporary file beside the target, flush it to disk, then rename it."""
        with self.writer(key) as file:
            file.write(data)

    @contextmanager
    def writer(self, key: str) -> Iterator[BinaryIO]:
        """A temporary file beside the target, renamed onto it once written and flushed."""
        path = self.path(key)
        self.root.mkdir(mode=0o700, parents=True, exist_ok=True)  # children's drawings: private
        path.parent.mkdir(parents=True, exist_ok=True)
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
        try:
            with os.fdopen(handle, "wb") as file:
                yield file
                file.flush()
                os.fsync(file.fileno())
            os.replace(temporary, path)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
        _fsync_directory(path.parent)

    def open(self, key: str) -> BinaryIO:
        """The stored file for reading; the caller closes it."""
        return self.path(key).open("rb")

    def stream(self, key: str) -> StoredStream:
        """The open file; its version is its inode, size and modification time, as web
        servers make their ETags (a stored file is replaced by a new one, never rewritten)."""
        file = self.path(key).open("rb")
        facts = os.fstat(file.fileno())
        return StoredStream(file, facts.st_size,
                            f"{facts.st_ino:x}-{facts.st_size:x}-{facts.st_mtime_ns:x}")

    def read(self, key: str) -> bytes:
        """The stored bytes."""
        return self.path(key).read_bytes()

    def delete(self, key: str) -> None:
        """Remove the file under ``key``, if there is one."""
        self.path(key).unlink(missing_ok=True)

    def exists(self, key: str) -> bool:
        """Whether a file is stored under ``key``."""
        return self.path(key).is_file()

    def size(self, key: str) -> int:
        """The stored file's length in bytes."""
        return self.path(key).stat().st_size

    def local_path(self, key: str) -> Path:
        """The file's place on disk (``path``): the stored file itself, never a copy."""
        return self.path(key)

    def prune_cache(self, now: float | None = None) -> int:
        """Nothing to remove: ``local_path`` is the stored file itself, never a copy."""
        return 0

    def delete_prefix(self, prefix: str) -> None:
        """Remove the folder of ``prefix`` with everything in it, temporary files included."""
        shutil.rmtree(self.path(prefix), ignore_errors=True)

    def keys(self, prefix: str = "") -> Iterator[str]:
        """Every file under the root (or under ``prefix/``) whose path is a valid key
        (temporary files start with a dot, so they are not), in sorted order."""
        for path in sorted(_files(self.path(prefix) if prefix else self.root)):
            key = path.relative_to(self.root).as_posix()
            if _is_key(key):
                yield key

    def modified(self, key: str) -> float:
        """The file's modification time."""
        return self.path(key).stat().st_mtime

    def sweep_unfinished(self, before: float) -> int:
        """Remove the temporary files (``.name.xxxx`` beside their target) of writers that
        died before ``before``."""
        removed = 0
        for path in _files(self.root):
            with suppress(OSError):
                if path.name.startswith(".") and path.stat().st_mtime < before:
                    path.unlink()
                    removed += 1
        return removed


class PendingFiles:
    """Files stored ahead of the commit of the rows that name them.

    Before each file, an empty marker ``pending/<token>/<key>`` is stored; once the rows are
    committed, ``settle`` removes the markers, and ``undo`` (the rows were not committed)
    removes the files and their markers. A process killed in between leaves the markers: the
    files they name are pending, and ``contest.storage_check.sweep_pending`` removes those no
    row names once they are older than a request can live.
    """

    def __init__(self, storage: Storage) -> None:
        self.storage = storage
        self.token = secrets.token_hex(8)
        self.keys: list[str] = []

    def put(self, key: str, data: bytes) -> None:
        """Store ``data`` under ``key`` as pending."""
        self.storage.put(f"{PENDING}/{self.token}/{check_key(key)}", b"")
        self.keys.append(key)
        self.storage.put(key, data)

    def settle(self) -> None:
        """The rows naming the files were committed: the files are no longer pending."""
        self.storage.delete_prefix(f"{PENDING}/{self.token}")

    def undo(self) -> None:
        """The rows were not committed: remove the files again."""
        for key in self.keys:
            self.storage.delete(key)
        self.settle()


def pending_key(marker: str) -> str:
    """The key a pending marker (``pending/<token>/<key>``) stands for."""
    return marker.split("/", 2)[2]


@contextmanager
def storing(storage: Storage, files: Mapping[str, bytes] | Iterable[tuple[str, bytes]]
            ) -> Iterator[None]:
    """Store ``files`` (new keys to bytes, or such pairs one by one, so that only one file need
    be in memory) for an entry that is committed inside the ``with``.

    If storing any file fails, or the body raises (say the database commit fails), every
    file already stored is deleted again, so no failure leaves a file behind; a process
    killed inside leaves them pending (``PendingFiles``)::

        with storing(storage, {f"{prefix}/print.jpg": image.print_master, ...}):
            db.session.add(entry)
            db.session.commit()
    """
    pending = PendingFiles(storage)
    try:
        for key, data in files.items() if isinstance(files, Mapping) else files:
            pending.put(key, data)
        yield
    except BaseException:
        pending.undo()
        raise
    pending.settle()


def _files(root: Path) -> Iterator[Path]:
    """The files under ``root`` (no symbolic links); a folder removed meanwhile (a pending
    upload's markers, settled) is passed over."""
    for directory, _, names in os.walk(root):
        for name in names:
            path = Path(directory) / name
            if not path.is_symlink():
                yield path


def _fsync_directory(directory: Path) -> None:
    # The rename itself is durable only once the directory entry is on disk.
    descriptor = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
