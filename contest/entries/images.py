"""An entry's drawing after it is stored: turned, masked, or replaced by a better photo.

The original stays as uploaded; every change makes the derivatives afresh from it or from the
unmasked copies, so nothing is lost by changing one's mind.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Entry, EntryStatus
from ..uploads.files import ENTRY_FILES, entry_files, image_key, storage, upload_limits
from ..uploads.pipeline import ProcessedImage, process_image, redact, rotate
from ..uploads.storage import storing
from .moderation import require_moderation_open
from .submission import DUPLICATE_IMAGE, EntryError

# A mask narrower or lower than this (a share of the drawing) hides nothing readable.
MIN_MASK = 0.01


def rotate_entry(entry: Entry, degrees: int) -> None:
    """Turn the drawing (print, preview, thumbnail); the original stays as uploaded.

    The derivatives are made afresh from the original and turned by the total angle, so
    turning back and forth never costs quality.
    """
    require_moderation_open(entry)
    store = storage()
    total = (entry.rotation + degrees) % 360
    image = process_image(store.read(image_key(entry, "original")), None, upload_limits())
    made = {"print": image.print_master, "preview": image.preview, "thumb": image.thumbnail}
    turned = {image_key(entry, kind): rotate(data, total) if total else data
              for kind, data in made.items()}
    if entry.jury_masks:
        entry.jury_masks = []  # the rectangles were drawn on the old orientation
        store.delete(f"{entry.image_key}/jury.jpg")
        store.delete(f"{entry.image_key}/public.jpg")
    for key, data in turned.items():
        store.put(key, data)
    entry.rotation = total
    if degrees % 180:
        entry.width, entry.height = entry.height, entry.width
    audit.record("entry.rotate", entry, degrees=degrees)
    db.session.commit()


def mask_box(x: float, y: float, width: float, height: float) -> tuple[float, ...]:
    """A rectangle to hide (shares 0..1 of the drawing), cut at the drawing's edges.

    Raises EntryError (on ``w`` or ``h``) when what is left is smaller than ``MIN_MASK``.
    """
    x, y = min(max(x, 0.0), 1.0), min(max(y, 0.0), 1.0)
    width, height = min(width, 1.0 - x), min(height, 1.0 - y)
    small = _l("Make the area at least %(min)s%% of the drawing wide and high, inside the "
               "drawing.", min=round(MIN_MASK * 100))
    errors = {name: small for name, size in (("w", width), ("h", height)) if size < MIN_MASK}
    if errors:
        raise EntryError(errors)
    return tuple(round(v, 4) for v in (x, y, width, height))


def set_masks(entry: Entry, masks: list[tuple[float, float, float, float]]) -> None:
    """Hide rectangles (relative 0..1: x, y, width, height) on the jury's copy and the public
    thumbnail; the print master and the original stay as they are."""
    require_moderation_open(entry)
    clean = [mask_box(*box) for box in masks]
    store = storage()
    for masked, source in (("jury", "preview"), ("public", "thumb")):
        if clean:
            store.put(f"{entry.image_key}/{masked}.jpg",
                      redact(store.read(f"{entry.image_key}/{source}.jpg"), clean))
        else:
            store.delete(f"{entry.image_key}/{masked}.jpg")
    entry.jury_masks = [list(box) for box in clean]
    audit.record("entry.masks", entry, count=len(clean))
    db.session.commit()


def replace_image(entry: Entry, image: ProcessedImage) -> None:
    """The family sends a better photo: new files, back to moderation. Commits."""
    if entry.status is not EntryStatus.NEEDS_PHOTO:
        raise EntryError({"image": _l("A new photo can be sent only when the coordinator asks.")})
    require_moderation_open(entry)
    if db.session.scalar(select(Entry.id).where(Entry.contest_id == entry.contest_id,
                                                Entry.image_sha256 == image.sha256)):
        raise EntryError({"image": DUPLICATE_IMAGE})
    old_prefix = entry.image_key
    prefix = f"{old_prefix.rsplit('/', 1)[0]}/{secrets.token_hex(8)}"  # never the code
    with storing(storage(), entry_files(prefix, image)):
        entry.image_key, entry.image_sha256 = prefix, image.sha256
        entry.image_format, entry.image_bytes = image.format, len(image.original)
        entry.width, entry.height = image.width, image.height
        entry.effective_dpi = image.effective_dpi
        entry.rotation, entry.jury_masks = 0, []
        entry.status, entry.status_reason = EntryStatus.RECEIVED, ""
        audit.record("entry.new_photo", entry)
        db.session.commit()
    delete_files(old_prefix)


def delete_files(prefix: str) -> None:
    """Remove every file of a drawing stored under ``prefix``."""
    store = storage()
    for name in ENTRY_FILES:
        store.delete(f"{prefix}/{name}")

