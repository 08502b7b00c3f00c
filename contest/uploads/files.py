"""The app's files: which storage, what an upload may be, and where each entry's images are
kept.

The pipeline and the storage interface beside this module need no Flask app; this one reads
the app's settings. Every module that opens a drawing asks ``image_key`` which file to open.
"""

from __future__ import annotations

import hashlib
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Response, current_app, request, send_file
from werkzeug.wsgi import wrap_file

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


SENT_CHUNK = 64 * 1024  # a stored file goes to the browser this much at a time


def send_stored(key: str, mimetype: str | None = None, *, etag: bool = False,
                **options) -> Response:
    """The file stored under ``key`` as an answer that streams it from storage (the file on
    disk, or the bucket's answer as it arrives) ``SENT_CHUNK`` at a time, so a large drawing
    or download is never held whole in memory; with its length, and Range and conditional
    requests answered as ``send_file`` answers them. ``etag``: an ETag made from the stored
    file's version and key, never from its bytes. Other ``options`` are ``send_file``'s
    (``max_age``, ``download_name``, ``as_attachment``). FileNotFoundError if there is none."""
    stored = storage().stream(key)
    tag = hashlib.sha256(f"{key}\0{stored.version}".encode()).hexdigest()[:32]
    try:
        response = send_file(stored.file, mimetype=mimetype, conditional=False,
                             etag=tag if etag else False, **options)
        # send_file reads 8 KB at a time: fewer, larger reads of a bucket's answer.
        response.response = wrap_file(request.environ, stored.file, SENT_CHUNK)
        response.content_length = stored.size
        return response.make_conditional(request.environ, accept_ranges=True,
                                         complete_length=stored.size)
    except BaseException:  # a Range beyond the end, say: nothing will close the file
        stored.file.close()
        raise


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
