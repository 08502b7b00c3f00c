# Over 400 lines: the jury's, staff's and public judging pages share one blueprint's lookups.
"""The juries' pages (/jury), the staff's stage and ranking pages (/stages), public results.

Jurors see only the masked jury copy, the age category and the title of an entry, and only
their own marks. Every stage and entry is looked up through ``access``, which answers 404 for
anything outside the visitor's stages or region.
"""

import io

from babel.numbers import get_decimal_symbol
from flask import Blueprint, abort, flash, redirect, render_template, request, send_file, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import access, contests, entries, errors, jobs, public_pages, security, spreadsheets
from ..access import STAFF, roles_required
from ..contests import RuleError, current_contest
from ..extensions import db
from ..i18n import language
from ..models import Contest, Role, StageKind, StageStatus, User
from ..uploads import files
from . import notices, operations
from .forms import (
    ConflictForm,
    JurorForm,
    OverrideForm,
    SettingsForm,
    SidewaysForm,
    StatusForm,
    criterion_field,
    levels,
    sheet_form,
)

bp = Blueprint("judging", __name__)
bp.add_app_template_global(operations.exported_in_background, "exported_in_background")

PAGE_SIZE = 60
RANKING_PAGE_SIZE = 50


# --- jurors --------------------------------------------------------------------------------


@bp.get("/jury/")
@roles_required(Role.JUROR)
def jury_home():
    """The juror's stages, with their progress in each."""
    stages = sorted(current_user.juror_stages, key=lambda s: (-s.contest.year, s.id))
    return render_template("judging/jury_home.html", stages=[
        (s, operations.progress(s, current_user) if access.jury_sees_entries(s) else None)
        for s in stages])


@bp.get("/jury/<int:stage_id>/")
@roles_required(Role.JUROR)
def jury_stage(stage_id: int):
    """The juror's entries in a stage: to score first, then all."""
    stage = access.jury_stage_or_404(stage_id)
    rows, sheets, pages, page = [], {}, 0, 1
    if access.jury_sees_entries(stage):
        query = operations.juror_entries(stage, current_user)
        total = operations.progress(stage, current_user).total
        pages = max(1, -(-total // PAGE_SIZE))
        page = min(max(1, request.args.get("page", 1, type=int)), pages)
        rows = db.session.scalars(query.offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE)).all()
        sheets = operations.sheets_by_entry(stage, current_user, [e.id for e in rows])
    return render_template("judging/jury_stage.html", stage=stage, rows=rows, sheets=sheets,
                           page=page, pages=pages,
                           progress=operations.progress(stage, current_user)
                           if access.jury_sees_entries(stage) else None,
                           next_entry=operations.next_unscored(stage, current_user)
                           if stage.status is StageStatus.JUDGING_OPEN else None)


@bp.get("/jury/<int:stage_id>/next")
@roles_required(Role.JUROR)
def jury_next(stage_id: int):
    stage = access.jury_stage_or_404(stage_id)
    following = (operations.next_unscored(stage, current_user)
                 if stage.status is StageStatus.JUDGING_OPEN else None)
    if following is None:
        return redirect(url_for(".jury_stage", stage_id=stage.id))
    return redirect(url_for(".sheet", stage_id=stage.id, entry_id=following.id))


@bp.get("/jury/<int:stage_id>/entries/<int:entry_id>")
@roles_required(Role.JUROR)
def sheet(stage_id: int, entry_id: int, form=None, status=200):
    """The score sheet: the drawing large, a radio group per criterion, save and next."""
    stage, entry = access.jury_entry_or_404(stage_id, entry_id)
    own = operations.sheet_of(stage, current_user, entry)
    if form is None:
        data = {criterion_field(c): str(own.mark(c.id)) for c in stage.contest.criteria
                if own and own.mark(c.id) is not None}
        form = sheet_form(stage.contest, stage.kind, formdata=None, data={
            **data, "comment": own.comment if own else "",
            "calendar_candidate": own.calendar_candidate if own else False})
    return render_template(
        "judging/sheet.html", stage=stage, entry=entry, form=form, sheet=own,
        criteria=[(c, form[criterion_field(c)]) for c in stage.contest.criteria],
        levels=levels(stage.contest),
        conflict_form=ConflictForm(), sideways_form=SidewaysForm(),
        editable=stage.status is StageStatus.JUDGING_OPEN,
        progress=operations.progress(stage, current_user),
        skip_to=operations.next_unscored(stage, current_user, after=entry),
        deadline=notices.deadline(stage),
    ), status


@bp.post("/jury/<int:stage_id>/entries/<int:entry_id>")
@roles_required(Role.JUROR)
def sheet_save(stage_id: int, entry_id: int):
    stage, entry = access.jury_entry_or_404(stage_id, entry_id)
    form = sheet_form(stage.contest, stage.kind)
    if not form.validate_on_submit():
        return sheet(stage_id, entry_id, form=form, status=422)
    try:
        operations.save_sheet(stage, current_user, entry, form.marks(), form.comment.data or "",
                              bool(getattr(form, "calendar_candidate", None)
                                   and form.calendar_candidate.data))
    except RuleError as e:
        db.session.rollback()
        return _refused(e, stage_id, entry_id)
    db.session.commit()
    if request.form.get("action") == "next":
        following = operations.next_unscored(stage, current_user, after=entry)
        if following is None:
            flash(_("Saved. You have scored every drawing — thank you!"), "success")
            return redirect(url_for(".jury_stage", stage_id=stage.id))
        flash(_("Saved."), "success")
        return redirect(url_for(".sheet", stage_id=stage.id, entry_id=following.id))
    flash(_("Saved."), "success")
    return redirect(url_for(".sheet", stage_id=stage.id, entry_id=entry.id))


@bp.post("/jury/<int:stage_id>/entries/<int:entry_id>/conflict")
@roles_required(Role.JUROR)
def conflict(stage_id: int, entry_id: int):
    """Declare (or withdraw) a conflict of interest: the entry goes without this juror."""
    stage, entry = access.jury_entry_or_404(stage_id, entry_id)
    form = ConflictForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        if form.withdraw.data:
            operations.withdraw_conflict(stage, current_user, entry)
        else:
            operations.declare_conflict(stage, current_user, entry, form.note.data or "")
    except RuleError as e:
        db.session.rollback()
        return _refused(e, stage_id, entry_id)
    db.session.commit()
    if form.withdraw.data:
        flash(_("The declaration is withdrawn: you can score this drawing."), "success")
        return redirect(url_for(".sheet", stage_id=stage.id, entry_id=entry.id))
    flash(_("Conflict of interest declared: your marks will not count for this drawing."),
          "success")
    return redirect(url_for(".jury_next", stage_id=stage.id))


@bp.post("/jury/<int:stage_id>/entries/<int:entry_id>/sideways")
@roles_required(Role.JUROR)
def sideways(stage_id: int, entry_id: int):
    """Tell the region's coordinator that the drawing reached the jury sideways."""
    stage, entry = access.jury_entry_or_404(stage_id, entry_id)
    if not SidewaysForm().validate_on_submit():
        abort(400)
    entries.flag_sideways(entry)
    db.session.commit()
    flash(_("Thank you: the coordinator will turn the drawing."), "success")
    return redirect(url_for(".sheet", stage_id=stage.id, entry_id=entry.id))


def _refused(error: RuleError, stage_id: int, entry_id: int):
    errors.show(error)
    return sheet(stage_id, entry_id, status=409)


# --- staff: stages and rankings ------------------------------------------------------------


@bp.get("/stages/")
@roles_required(*STAFF, hidden=True)
def stages():
    """The stages the visitor manages: a coordinator's region, or every stage for organizers."""
    contest = _contest_from_args()
    visible = access.managed_stages(current_user, contest.stages if contest else [])
    return render_template("judging/stages.html", contest=contest, stages=visible,
                           contests=contests.all_contests()
                           if access.sees_all_regions(current_user) else [])


@bp.get("/stages/<int:stage_id>")
@roles_required(*STAFF, hidden=True)
def stage(stage_id: int, settings_form=None, status=200):
    stage = access.managed_stage_or_404(stage_id)
    juror_form = JurorForm()
    juror_form.juror.choices = [SelectChoice(u.id, f"{u.name} · {u.email}")
                                for u in operations.jurors_to_add(stage)]
    moves = [(t, operations.status_problems(stage, t))
             for t in operations.STATUS_MOVES[stage.status]]
    return render_template(
        "judging/stage.html", stage=stage, moves=moves, status_form=StatusForm(),
        settings_form=settings_form or SettingsForm(obj=stage), juror_form=juror_form,
        progress=operations.juror_progress(stage), conflicts=operations.conflicts(stage),
        pool=operations.pool_size(stage),
        # the national stage lists what the regions sent on; a region's pool is its queue
        pooled=operations.pooled_entries(stage) if stage.kind is StageKind.NATIONAL else [],
        result=operations.stored_results(stage),
    ), status


@bp.post("/stages/<int:stage_id>/status")
@roles_required(*STAFF, hidden=True)
def stage_status(stage_id: int):
    stage = access.managed_stage_or_404(stage_id)
    form = StatusForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        target = StageStatus(form.target.data)
    except ValueError:
        abort(400)
    done = _("The stage is now “%(status)s”.", status=target.label)
    if stage.status is StageStatus.JUDGING_CLOSED and target is StageStatus.JUDGING_OPEN:
        done += " " + _("Staff decisions on the results are kept, with their reasons, and apply "
                        "again when judging closes.")
    if _apply(lambda: operations.change_status(stage, target), done) and (
            target is StageStatus.JUDGING_CLOSED):
        return redirect(url_for(".ranking", stage_id=stage.id))
    return redirect(url_for(".stage", stage_id=stage.id))


@bp.post("/stages/<int:stage_id>/settings")
@roles_required(*STAFF, hidden=True)
def stage_settings(stage_id: int):
    found = access.managed_stage_or_404(stage_id, configure=True)
    form = SettingsForm()
    if not form.validate_on_submit():
        return stage(stage_id, settings_form=form, status=422)
    _apply(lambda: operations.update_settings(found, form.finalists_per_category.data,
                                              form.jurors_per_entry.data), _("Saved."))
    return redirect(url_for(".stage", stage_id=found.id))


@bp.post("/stages/<int:stage_id>/jurors")
@roles_required(*STAFF, hidden=True)
def juror_add(stage_id: int):
    stage = access.managed_stage_or_404(stage_id, configure=True)
    juror = db.session.get(User, request.form.get("juror", type=int) or 0)
    if juror is None:
        abort(400)
    _apply(lambda: operations.add_juror(stage, juror),
           _("%(name)s joins the jury.", name=juror.name))
    return redirect(url_for(".stage", stage_id=stage.id, _anchor="jurors"))


@bp.post("/stages/<int:stage_id>/jurors/<int:user_id>/remove")
@roles_required(*STAFF, hidden=True)
def juror_remove(stage_id: int, user_id: int):
    stage = access.managed_stage_or_404(stage_id, configure=True)
    juror = db.get_or_404(User, user_id)
    _apply(lambda: operations.remove_juror(stage, juror),
           _("%(name)s has left the jury.", name=juror.name))
    return redirect(url_for(".stage", stage_id=stage.id, _anchor="jurors"))


@bp.get("/stages/<int:stage_id>/ranking")
@roles_required(*STAFF, hidden=True)
def ranking(stage_id: int):
    """Per age category, the ranked entries with raw and adjusted figures and explanations."""
    stage = access.managed_stage_or_404(stage_id)
    result = operations.stored_results(stage)
    if result is None:
        flash(_("The ranking appears when judging closes."), "error")
        return redirect(url_for(".stage", stage_id=stage.id))
    counts = operations.category_counts(stage)
    jurors = operations.juror_stats(stage)
    categories = [c for c in stage.contest.age_categories if c.id in counts]
    wanted = request.args.get("category", type=int)
    category = next((c for c in categories if c.id == wanted),
                    categories[0] if categories else None)
    rows, pages, page = [], 1, 1
    if category is not None:
        pages = max(1, -(-counts[category.id] // RANKING_PAGE_SIZE))
        page = min(max(1, request.args.get("page", 1, type=int)), pages)
        rows = operations.placements(stage, category.id, (page - 1) * RANKING_PAGE_SIZE,
                                     RANKING_PAGE_SIZE)
    shown = [p.entry_id for p in rows]
    titles = operations.entry_titles(shown)
    return render_template(
        "judging/ranking.html", stage=stage, result=result, categories=categories,
        category=category, counts=counts, rows=rows, titles=titles, page=page,
        pages=pages, override_form=OverrideForm(),
        national=stage.kind is StageKind.NATIONAL,
        finalists=operations.finalist_counts(stage).get(category.id) if category else None,
        proposals=operations.calendar_proposals(stage, shown),
        can_override=stage.status is StageStatus.JUDGING_CLOSED,
        figure=_figure_formatter(),
        decided_notes={step: _("Placed below the entry above by: %(step)s.",
                               step=operations.decided_label(step))
                       for step in operations.DECIDED_LABELS},
        # translated once per page, not once per line of every explanation
        jurors=jurors, close_call_margin=operations.close_call_margin(stage.contest),
        juror_names={j["letter"]: _("Juror %(letter)s", letter=j["letter"]) for j in jurors},
        sheet_words={"complete": _("counted"), "incomplete": _("incomplete, not counted"),
                     "conflict": _("conflict of interest, not counted"),
                     "missing": _("not scored")})


@bp.post("/stages/<int:stage_id>/entries/<int:entry_id>/override")
@roles_required(*STAFF, hidden=True)
def override(stage_id: int, entry_id: int):
    """Move an entry into or out of the finalists, with a reason (audited)."""
    stage = access.managed_stage_or_404(stage_id)
    form = OverrideForm()
    found = operations.placement(stage, entry_id)
    if found is None:
        abort(404)
    if not form.validate_on_submit():
        for messages in form.errors.values():
            for message in messages:
                flash(message, "error")
    else:
        _apply(lambda: operations.override(stage, entry_id, form.finalist.data == "1",
                                           form.reason.data), _("Saved."))
    return redirect(url_for(".ranking", stage_id=stage.id, category=found.category_id,
                            page=(found.rank - 1) // RANKING_PAGE_SIZE + 1,
                            _anchor=f"entry-{entry_id}"))


@bp.route("/stages/<int:stage_id>/results.<fmt>", methods=["GET", "POST"])
@roles_required(*STAFF, hidden=True)
def results_export(stage_id: int, fmt: str):
    """The results file: made now (GET), or by the worker with a progress page (POST, the
    button a large stage shows, ``operations.exported_in_background``)."""
    stage = access.managed_stage_or_404(stage_id)
    if fmt not in operations.MAKERS or operations.stored_results(stage) is None:
        abort(404)
    name = f"results-{stage.contest.year}-{stage.region.code if stage.region else 'national'}"
    if request.method == "POST":
        job = jobs.start("results", current_user.id, stage.contest_id, stage_id=stage.id,
                         format=fmt, name=name, back=url_for(".ranking", stage_id=stage.id))
        return redirect(url_for("jobs.page", job_id=job.id))
    make = operations.MAKERS[fmt]
    mimetype = {"csv": spreadsheets.CSV_MIMETYPE, "xlsx": spreadsheets.XLSX_MIMETYPE}[fmt]
    return send_file(io.BytesIO(make(stage)), mimetype=mimetype, as_attachment=True,
                     download_name=f"{name}.{fmt}")


def _figure_formatter():
    """Two decimals in the visitor's notation (7,25 in Russian); a dash for no figure.

    Babel's formatting costs too much for the thousand figures of a ranking page.
    """
    point = get_decimal_symbol(language())

    def figure(value: float | None) -> str:
        return "—" if value is None else f"{value:.2f}".replace(".", point)

    return figure


# --- public --------------------------------------------------------------------------------


@bp.get("/results")
@bp.get("/results/<int:year>")
@public_pages.cached_publicly
def public_results(year: int | None = None):
    """Winners of the national stage and the finalists of each region, by age category.

    By default the newest edition whose national results are out (else the newest with any):
    while next year's contest runs, this year's winners stay on show.
    """
    editions = operations.editions_with_results()
    if year is not None:
        contest = next((c for c in editions if c.year == year), None)
        if contest is None:
            abort(404)
    else:  # the newest national results; a region's early results do not push them aside
        finished = operations.editions_with_results(national_only=True)
        contest = (finished or editions or [current_contest()])[0]
    national = contest.national_stage if contest else None
    regional = sorted(contest.regional_stages, key=lambda s: s.name) if contest else []
    return render_template(
        "judging/public_results.html", contest=contest, editions=editions,
        winners=operations.published_finalists(national) if national else [],
        regions=[(s, operations.published_finalists(s)) for s in regional],
        caption=entries.caption, shown=access.drawing_shown_publicly)


@bp.get("/results/entries/<int:entry_id>/thumb.jpg")
def public_thumb(entry_id: int):
    """The thumbnail of a published finalist or winner whose family allowed showing it."""
    return _public_image(entry_id, "public")


@bp.get("/results/entries/<int:entry_id>/drawing.jpg")
def public_drawing(entry_id: int):
    """The same drawing large, for its own page in the gallery (masked as the thumbnail)."""
    return _public_image(entry_id, "public_large")


def _public_image(entry_id: int, kind: str):
    entry = access.public_drawing_or_404(entry_id)
    # Kept by browsers and proxies but revalidated on every use (a 304 without the image while
    # it is unchanged), so a thumbnail masked again, withdrawn or erased is never shown from
    # a cache.
    response = files.send_stored(files.image_key(entry, kind), "image/jpeg", etag=True)
    response.headers["Cache-Control"] = "public, no-cache"
    return response


def _contest_from_args() -> Contest | None:
    wanted = request.args.get("contest", type=int)
    return db.session.get(Contest, wanted) if wanted else current_contest()


def _apply(change, success: str) -> bool:
    """Run a rule-checked change; commit and confirm, or roll back and explain."""
    try:
        change()
    except RuleError as e:
        db.session.rollback()
        errors.show(e)
        return False
    db.session.commit()
    flash(success, "success")
    return True


@bp.post("/stages/<int:stage_id>/remind")
@roles_required(*STAFF, hidden=True)
def remind_jurors(stage_id: int):
    """The coordinator's or organizer's button: remind now the jurors with sheets missing."""
    stage = access.managed_stage_or_404(stage_id)
    count = notices.remind(stage)
    db.session.commit()
    flash(ngettext("%(num)s juror is reminded by e-mail.", "%(num)s jurors are reminded by e-mail.",
                   count) if count else _("Nobody to remind: every juror has finished."),
          "success")
    return redirect(security.local_url(request.form.get("next"))
                    or url_for(".stage", stage_id=stage.id, _anchor="jurors"))
