"""A family's photo kept between tries of the public form, so a mistake elsewhere in the form
(a consent, the age, a contact) does not cost another upload of several megabytes from a phone.

What is kept is what the pipeline made of the upload (print master, preview, thumbnail: no
metadata, never the uploaded file), in storage under ``held/<token>/`` (so that any app server
finds it), named by an unguessable token. The token lives in the browser's session only, so no
one else can use or see the photo; it is forgotten once the entry is stored, and every photo
older than ``HOLD_SECONDS`` is swept away whenever a photo is held, and by the worker every ten
minutes (``sweep-held-photos``).
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass, fields
from datetime import UTC, datetime
from pathlib import PurePosixPath

from flask import session

from .. import jobs
from .files import storage
from .pipeline import ProcessedImage, SpooledImage

HOLD_SECONDS = 3600  # long enough to fix a form on a phone, short enough to keep nothing
SESSION_KEY = "held_photo"
PREFIX = "held"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_IMAGES = {"print_master": "print.jpg", "preview": "preview.jpg", "thumbnail": "thumb.jpg"}
_META = "image.json"


def hold(image: ProcessedImage) -> None:
    """Keep ``image`` for this browser's next try of the form (replacing one kept before)."""
    release()
    sweep()
    token = secrets.token_urlsafe(24)
    store = storage()
    for name, file in _IMAGES.items():
        store.put(f"{PREFIX}/{token}/{file}", getattr(image, name))
    meta = {f.name: getattr(image, f.name) for f in fields(ProcessedImage)
            if f.name not in (*_IMAGES, "warnings")}
    # written last: a photo is kept once its description is
    store.put(f"{PREFIX}/{token}/{_META}", json.dumps({**meta, "held_at": time.time()}).encode())
    session[SESSION_KEY] = token


@dataclass(frozen=True)
class HeldImage(SpooledImage):
    """A kept photo: its description at hand, its files read from storage when asked for
    (``folder`` is its place in storage, ``held/<token>``)."""

    @property
    def print_master(self) -> bytes:
        return storage().read(f"{self.folder}/{_IMAGES['print_master']}")

    @property
    def preview(self) -> bytes:
        return storage().read(f"{self.folder}/{_IMAGES['preview']}")

    @property
    def thumbnail(self) -> bytes:
        return storage().read(self.thumbnail_key)

    @property
    def thumbnail_key(self) -> str:
        return f"{self.folder}/{_IMAGES['thumbnail']}"


def held() -> HeldImage | None:
    """The photo this browser sent before, if it is still kept."""
    token = _token()
    if token is None:
        return None
    try:
        meta = json.loads(storage().read(f"{PREFIX}/{token}/{_META}"))
        if time.time() - meta.pop("held_at") >= HOLD_SECONDS:
            return None
    except (FileNotFoundError, ValueError, KeyError):
        return None
    for name in ("print_size", "preview_size", "thumbnail_size"):
        meta[name] = tuple(meta[name])
    return HeldImage(folder=PurePosixPath(PREFIX, token), warnings=(), **meta)


def release() -> None:
    """Forget this browser's kept photo (stored as an entry, or replaced)."""
    token = _token()
    session.pop(SESSION_KEY, None)
    if token is not None:
        storage().delete_prefix(f"{PREFIX}/{token}")


def sweep(now: float | None = None) -> int:
    """Remove kept photos older than ``HOLD_SECONDS`` (and what a process killed while keeping
    one left); returns how many."""
    store = storage()
    limit = (time.time() if now is None else now) - HOLD_SECONDS
    old = set()
    for key in list(store.keys(PREFIX)):
        token = key.split("/")[1]
        if token not in old:
            try:
                if store.modified(key) < limit:
                    old.add(token)
            except FileNotFoundError:
                continue
    for token in old:
        store.delete_prefix(f"{PREFIX}/{token}")
    return len(old)


@jobs.periodic("sweep-held-photos", minute="*/10")
def sweep_held_photos(now: datetime) -> str:
    """The worker's sweep: no kept photo outlives its hour by more than ten minutes."""
    return f"{sweep(now.replace(tzinfo=UTC).timestamp())} kept photos removed"


def _token() -> str | None:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    return token
