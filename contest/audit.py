"""The audit log: one call records who did what, in the caller's transaction."""

from flask_login import current_user
from sqlalchemy import select

from .extensions import db
from .models import AuditLog


def record(action: str, obj, contest_id: int | None = None, **details) -> AuditLog:
    """Add an audit row for ``obj`` (flushed, committed with the change it describes)."""
    user_id = current_user.id if getattr(current_user, "is_authenticated", False) else None
    if contest_id is None:
        contest_id = getattr(obj, "contest_id", None)
        if contest_id is None and type(obj).__name__ == "Contest":
            contest_id = obj.id
    row = AuditLog(user_id=user_id, contest_id=contest_id, action=action,
                   object_type=type(obj).__name__.lower(), object_id=getattr(obj, "id", None),
                   details={k: _plain(v) for k, v in details.items()})
    db.session.add(row)
    return row


def _plain(value):
    if isinstance(value, (str, int, float, bool)) or value is None:
        return value
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    return str(value)


FREE_TEXT = ("reason", "note", "comment")
ERASED = "—"


def forget_texts(entry) -> None:
    """Blank what people wrote about ``entry`` in the log (a reason, a note): it may name the
    child. Who did what and when stays."""
    rows = db.session.scalars(select(AuditLog).where(AuditLog.contest_id == entry.contest_id))
    for row in rows:
        about = (row.object_type == "entry" and row.object_id == entry.id) or (
            row.details.get("entry") == entry.id)
        if about and any(row.details.get(key) for key in FREE_TEXT):
            row.details = {key: ERASED if key in FREE_TEXT and value else value
                           for key, value in row.details.items()}
