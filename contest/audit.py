"""The audit log: one call records who did what, in the caller's transaction."""

from flask_login import current_user

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
