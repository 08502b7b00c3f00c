"""A family's photo kept between tries of the public form, so a mistake elsewhere in the form
(a consent, the age, a contact) does not cost another upload of several megabytes from a phone.

What is kept is what the pipeline made of the upload (print master, preview, thumbnail: no
metadata, never the uploaded file), in a private folder named by an unguessable token. The token
lives in the browser's session only, so no one else can use or see the photo; it is forgotten
once the entry is stored, and every folder older than ``HOLD_SECONDS`` is swept away whenever a
photo is held, and by the worker every ten minutes (``sweep-held-photos``).
"""

from __future__ import annotations

import json
import re
import secrets
import shutil
import time
from dataclasses import fields
from datetime import UTC, datetime
from pathlib import Path

from flask import current_app, session

from .. import jobs
from .pipeline import ProcessedImage, SpooledImage

HOLD_SECONDS = 3600  # long enough to fix a form on a phone, short enough to keep nothing
SESSION_KEY = "held_photo"
_TOKEN = re.compile(r"[A-Za-z0-9_-]{32}")
_META = "image.json"


def _root() -> Path:
    return Path(current_app.config.get("HELD_PHOTOS_FOLDER")
                or Path(current_app.instance_path) / "held-photos")


def hold(image: ProcessedImage) -> None:
    """Keep ``image`` for this browser's next try of the form (replacing one kept before)."""
    release()
    root = _root()
    root.mkdir(mode=0o700, parents=True, exist_ok=True)
    sweep()
    token = secrets.token_urlsafe(24)
    spooled = SpooledImage.spool(image, root / token)
    meta = {f.name: getattr(spooled, f.name) for f in fields(SpooledImage)
            if f.name not in ("folder", "warnings")}
    (root / token / _META).write_text(json.dumps(meta), encoding="utf-8")
    session[SESSION_KEY] = token


def held() -> SpooledImage | None:
    """The photo this browser sent before, if it is still kept."""
    folder = _folder()
    if folder is None:
        return None
    try:
        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    for name in ("print_size", "preview_size", "thumbnail_size"):
        meta[name] = tuple(meta[name])
    return SpooledImage(folder=folder, warnings=(), **meta)


def release() -> None:
    """Forget this browser's kept photo (stored as an entry, or replaced)."""
    folder = _folder()
    session.pop(SESSION_KEY, None)
    if folder is not None:
        shutil.rmtree(folder, ignore_errors=True)


def sweep(now: float | None = None) -> int:
    """Remove kept photos older than ``HOLD_SECONDS``; returns how many."""
    root = _root()
    if not root.is_dir():
        return 0
    limit = (time.time() if now is None else now) - HOLD_SECONDS
    removed = 0
    for folder in root.iterdir():
        try:
            old = folder.stat().st_mtime < limit
        except OSError:
            continue
        if old:
            shutil.rmtree(folder, ignore_errors=True)
            removed += 1
    return removed


@jobs.periodic("sweep-held-photos", minute="*/10")
def sweep_held_photos(now: datetime) -> str:
    """The worker's sweep: no kept photo outlives its hour by more than ten minutes."""
    return f"{sweep(now.replace(tzinfo=UTC).timestamp())} kept photos removed"


def _folder() -> Path | None:
    token = session.get(SESSION_KEY)
    if not isinstance(token, str) or not _TOKEN.fullmatch(token):
        return None
    folder = _root() / token
    try:
        fresh = time.time() - folder.stat().st_mtime < HOLD_SECONDS
    except OSError:
        return None
    return folder if fresh else None
