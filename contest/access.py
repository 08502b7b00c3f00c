"""Who may see what. Views call these; none re-implements them."""

from functools import wraps

from flask import abort
from flask_login import current_user, login_required

from .judging import operations
from .models import Role, StageStatus


def roles_required(*roles: Role):
    """Anonymous users go to the login page; signed-in users of other roles get 403."""

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(403)
            return view(*args, **kwargs)

        return wrapped

    return decorator


organizer_required = roles_required(Role.ORGANIZER)


def can_see_personal_data(user, entry) -> bool:
    """Names, contacts and institutions: the region's coordinator and the organizers only."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role is Role.ORGANIZER:
        return True
    return user.role is Role.COORDINATOR and user.region_id == entry.stage.region_id


def can_moderate(user, entry) -> bool:
    return can_see_personal_data(user, entry)


def image_kinds_for(user, entry) -> tuple[str, ...]:
    """Which of an entry's images ``user`` may open; jurors only ever get the masked jury copy,
    and only of an entry they are asked to score, once moderation (and its masking) is over."""
    if entry.personal_data_erased_at:
        return ()
    if can_see_personal_data(user, entry):
        return ("print", "preview", "thumb", "jury")
    if getattr(user, "is_authenticated", False) and user.role is Role.JUROR and any(
            _juror_may_see(stage, user, entry) for stage in user.juror_stages):
        return ("jury",)
    return ()


def _juror_may_see(stage, user, entry) -> bool:
    return (stage.status is not StageStatus.MODERATION
            and operations.juror_entry(stage, user, entry.id) is not None)
