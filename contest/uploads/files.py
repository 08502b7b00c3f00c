"""The app's files: which storage, what an upload may be, and where each entry's images are
kept.

The pipeline and the storage interface beside this module need no Flask app; this one reads
the app's settings. Every module that opens a drawing asks ``image_key`` which file to open.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from flask import current_app

from .pipeline import ProcessedImage, SpooledImage, UploadLimits
from .storage import FileSystemStorage, Storage

if TYPE_CHECKING:
    from ..models import Entry

# Every file an entry may have under its prefix: the three the pipeline makes, the masked
# copies (``jury``, ``public``) the coordinator's masks make, and the uploaded file as it was
# kept before the pipeline stopped keeping it (``LEGACY_ORIGINAL``; see
# ``flask storage strip-metadata``), so that deleting an entry's files deletes that too.
LEGACY_ORIGINAL = "original"
ENTRY_FILES = ("print.jpg", "preview.jpg", "thumb.jpg", "jury.jpg", "public.jpg",
               LEGACY_ORIGINAL)


def storage() -> Storage:
    """The app's file storage: an S3-compatible bucket when ``STORAGE_URL`` is
    ``s3://bucket/prefix`` (several app servers share it), otherwise the filesystem under
    ``UPLOAD_FOLDER`` (never under ``static/``)."""
    store = current_app.extensions.get("contest_storage")
    if store is None:
        config = current_app.config
        if config.get("STORAGE_URL"):
            from .s3 import from_url  # boto3 is imported only by installations that use it

            store = from_url(config["STORAGE_URL"], endpoint_url=config.get("S3_ENDPOINT_URL"),
                             cache=config.get("STORAGE_CACHE_FOLDER")
                             or Path(current_app.instance_path) / "storage-cache")
        else:
            store = FileSystemStorage(config["UPLOAD_FOLDER"])
        current_app.extensions["contest_storage"] = store
    return store


def upload_limits() -> UploadLimits:
    """What one uploaded image may be (``UPLOAD_MAX_BYTES``)."""
    return UploadLimits(max_bytes=current_app.config["UPLOAD_MAX_BYTES"])


def hides_signature(entry: Entry) -> bool:
    """A masked area is mostly the child's signature: their name. Outside the jury it stays
    hidden unless the family agreed to show the child's name."""
    return bool(entry.jury_masks) and not entry.consent("show_name")


def image_key(entry: Entry, kind: str) -> str:
    """Where one of an entry's images is stored. ``jury`` (the preview) carries the
    coordinator's masks when there are any; ``public`` (the thumbnail on public pages) and
    ``public_large`` (the preview on a drawing's public page) carry them when the family did
    not agree to show the child's name (see ``hides_signature``)."""
    if kind == "jury" and not entry.jury_masks:
        kind = "preview"
    if kind == "public":
        kind = "public" if hides_signature(entry) else "thumb"
    if kind == "public_large":  # a drawing's own public page: the preview, masked as above
        kind = "jury" if hides_signature(entry) else "preview"
    return f"{entry.image_key}/{kind}.jpg"


def entry_files(prefix: str, image: ProcessedImage | SpooledImage) -> dict[str, bytes]:
    """The files of a new drawing under ``prefix`` (an entry's ``image_key``), key to bytes:
    the derivatives only, never the uploaded file (see ``uploads.pipeline``)."""
    return {f"{prefix}/print.jpg": image.print_master, f"{prefix}/preview.jpg": image.preview,
            f"{prefix}/thumb.jpg": image.thumbnail}
