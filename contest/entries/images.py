"""An entry's drawing after it is stored: turned, masked, or replaced by a better photo.

The uploaded file is not kept (see ``uploads.pipeline``): a turn is made on the print master
and the web copies are made afresh from it; masks are drawn on copies of the unmasked
preview and thumbnail, so clearing them loses nothing.
"""

from __future__ import annotations

import secrets

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from .. import audit
from ..extensions import db
from ..models import Entry, EntryStatus, utcnow
from ..transaction import files_with_rows
from ..uploads.files import ENTRY_FILES, entry_files, image_key, storage, upload_limits
from ..uploads.pipeline import ProcessedImage, redact, rotate, rotate_boxes, web_copies
from .moderation import ModerationClosed, moderation_closed, require_moderation_open
from .submission import DUPLICATE_IMAGE, EntryError

# A mask narrower or lower than this (a share of the drawing) hides nothing readable.
MIN_MASK = 0.01


def turn_refused(entry: Entry) -> str | None:
    """Why the drawing cannot be turned now (None when it can): as long as moderation lasts,
    and after it while a juror's sideways flag is up, since turning changes no decision and
    the jury then judges the drawing the right way up."""
    reason = moderation_closed(entry)
    if reason and entry.sideways_at and not entry.personal_data_erased_at \
            and entry.status is not EntryStatus.WITHDRAWN:
        return None
    return reason


def flag_sideways(entry: Entry) -> None:
    """A juror says the drawing reached them sideways: the coordinator sees it in the list's
    "needs attention" and on the entry's page. Flushes."""
    if entry.sideways_at is None:
        entry.sideways_at = utcnow()
        audit.record("entry.sideways", entry)
    db.session.flush()


def clear_sideways(entry: Entry) -> None:
    """The coordinator has looked at (and turned) the drawing a juror flagged. Flushes."""
    if entry.sideways_at is not None:
        entry.sideways_at = None
        audit.record("entry.sideways_cleared", entry)
    db.session.flush()


def rotate_entry(entry: Entry, degrees: int) -> None:
    """Turn the drawing: the print master by ``degrees``, the preview and thumbnail made
    afresh from it (each turn re-encodes the print master once, at print quality). The
    signature masks turn with it and cover the same part of the drawing. Commits: the turned
    files and the rows together or not at all (``_store_anew``). Refused as ``turn_refused``
    says."""
    reason = turn_refused(entry)
    if reason:
        raise ModerationClosed(reason)
    store = storage()
    print_master = rotate(store.read(image_key(entry, "print")), degrees)
    preview, thumbnail = web_copies(print_master, upload_limits())
    masks = rotate_boxes(entry.jury_masks or [], degrees)
    files = {"print": print_master, "preview": preview, "thumb": thumbnail,
             **_masked_copies(masks, preview, thumbnail)}
    with _store_anew(entry, files):
        entry.jury_masks = [list(box) for box in masks]
        entry.rotation = (entry.rotation + degrees) % 360
        if degrees % 180:
            entry.width, entry.height = entry.height, entry.width
        audit.record("entry.rotate", entry, degrees=degrees, masks=len(masks))


def _store_anew(entry: Entry, files: dict[str, bytes]):
    """Store the drawing's files (kind -> bytes) under a fresh name and commit the rows changed
    inside the ``with`` with them: all or nothing. The old files are deleted only once the
    commit has succeeded, so a failure leaves the drawing exactly as it was."""
    old = entry.image_key
    prefix = f"{old.rsplit('/', 1)[0]}/{secrets.token_hex(8)}"  # never the code
    entry.image_key = prefix
    return files_with_rows({f"{prefix}/{kind}.jpg": data for kind, data in files.items()},
                           then=lambda: delete_files(old))


def _masked_copies(masks, preview: bytes, thumbnail: bytes) -> dict[str, bytes]:
    """The jury's copy and the public thumbnail with ``masks`` drawn on them (none without)."""
    if not masks:
        return {}
    return {"jury": redact(preview, masks), "public": redact(thumbnail, masks)}


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
    thumbnail; the print master stays as it is. Commits, files and rows together
    (``_store_anew``)."""
    require_moderation_open(entry)
    clean = [mask_box(*box) for box in masks]
    store = storage()
    kept = {kind: store.read(f"{entry.image_key}/{kind}.jpg")
            for kind in ("print", "preview", "thumb")}
    with _store_anew(entry, {**kept, **_masked_copies(clean, kept["preview"], kept["thumb"])}):
        entry.jury_masks = [list(box) for box in clean]
        audit.record("entry.masks", entry, count=len(clean))


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
    # the new files and the rows both or neither; the old files go once the rows are committed
    with files_with_rows(entry_files(prefix, image), then=lambda: delete_files(old_prefix)):
        entry.image_key, entry.image_sha256 = prefix, image.sha256
        entry.image_format, entry.image_bytes = image.format, image.original_bytes
        entry.width, entry.height = image.width, image.height
        entry.effective_dpi = image.effective_dpi
        entry.rotation, entry.jury_masks = 0, []
        entry.status, entry.status_reason = EntryStatus.RECEIVED, ""
        entry.new_photo_at = utcnow()  # marked in the coordinator's list until decided
        audit.record("entry.new_photo", entry)


def delete_files(prefix: str) -> None:
    """Remove every file of a drawing stored under ``prefix``."""
    store = storage()
    for name in ENTRY_FILES:
        store.delete(f"{prefix}/{name}")

