"""The storage interface's filesystem backend: safe keys, atomic writes, nothing left behind."""

import io
import os
import threading

import pytest
from PIL import Image

from contest.uploads import FileSystemStorage, InvalidKey, Storage, process_image, storing


@pytest.fixture
def storage(tmp_path) -> FileSystemStorage:
    return FileSystemStorage(tmp_path / "uploads")


def all_files(root) -> list[str]:
    return sorted(str(path.relative_to(root)) for path in root.rglob("*") if path.is_file())


def test_put_read_open_size_exists_delete(storage):
    key = "entries/ab/abcdef0123/print.jpg"
    assert not storage.exists(key)
    storage.put(key, b"first")
    storage.put(key, b"second version")
    assert storage.read(key) == b"second version"
    with storage.open(key) as file:
        assert file.read() == b"second version"
    assert storage.size(key) == 14 and storage.exists(key)
    storage.delete(key)
    storage.delete(key)  # deleting what is gone is no error
    assert not storage.exists(key)
    with pytest.raises(FileNotFoundError):
        storage.read(key)
    assert all_files(storage.root) == []


def test_filesystem_storage_fits_the_interface(storage):
    def keeps(backend: Storage) -> bytes:
        backend.put("a/b.bin", b"\x00\x01")
        return backend.read("a/b.bin")

    assert keeps(storage) == b"\x00\x01"


def test_a_library_reads_the_stored_file_by_its_local_path(storage):
    storage.put("calendars/2026/page-01.png", b"png")
    path = storage.local_path("calendars/2026/page-01.png")
    assert path.read_bytes() == b"png" and path.is_relative_to(storage.root)
    with pytest.raises(InvalidKey):
        storage.local_path("../outside.png")


@pytest.mark.parametrize("key", [
    "", "/etc/passwd", "../outside.jpg", "entries/../../outside.jpg", "entries/..", "a/./b",
    "a\\b.jpg", "..\\x.jpg", "a\x00b.jpg", "a//b.jpg", "a/", ".hidden", "entries/.x.tmp",
    "~/x.jpg", "a b.jpg", "C:/x.jpg", "entries/\u202egpj.exe",
])
def test_unsafe_keys_are_refused_before_touching_the_disk(storage, key):
    for action in (lambda: storage.put(key, b"x"), lambda: storage.read(key),
                   lambda: storage.delete(key), lambda: storage.exists(key),
                   lambda: storage.local_path(key)):
        with pytest.raises(InvalidKey):
            action()
    assert not storage.root.exists() or all_files(storage.root) == []


def test_a_symbolic_link_cannot_lead_outside_the_root(storage, tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    storage.root.mkdir()
    (storage.root / "entries").symlink_to(outside)
    with pytest.raises(InvalidKey):
        storage.put("entries/x.jpg", b"x")
    assert list(outside.iterdir()) == []


def test_a_failed_put_keeps_the_old_file_and_leaves_no_temporary_file(storage, monkeypatch):
    storage.put("entries/x.jpg", b"old")

    def broken_fsync(descriptor):
        raise OSError("disk full")

    monkeypatch.setattr(os, "fsync", broken_fsync)
    with pytest.raises(OSError, match="disk full"):
        storage.put("entries/x.jpg", b"new")
    monkeypatch.undo()
    assert storage.read("entries/x.jpg") == b"old"
    assert all_files(storage.root) == ["entries/x.jpg"]


def test_readers_see_the_whole_old_or_the_whole_new_file(storage):
    old, new = b"a" * 1_000_000, b"b" * 2_000_000
    storage.put("k.bin", old)
    torn: list[int] = []
    done = threading.Event()

    def read_often():
        while not done.is_set():
            data = storage.read("k.bin")
            if data not in (old, new):
                torn.append(len(data))

    reader = threading.Thread(target=read_often)
    reader.start()
    for _ in range(20):
        storage.put("k.bin", new)
        storage.put("k.bin", old)
    done.set()
    reader.join()
    assert torn == []
    assert all_files(storage.root) == ["k.bin"]


def test_storing_keeps_the_files_of_a_committed_entry(storage):
    with storing(storage, {"e/1/print.jpg": b"p", "e/1/thumb.jpg": b"t"}):
        pass
    assert all_files(storage.root) == ["e/1/print.jpg", "e/1/thumb.jpg"]


def test_a_failed_commit_leaves_no_file_behind(storage):
    photo = io.BytesIO()
    Image.new("RGB", (800, 600), "red").save(photo, "JPEG")
    image = process_image(photo.getvalue(), "../../x.jpg")
    files = {f"entries/ab/ab12/{name}": data for name, data in [
        ("print.jpg", image.print_master), ("preview.jpg", image.preview),
        ("thumb.jpg", image.thumbnail)]}
    with pytest.raises(RuntimeError, match="commit failed"), storing(storage, files):
        stored = all_files(storage.root)
        assert [k for k in stored if not k.startswith("pending/")] == sorted(files)
        assert len(stored) == 6  # each with its pending marker until the commit
        raise RuntimeError("commit failed")
    assert all_files(storage.root) == []


def test_a_failure_while_storing_removes_what_was_stored(storage):
    with pytest.raises(InvalidKey), storing(storage, {"e/1/a.jpg": b"a", "../b.jpg": b"b"}):
        pytest.fail("the body must not run when storing failed")
    assert all_files(storage.root) == []


def test_a_writer_stores_the_whole_file_or_nothing(tmp_path):
    from contest.uploads.storage import FileSystemStorage

    store = FileSystemStorage(tmp_path)
    with store.writer("jobs/1/big.zip") as out:
        for _ in range(3):
            out.write(b"x" * 1000)
    assert store.size("jobs/1/big.zip") == 3000
    try:
        with store.writer("jobs/2/big.zip") as out:
            out.write(b"half")
            raise RuntimeError("the job failed")
    except RuntimeError:
        pass
    assert not store.exists("jobs/2/big.zip")
    assert [p.name for p in (tmp_path / "jobs/2").iterdir()] == []  # no temporary file left


def test_delete_prefix_removes_a_folder_with_what_a_killed_writer_left(storage):
    storage.put("jobs/7/a.pdf", b"a")
    (storage.root / "jobs" / "7" / ".b.zip.x1y2").write_bytes(b"half")  # a writer killed mid-way
    storage.put("jobs/70/keep.pdf", b"k")
    storage.delete_prefix("jobs/7")
    storage.delete_prefix("jobs/8")  # nothing there: nothing to do
    assert all_files(storage.root) == ["jobs/70/keep.pdf"]
    with pytest.raises(InvalidKey):
        storage.delete_prefix("jobs/..")


def test_keys_lists_stored_files_without_temporary_ones(storage):
    storage.put("e/1/print.jpg", b"p")
    storage.put("a/thumb.jpg", b"t")
    (storage.root / "e" / "1" / ".print.jpg.tmp123").write_bytes(b"half")
    (storage.root / "e" / "link.jpg").symlink_to(storage.root / "a" / "thumb.jpg")
    assert list(storage.keys()) == ["a/thumb.jpg", "e/1/print.jpg"]
