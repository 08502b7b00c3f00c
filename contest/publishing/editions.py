"""The edition a certificates or calendar page works on."""

from flask import abort, request

from .. import wall_calendar
from ..models import Contest


def chosen_edition_or_404() -> Contest:
    """The edition asked for (``?contest=``), else the newest whose results are in."""
    choices = wall_calendar.editions()
    wanted = request.values.get("contest", type=int)
    contest = next((c for c in choices if c.id == wanted), choices[0] if choices else None)
    if contest is None:
        abort(404)
    return contest
