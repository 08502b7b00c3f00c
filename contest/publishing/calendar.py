"""The wall calendar (/calendar): place drawings and facts on its pages, check the selection
rules, export in the background, and keep every export."""

import io

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user

from .. import access, entries, errors, facts, wall_calendar
from ..access import staff_required
from ..contests import RuleError
from ..entries import family
from ..extensions import db
from ..models import Contest, Entry, Fact, Region
from ..uploads import files
from .editions import chosen_edition_or_404
from .forms import CalendarExportForm

bp = Blueprint("calendar", __name__, url_prefix="/calendar")


@bp.get("")
@staff_required
def board():
    """Assemble the calendar: drag drawings onto the cover and months, check, export."""
    contest, region = _scope()
    form = CalendarExportForm(data=session.get(_options_key(contest, region)))
    options = form.options()
    pages = wall_calendar.board(contest, region)
    checks = wall_calendar.check(contest, region, options)
    placed = {e.id: e for e in wall_calendar.candidates(contest, region)}
    return render_template(
        "publishing/calendar.html", contest=contest, region=region, pages=pages,
        candidates=list(placed.values()), used={p.entry_id for p in pages.values()},
        facts=facts.library(active_only=True), checks=checks, form=form,
        history=wall_calendar.history(contest, region),
        print_withdrawn=family.print_withdrawn_after_export(contest.id,
                                                            region.id if region else None),
        regions=contest.regions if access.sees_all_regions(current_user) else [],
        editions=wall_calendar.editions() if access.sees_all_regions(current_user) else [],
        caption=entries.caption, page_name=wall_calendar.page_name,
        printable=wall_calendar.printable,
        output_names=wall_calendar.OUTPUT_NAMES)


@bp.post("/assign")
@staff_required
def assign():
    contest, region = _scope()
    slot = request.form.get("slot", type=int)
    entry_id = request.form.get("entry", type=int) or None
    entry = db.session.get(Entry, entry_id) if entry_id else None
    try:
        wall_calendar.assign(contest, region, slot, entry)
    except RuleError as error:  # a family's refusal: said plainly, never overridden
        db.session.rollback()
        errors.show(error)
    else:
        db.session.commit()
    return _back_to_board(contest, region)


@bp.post("/fact")
@staff_required
def set_fact():
    contest, region = _scope()
    fact_id = request.form.get("fact", type=int)
    try:
        wall_calendar.set_fact(contest, region, request.form.get("slot", type=int),
                               db.session.get(Fact, fact_id) if fact_id else None)
    except RuleError as error:
        db.session.rollback()
        errors.show(error)
    else:
        db.session.commit()
    return _back_to_board(contest, region)


@bp.post("/suggest-facts")
@staff_required
def suggest_facts():
    contest, region = _scope()
    n = wall_calendar.suggest_facts(contest, region)
    db.session.commit()
    flash(_("Facts suggested for %(n)s months.", n=n), "success")
    return _back_to_board(contest, region)


@bp.post("/options")
@staff_required
def save_options():
    """Remember how to print; the rules are checked again for that format."""
    contest, region = _scope()
    form = CalendarExportForm()
    if form.validate_on_submit():
        session[_options_key(contest, region)] = _form_data(form)
    else:
        for field in form:
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
    return _back_to_board(contest, region)


@bp.post("/export")
@staff_required
def export():
    """Export in the background; a broken rule needs an organizer's reason, which is logged."""
    contest, region = _scope()
    form = CalendarExportForm()
    if not form.validate_on_submit():
        abort(400)
    session[_options_key(contest, region)] = _form_data(form)
    options = form.options()
    overrides = {key[len("override_"):]: value for key, value in request.form.items()
                 if key.startswith("override_") and value.strip()}
    if not access.overrides_calendar_rules(current_user):
        overrides = {}
    checks = wall_calendar.check(contest, region, options)
    blocking = wall_calendar.failing(checks, overrides)
    if blocking:
        for check in blocking:
            flash(f"{check.message} {check.no_exception}".strip(), "error")
        flash(_("Fix these first, or give a reason to override each one.")
              if access.overrides_calendar_rules(current_user) else
              _("Fix these first; only an organizer can make an exception to a rule."), "error")
        return _back_to_board(contest, region)
    back = _board_url(contest, region)
    job = wall_calendar.start_export(contest, region, options, overrides, current_user.id, back,
                                     checks=checks)
    return redirect(url_for("jobs.page", job_id=job.id))


@bp.get("/preview/<int:slot>.png")
@staff_required
def preview(slot: int):
    """The live preview of one page as it will print."""
    contest, region = _scope()
    if slot not in wall_calendar.SLOTS:
        abort(404)
    options = CalendarExportForm(data=session.get(_options_key(contest, region))).options()
    png = wall_calendar.preview_png(contest, region, options, slot)
    return send_file(io.BytesIO(png), mimetype="image/png", max_age=0)


@bp.get("/exports/<int:export_id>/<path:name>")
@staff_required
def export_file(export_id: int, name: str):
    """A kept export: the PDF, its preflight report (JSON or text) or a page preview."""
    export = access.calendar_export_or_404(export_id)
    key = wall_calendar.export_file_key(export, name)
    if key is None:
        abort(404)
    if export.withdrawn_at:
        return errors.render_error(410, _(
            "This export was withdrawn because a child's data in it was erased; it needs a "
            "rebuild. Export the calendar again."))
    return send_file(io.BytesIO(files.storage().read(key)), download_name=name,
                     as_attachment=name.endswith(".pdf"))


def _scope() -> tuple[Contest, Region | None]:
    """The contest and the calendar asked for: organizers any; a coordinator their region's."""
    contest = chosen_edition_or_404()
    return contest, access.calendar_region_or_404(contest, request.values.get("region", type=int))


def _board_url(contest: Contest, region: Region | None) -> str:
    return url_for(".board", contest=contest.id, region=region.id if region else None)


def _back_to_board(contest: Contest, region: Region | None):
    return redirect(_board_url(contest, region))


def _options_key(contest: Contest, region: Region | None) -> str:
    return f"calendar-{contest.id}-{region.id if region else 0}"


def _form_data(form) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    data["bleed_mm"] = float(data["bleed_mm"])
    if data.get("patient_solidarity_day"):
        data["patient_solidarity_day"] = data["patient_solidarity_day"].isoformat()
    return data
