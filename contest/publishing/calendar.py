"""The wall calendar (/calendar): place drawings and facts on its pages, check the selection
rules, export in the background, and keep every export."""

import io
import time

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
from flask_wtf.csrf import CSRFError

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
    """Assemble the calendar: drag drawings onto the cover and months, check, export.

    Every change on the page is a form that works without JavaScript (it posts and comes back
    here); with it, the page's script sends the same form and swaps in what changed.
    """
    contest, region = _scope()
    if _htmx() and request.headers.get("HX-Target") == "candidate-list" \
            and not request.headers.get("HX-History-Restore-Request"):
        # The list's own search and paging: only the list.
        pages = wall_calendar.board(contest, region)
        return render_template("publishing/_calendar_candidates.html",
                               **_listing(contest, region, pages),
                               **_parts_context(contest, region, pages))
    form = CalendarExportForm(data=session.get(_options_key(contest, region)))
    show = request.args.get("show", type=int)
    desk = _desk(contest, region, form.options(), show if show in wall_calendar.SLOTS else 1)
    return render_template(
        "publishing/calendar.html", form=form, **_listing(contest, region, desk["pages"]),
        filled=_filled_from(session.pop(_filled_key(contest, region), None)),
        history=wall_calendar.history(contest, region),
        print_withdrawn=family.print_withdrawn_after_export(contest.id,
                                                            region.id if region else None),
        regions=contest.regions if access.sees_all_regions(current_user) else [],
        editions=wall_calendar.editions() if access.sees_all_regions(current_user) else [],
        output_names=wall_calendar.OUTPUT_NAMES, **desk)


def _search() -> wall_calendar.CandidateSearch:
    """The list's search as the query string gives it (a bad value is ignored, not an error)."""
    return wall_calendar.CandidateSearch(
        text=(request.args.get("q") or "")[:100],
        category=request.args.get("category", type=int),
        unused=bool(request.args.get("unused")),
        page=request.args.get("page", default=1, type=int) or 1)


def _listing(contest: Contest, region: Region | None, pages) -> dict:
    """One page of the drawings to choose from, as searched, and what the search form offers."""
    search = _search()
    used = {p.entry_id for p in pages.values() if p.entry_id}
    return dict(search=search, categories=contest.age_categories,
                found=wall_calendar.candidate_page(contest, region, search, used))


def _parts_context(contest: Contest, region: Region | None, pages) -> dict:
    return dict(contest=contest, region=region, pages=pages,
                used={p.entry_id: slot for slot, p in pages.items() if p.entry_id},
                stamp=time.time_ns() // 1_000_000, caption=entries.caption,
                page_name=wall_calendar.page_name, printable=wall_calendar.printable)


def _desk(contest: Contest, region: Region | None, options, show: int | None) -> dict:
    """What the page's parts show: the pages, the rules, the facts (the drawings to choose
    from are listed a page at a time, ``_listing``)."""
    pages = wall_calendar.board(contest, region)
    return dict(
        facts=facts.library(active_only=True),
        checks=wall_calendar.check(contest, region, options), show=show,
        **_parts_context(contest, region, pages))


@bp.post("/assign")
@staff_required
def assign():
    contest, region = _scope()
    before = _state(contest, region)
    slot = request.form.get("slot", type=int)
    number = (request.form.get("entry") or "").strip().lstrip("№#").strip()
    try:
        if request.form.get("clear") or number in ("", "0"):
            entry = None
        elif not number.isdigit() or len(number) > 9:
            raise RuleError(_("Type the drawing's number (digits only, as on its card: №123)."))
        else:
            entry = db.session.get(Entry, int(number))
            if entry is None:
                raise RuleError(wall_calendar.NOT_A_CANDIDATE)  # said as of another region's
        wall_calendar.assign(contest, region, slot, entry)
    except RuleError as error:  # a family's refusal: said plainly, never overridden
        db.session.rollback()
        errors.show(error)
    else:
        db.session.commit()
    return _changed(contest, region, before, slot)


@bp.post("/fact")
@staff_required
def set_fact():
    contest, region = _scope()
    before = _state(contest, region)
    fact_id = request.form.get("fact", type=int)
    slot = request.form.get("slot", type=int)
    try:
        wall_calendar.set_fact(contest, region, slot,
                               db.session.get(Fact, fact_id) if fact_id else None)
    except RuleError as error:
        db.session.rollback()
        errors.show(error)
    else:
        db.session.commit()
    return _changed(contest, region, before, slot)


@bp.post("/suggest-facts")
@staff_required
def suggest_facts():
    contest, region = _scope()
    before = _state(contest, region)
    n = wall_calendar.suggest_facts(contest, region)
    db.session.commit()
    flash(_("Facts suggested for %(n)s months.", n=n), "success")
    return _changed(contest, region, before, None)


@bp.post("/fill")
@staff_required
def fill():
    """Fill the empty pages (every page, when asked) from the jury's ranking with drawings
    that pass every rule, and say what was filled and what could not be, and why."""
    contest, region = _scope()
    before = _state(contest, region)
    options = CalendarExportForm(data=session.get(_options_key(contest, region))).options()
    filled = wall_calendar.fill_from_ranking(contest, region, options,
                                             replace=bool(request.form.get("replace")))
    db.session.commit()
    if not _htmx():  # the page after the redirect says it
        session[_filled_key(contest, region)] = _filled_summary(filled)
    return _changed(contest, region, before, min(filled.placed, default=None), filled=filled)


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


@bp.errorhandler(CSRFError)
def form_expired(error):
    """An expired form sent by the page's script: said in the page, not on an error page."""
    if not _htmx():
        return errors.render_error(400, errors.FORM_EXPIRED)
    flash(str(errors.FORM_EXPIRED), "error")
    return render_template("publishing/_calendar_messages.html"), 400


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
    return files.send_stored(key, download_name=name, as_attachment=name.endswith(".pdf"))


def _htmx() -> bool:
    """Whether the page's own script sent the request (and wants only what changed)."""
    return request.headers.get("HX-Request") == "true"


def _state(contest: Contest, region: Region | None) -> dict[int, tuple]:
    """Each page's drawing and fact, to tell afterwards which pages changed."""
    return {s: (p.entry_id, p.fact_id) for s, p in wall_calendar.board(contest, region).items()}


def _changed(contest: Contest, region: Region | None, before: dict[int, tuple],
             show: int | None, filled=None):
    """After a change: without JavaScript, back to the page (showing the changed page's
    preview); to the page's script, only the pages, drawings and rules that changed."""
    if not _htmx():
        return redirect(url_for(".board", contest=contest.id, region=region.id if region else None,
                                show=show))
    options = CalendarExportForm(data=session.get(_options_key(contest, region))).options()
    desk = _desk(contest, region, options, show)
    after = {s: (p.entry_id, p.fact_id) for s, p in desk["pages"].items()}
    changed = [s for s in wall_calendar.SLOTS if before.get(s) != after[s]]
    was = {entry: s for s, (entry, _fact) in before.items() if entry}
    moved = {e for e in was.keys() | desk["used"].keys() if was.get(e) != desk["used"].get(e)}
    # The cards of the drawings that moved, those the list shows now (the page's script says
    # which: the list is searched and paged) swapped in place.
    shown = request.headers.get("X-Calendar-Cards")
    if shown is not None:
        moved &= {int(n) for n in shown.split(",") if n.isdigit()}
    moved_cards = [e for e in (db.session.get(Entry, e) for e in sorted(moved)) if e is not None]
    return render_template(
        "publishing/_calendar_changes.html", changed_slots=changed, filled=filled,
        changed_candidates=moved_cards, **desk)


def _filled_key(contest: Contest, region: Region | None) -> str:
    return f"calendar-filled-{contest.id}-{region.id if region else 0}"


def _filled_summary(filled) -> dict:
    """The fill's report kept for the page after the redirect (no JavaScript)."""
    return {"placed": {str(s): e.id for s, e in filled.placed.items()},
            "unfilled": {str(s): reasons for s, reasons in filled.unfilled.items()}}


def _filled_from(summary: dict | None):
    """The fill's report kept by ``_filled_summary``, with its drawings read again."""
    if not summary:
        return None
    placed = {int(s): db.session.get(Entry, entry_id) for s, entry_id in summary["placed"].items()}
    return wall_calendar.Filled(
        placed={s: e for s, e in sorted(placed.items()) if e is not None},
        unfilled={int(s): reasons for s, reasons in sorted(summary["unfilled"].items(),
                                                           key=lambda item: int(item[0]))})


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
