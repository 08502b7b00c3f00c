"""Who may see or manage what: every scope rule of the app lives here, and only here.

Views declare who may open them (``roles_required``, recorded on the view for the
navigation and the route-guard test) and fetch what they work on through the
``..._or_404`` helpers, like ``get_post(id, check_author)`` in Flask's tutorial: 404 for
what lies outside the visitor's scope (no page reveals that it exists), 403 for what they
see but may not change. Templates ask through the helpers ``init_app`` puts in their context.
"""

from functools import wraps

from flask import Flask, abort, current_app
from flask_login import current_user, login_required

from . import entries
from .extensions import db
from .judging import operations
from .models import (
    CalendarExport,
    Contest,
    Entry,
    Job,
    Phase,
    Region,
    Role,
    Stage,
    StageKind,
    StageStatus,
)

STAFF = (Role.ORGANIZER, Role.COORDINATOR)


# --- who may open a page -------------------------------------------------------------------


def roles_required(*roles: Role, hidden: bool = False):
    """Anonymous visitors go to the sign-in page; signed-in people of other roles get 403, or
    404 when ``hidden``. The view keeps the rule as ``required_roles`` and ``refusal``."""
    refusal = 404 if hidden else 403

    def decorator(view):
        @wraps(view)
        @login_required
        def wrapped(*args, **kwargs):
            if current_user.role not in roles:
                abort(refusal)
            return view(*args, **kwargs)

        wrapped.required_roles = frozenset(roles)
        wrapped.refusal = refusal
        return wrapped

    return decorator


organizer_required = roles_required(Role.ORGANIZER)
staff_required = roles_required(*STAFF)


def required_roles(view) -> frozenset[Role] | None:
    """The roles a view declares, or None for a page open to everyone."""
    return getattr(view, "required_roles", None)


def may_open(user, endpoint: str) -> bool:
    """Whether ``user`` passes the role rule of the page at ``endpoint`` (for links)."""
    roles = required_roles(current_app.view_functions[endpoint])
    return roles is None or (_signed_in(user) and user.role in roles)


def _signed_in(user) -> bool:
    return getattr(user, "is_authenticated", False)


# --- regions and stages --------------------------------------------------------------------


def sees_all_regions(user) -> bool:
    """Organizers work nationally: every region, the national stage, every edition."""
    return _signed_in(user) and user.role is Role.ORGANIZER


def manages_region(user, region_id: int | None) -> bool:
    """The organizers, and the coordinator of that region."""
    if sees_all_regions(user):
        return True
    return (_signed_in(user) and user.role is Role.COORDINATOR and region_id is not None
            and user.region_id == region_id)


def manages_stage(user, stage: Stage) -> bool:
    """Organizers manage every stage; a coordinator their region's regional stage."""
    return sees_all_regions(user) or (stage.kind is StageKind.REGIONAL
                                      and manages_region(user, stage.region_id))


def managed_stages(user, stages) -> list[Stage]:
    """Those of ``stages`` that ``user`` manages, in the given order."""
    return [s for s in stages if manages_stage(user, s)]


def configures_stage(user, stage: Stage) -> bool:
    """Its jury and its settings: organizers only (a coordinator moves a stage through its
    steps and decides on its results, but does not choose who judges)."""
    return manages_stage(user, stage) and sees_all_regions(user)


def managed_stage_or_404(stage_id: int, configure: bool = False) -> Stage:
    """A stage the visitor manages (404 otherwise); 403 if ``configure`` and they may not."""
    stage = db.session.get(Stage, stage_id)
    if stage is None or not manages_stage(current_user, stage):
        abort(404)
    if configure and not configures_stage(current_user, stage):
        abort(403)
    return stage


def moderated_stage(user, contest: Contest | None, wanted_id: int | None) -> Stage | None:
    """The regional stage whose queue is shown: a coordinator's own; organizers pick any
    (``wanted_id``), else the first."""
    if contest is None:
        return None
    regional = [s for s in contest.stages if s.kind is StageKind.REGIONAL]
    if not sees_all_regions(user):
        return next((s for s in regional if manages_stage(user, s)), None)
    return next((s for s in regional if s.id == wanted_id), regional[0] if regional else None)


# --- entries and their images --------------------------------------------------------------


def can_see_personal_data(user, entry: Entry) -> bool:
    """Names, contacts and institutions: the region's coordinator and the organizers only."""
    return manages_region(user, entry.stage.region_id)


def can_moderate(user, entry: Entry) -> bool:
    return can_see_personal_data(user, entry)


def moderated_entry_or_404(entry_id: int) -> Entry:
    """An entry the visitor may moderate; 404 for any other."""
    entry = db.session.get(Entry, entry_id)
    if entry is None or not can_moderate(current_user, entry):
        abort(404)
    return entry


def image_kinds_for(user, entry: Entry) -> tuple[str, ...]:
    """Which of an entry's images ``user`` may open; jurors only ever get the masked jury copy,
    and only of an entry they are asked to score, once moderation (and its masking) is over."""
    if entry.personal_data_erased_at:
        return ()
    if can_see_personal_data(user, entry):
        return ("print", "preview", "thumb", "jury")
    if _signed_in(user) and user.role is Role.JUROR and any(
            jury_sees_entries(stage) and operations.juror_entry(stage, user, entry.id) is not None
            for stage in user.juror_stages):
        return ("jury",)
    return ()


# --- the juries ----------------------------------------------------------------------------


def jury_sees_entries(stage: Stage) -> bool:
    """Jurors see their entries once moderation (and its masking) is over."""
    return stage.status is not StageStatus.MODERATION


def jury_stage_or_404(stage_id: int) -> Stage:
    """A stage the visitor sits on the jury of; 404 for any other."""
    stage = db.session.get(Stage, stage_id)
    if stage is None or not operations.judged_by(current_user, stage):
        abort(404)
    return stage


def jury_entry_or_404(stage_id: int, entry_id: int) -> tuple[Stage, Entry]:
    """An entry the visitor is asked to score in that stage, once they may see it."""
    stage = jury_stage_or_404(stage_id)
    entry = (operations.juror_entry(stage, current_user, entry_id)
             if jury_sees_entries(stage) else None)
    if entry is None:
        abort(404)
    return stage, entry


# --- the calendar, exports and background jobs ---------------------------------------------


def calendar_region_or_404(contest: Contest, region_id: int | None) -> Region | None:
    """Whose calendar: a coordinator only their region's; organizers the national one (no
    ``region_id``) or any participating region's. 404 for a region outside the contest."""
    if sees_all_regions(current_user):
        if not region_id:
            return None
        region = db.session.get(Region, region_id)
    else:
        region = current_user.region
    if region not in contest.regions:
        abort(404)
    return region


def overrides_calendar_rules(user) -> bool:
    """Exporting a calendar that breaks a selection rule takes an organizer (and a reason)."""
    return sees_all_regions(user)


def calendar_export_or_404(export_id: int) -> CalendarExport:
    """A kept calendar export of a calendar the visitor may assemble."""
    export = db.get_or_404(CalendarExport, export_id)
    if not manages_region(current_user, export.region_id):
        abort(404)
    return export


def job_or_404(job_id: int) -> Job:
    """Organizers see every background job; anyone else only the jobs they started."""
    job = db.get_or_404(Job, job_id)
    if not sees_all_regions(current_user) and job.user_id != current_user.id:
        abort(404)
    return job


# --- public pages --------------------------------------------------------------------------


def drawing_shown_publicly(entry: Entry) -> bool:
    """Whether public pages may show the drawing (``entries.drawing_shown_publicly``)."""
    return entries.drawing_shown_publicly(entry)


def public_drawing_or_404(entry_id: int) -> Entry:
    """A drawing any visitor may see: a finalist or winner of published results, shown with
    the family's consent, of an edition that is not a draft."""
    entry = db.session.get(Entry, entry_id)
    if (entry is None or entry.award is None or not drawing_shown_publicly(entry)
            or entry.contest.phase is Phase.DRAFT):
        abort(404)
    return entry


# --- what templates ask --------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Templates ask these, for the signed-in person, and never compare role names."""

    @app.context_processor
    def scope_helpers():
        return {
            "may_open": lambda endpoint: may_open(current_user, endpoint),
            "sees_all_regions": lambda: sees_all_regions(current_user),
            "configures_stage": lambda stage: configures_stage(current_user, stage),
            "overrides_calendar_rules": lambda: overrides_calendar_rules(current_user),
        }
