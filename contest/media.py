"""Drawings are served only through this route, after checking who asks (never from static/)."""

from flask import Blueprint, abort
from flask_login import current_user

from .access import image_kinds_for
from .extensions import db
from .models import Entry
from .uploads import files

bp = Blueprint("media", __name__, url_prefix="/media")


@bp.get("/entries/<int:entry_id>/<kind>.jpg")
def entry_image(entry_id: int, kind: str):
    """One of an entry's images, for staff allowed to see it; 404 for everyone else."""
    entry = db.session.get(Entry, entry_id)
    if entry is None or kind not in image_kinds_for(current_user, entry):
        abort(404)
    response = files.send_stored(files.image_key(entry, kind), "image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"  # a child's drawing: no disk cache
    return response
