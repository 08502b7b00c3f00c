"""Cleaning what an installation stored before no stored file carried metadata
(``flask storage strip-metadata``).

Until then the pipeline kept each uploaded file as ``<entry>/original``, with the camera's
GPS position, EXIF and XMP. Cleaning walks every file under the upload folder:

- an entry's original is removed; if the drawing's print master, preview or thumbnail is
  missing, they are made from the original first (turned as the coordinator turned it), so
  no drawing is lost;
- any other JPEG or PNG that carries metadata is rewritten without it, losslessly
  (``uploads.metadata``);
- everything else (PDFs, ZIPs, spreadsheets the app made) is only counted: the app writes
  no family's data into their metadata.

Backups made before keep the originals: make a new backup once this has run, and remove the
old ones; run it again after restoring an old backup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import select

from ..extensions import db
from ..models import Entry
from .files import LEGACY_ORIGINAL, storage, upload_limits
from .metadata import stripped
from .pipeline import ImageRejected, process_image, rotate, web_copies

_DERIVATIVES = ("print.jpg", "preview.jpg", "thumb.jpg")


@dataclass
class Change:
    """One file cleaned: what was done to it and its size before and after (0: removed)."""

    key: str
    action: str  # "removed" (an original), "remade" (its drawing's files), "stripped"
    bytes_before: int
    bytes_after: int


@dataclass
class CleaningReport:
    """What a run of ``strip_stored_metadata`` found and did (or would do, in a dry run)."""

    dry_run: bool
    checked: int = 0
    changes: list[Change] = field(default_factory=list)
    problems: list[tuple[str, str]] = field(default_factory=list)  # key, why it stays

    def count(self, action: str) -> int:
        return sum(1 for change in self.changes if change.action == action)

    @property
    def bytes_freed(self) -> int:
        """What removing originals and stripping metadata took off the disk (the files made
        for a drawing that had lost them are not counted against it)."""
        return sum(c.bytes_before - c.bytes_after for c in self.changes if c.action != "remade")


def strip_stored_metadata(dry_run: bool = False,
                          on_change: Callable[[Change], None] | None = None) -> CleaningReport:
    """Remove the kept originals and strip metadata from every stored JPEG and PNG.

    ``dry_run`` reports what would change and changes nothing. ``on_change`` hears of each
    change as it is made. Running it twice changes nothing the second time.
    """
    store = storage()
    report = CleaningReport(dry_run=dry_run)

    def changed(change: Change) -> None:
        report.changes.append(change)
        if on_change is not None:
            on_change(change)

    for key in list(store.keys()):
        report.checked += 1
        prefix, _, name = key.rpartition("/")
        if name == LEGACY_ORIGINAL and prefix.startswith("entries/"):
            _remove_original(store, prefix, dry_run, changed, report)
            continue
        with store.open(key) as file:
            head = file.read(8)
        if not head.startswith((b"\xff\xd8\xff", b"\x89PNG\r\n\x1a\n")):
            continue
        data = store.read(key)
        clean = stripped(data)
        if clean is None:
            continue
        if not dry_run:
            store.put(key, clean)
        changed(Change(key, "stripped", len(data), len(clean)))
    return report


def _remove_original(store, prefix: str, dry_run: bool, changed, report: CleaningReport) -> None:
    key = f"{prefix}/{LEGACY_ORIGINAL}"
    size = store.size(key)
    missing = [name for name in _DERIVATIVES if not store.exists(f"{prefix}/{name}")]
    if missing:
        try:
            made = _made_from_original(store.read(key), prefix)
        except ImageRejected as rejected:
            report.problems.append((key, f"kept: its drawing's files are missing and it "
                                         f"cannot be read ({rejected.code})"))
            return
        for name, data in made.items():
            if not dry_run:
                store.put(f"{prefix}/{name}", data)
            changed(Change(f"{prefix}/{name}", "remade", 0, len(data)))
    if not dry_run:
        store.delete(key)
    changed(Change(key, "removed", size, 0))


def _made_from_original(original: bytes, prefix: str) -> dict[str, bytes]:
    """The print master, preview and thumbnail of a drawing, made from its original and turned
    as its entry says."""
    image = process_image(original, None, upload_limits())
    turned = db.session.scalar(select(Entry.rotation).where(Entry.image_key == prefix)) or 0
    print_master = rotate(image.print_master, turned) if turned else image.print_master
    preview, thumbnail = web_copies(print_master, upload_limits())
    return {"print.jpg": print_master, "preview.jpg": preview, "thumb.jpg": thumbnail}
