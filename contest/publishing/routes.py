import io
from datetime import date

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import (
    access,
    certificates,
    entries,
    facts,
    jobs,
    report,
    spreadsheets,
    wall_calendar,
)
from ..access import organizer_required, staff_required
from ..config import DEFAULT_LANGUAGE, LANGUAGES
from ..extensions import db
from ..i18n import language
from ..judging import operations as judging
from ..models import Contest, Entry, Fact, Region
from ..uploads import files
from .forms import CalendarExportForm, CertificateBatchForm, DecreeForm, FactForm

bp = Blueprint("publishing", __name__)


@bp.route("/organizer/facts", methods=["GET", "POST"])
@organizer_required
def fact_list():
    """The facts library: every fact with its source; add a new one below."""
    form = FactForm()
    if form.validate_on_submit():
        facts.save(None, **_values(form))
        flash(_("Fact added."), "success")
        return redirect(url_for(".fact_list"))
    return render_template("publishing/facts.html", facts=facts.library(), form=form), (
        422 if form.errors else 200)


@bp.post("/organizer/facts/seed")
@organizer_required
def fact_seed():
    added = facts.seed()
    flash(_("%(n)s facts loaded.", n=added), "success")
    return redirect(url_for(".fact_list"))


@bp.route("/organizer/facts/<int:fact_id>", methods=["GET", "POST"])
@organizer_required
def fact_edit(fact_id: int):
    fact = db.get_or_404(Fact, fact_id)
    form = FactForm(obj=fact)
    if form.validate_on_submit():
        facts.save(fact, **_values(form))
        flash(_("Saved."), "success")
        return redirect(url_for(".fact_list"))
    return render_template("publishing/fact_edit.html", fact=fact, form=form), (
        422 if form.errors else 200)


@bp.get("/status/<code>/certificate.pdf")
def own_certificate(code: str):
    """The family's certificate, from the status page (the code is the key)."""
    entry = entries.find_by_code(code)
    if entry is None or entry.personal_data_erased_at or not certificates.kind_of(entry):
        abort(404)
    wanted = request.args.get("lang", language())
    pdf = certificates.render([entry], wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE)
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificate-{entry.code}.pdf")


@bp.route("/certificates", methods=["GET", "POST"])
@staff_required
def certificate_batches():
    """Start a batch: a ZIP of PDFs (one per institution) for a region or the whole contest."""
    contest = _chosen_edition()
    stages = access.managed_stages(current_user, contest.regional_stages)
    whole_contest = access.sees_all_regions(current_user)
    form = CertificateBatchForm()
    form.stage.choices = ([SelectChoice(0, _("All regions"))] if whole_contest else []) + [
        SelectChoice(s.id, s.name) for s in stages]
    if form.validate_on_submit():
        stage = next((s for s in stages if s.id == form.stage.data), None)
        if stage is None and not whole_contest:
            abort(404)
        job = jobs.start("certificates", current_user.id, contest.id,
                         stage_id=stage.id if stage else None, language=form.language.data,
                         name=f"{contest.year}-{stage.region.code if stage else 'all'}"
                              f"-{form.language.data}",
                         back=url_for(".certificate_batches", contest=contest.id))
        return redirect(url_for(".job", job_id=job.id))
    counts = {s.id: len(certificates.certified_entries(contest.id, s.id)) for s in stages}
    return render_template("publishing/certificates.html", form=form, contest=contest,
                           stages=stages, counts=counts, editions=wall_calendar.editions())


@bp.get("/organizer/contests/<int:contest_id>/report")
@organizer_required
def yearly_report(contest_id: int):
    """The year's figures with charts; the same numbers as the PDF and the exports."""
    contest = db.get_or_404(Contest, contest_id)
    figures = report.yearly_figures(contest)
    header, *body = report.table(figures)
    return render_template("publishing/report.html", contest=contest, figures=figures,
                           columns=header, body=body)


@bp.get("/organizer/contests/<int:contest_id>/report.<fmt>")
@organizer_required
def yearly_report_file(contest_id: int, fmt: str):
    contest = db.get_or_404(Contest, contest_id)
    figures = report.yearly_figures(contest)
    makers = {"csv": (report.to_csv, spreadsheets.CSV_MIMETYPE),
              "xlsx": (report.to_xlsx, spreadsheets.XLSX_MIMETYPE),
              "pdf": (lambda f: report.to_pdf(f, language()), "application/pdf")}
    if fmt not in makers:
        abort(404)
    make, mimetype = makers[fmt]
    return send_file(io.BytesIO(make(figures)), mimetype=mimetype, as_attachment=True,
                     download_name=f"report-{contest.year}.{fmt}")


# --- the public gallery --------------------------------------------------------------------


@bp.get("/gallery")
@bp.get("/gallery/<int:year>")
def gallery(year: int | None = None):
    """Winners of each year, by age category and region, with consented captions."""
    years = judging.editions_with_results(national_only=True)
    if not years:
        return render_template("publishing/gallery.html", contest=None, years=[], groups=[])
    contest = next((c for c in years if c.year == year), None) if year else years[0]
    if contest is None:
        abort(404)
    winners = [entry for _placement, entry in judging.published_finalists(contest.national_stage)
               if access.drawing_shown_publicly(entry)]
    regions = sorted({e.stage.region for e in winners}, key=lambda r: r.name)
    region = next((r for r in regions if r.code == request.args.get("region")), None)
    if region is not None:
        winners = [e for e in winners if e.stage.region_id == region.id]
    groups = []
    for category in contest.age_categories:
        in_category = [e for e in winners if e.age_category_id == category.id]
        if in_category:
            groups.append((category, sorted(in_category, key=lambda e: e.stage.region.name)))
    return render_template("publishing/gallery.html", contest=contest, years=years,
                           groups=groups, caption=entries.caption, regions=regions,
                           region=region)


# --- the calendar ---------------------------------------------------------------------------


@bp.get("/calendar")
@staff_required
def calendar():
    """Assemble the calendar: drag drawings onto the cover and months, check, export."""
    contest, region = _calendar_scope()
    form = CalendarExportForm(data=session.get(_options_key(contest, region)))
    options = form.options()
    pages = wall_calendar.board(contest, region)
    db.session.commit()
    checks = wall_calendar.check(contest, region, options)
    placed = {e.id: e for e in wall_calendar.candidates(contest, region)}
    return render_template(
        "publishing/calendar.html", contest=contest, region=region, pages=pages,
        candidates=list(placed.values()), used={p.entry_id for p in pages.values()},
        facts=facts.library(active_only=True), checks=checks, form=form,
        history=wall_calendar.history(contest, region),
        regions=contest.regions if access.sees_all_regions(current_user) else [],
        editions=wall_calendar.editions() if access.sees_all_regions(current_user) else [],
        caption=entries.caption, page_name=wall_calendar.page_name,
        output_names=wall_calendar.OUTPUT_NAMES)


@bp.post("/calendar/assign")
@staff_required
def calendar_assign():
    contest, region = _calendar_scope()
    slot = request.form.get("slot", type=int)
    entry_id = request.form.get("entry", type=int) or None
    entry = db.session.get(Entry, entry_id) if entry_id else None
    try:
        wall_calendar.assign(contest, region, slot, entry)
    except ValueError:
        abort(400)
    return _back_to_calendar(contest, region)


@bp.post("/calendar/fact")
@staff_required
def calendar_fact():
    contest, region = _calendar_scope()
    fact_id = request.form.get("fact", type=int)
    try:
        wall_calendar.set_fact(contest, region, request.form.get("slot", type=int),
                               db.session.get(Fact, fact_id) if fact_id else None)
    except ValueError:
        abort(400)
    return _back_to_calendar(contest, region)


@bp.post("/calendar/suggest-facts")
@staff_required
def calendar_suggest_facts():
    contest, region = _calendar_scope()
    n = wall_calendar.suggest_facts(contest, region)
    flash(_("Facts suggested for %(n)s months.", n=n), "success")
    return _back_to_calendar(contest, region)


@bp.post("/calendar/options")
@staff_required
def calendar_options():
    """Remember how to print; the rules are checked again for that format."""
    contest, region = _calendar_scope()
    form = CalendarExportForm()
    if form.validate_on_submit():
        session[_options_key(contest, region)] = _form_data(form)
    else:
        for field in form:
            for message in field.errors:
                flash(f"{field.label.text}: {message}", "error")
    return _back_to_calendar(contest, region)


@bp.post("/calendar/export")
@staff_required
def calendar_export():
    """Export in the background; a broken rule needs an organizer's reason, which is logged."""
    contest, region = _calendar_scope()
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
            flash(check.message, "error")
        flash(_("Fix these first, or give a reason to override each one.")
              if access.overrides_calendar_rules(current_user) else
              _("Fix these first; only an organizer can make an exception to a rule."), "error")
        return _back_to_calendar(contest, region)
    back = _calendar_url(contest, region)
    job = wall_calendar.start_export(contest, region, options, overrides, current_user.id, back)
    return redirect(url_for(".job", job_id=job.id))


@bp.get("/calendar/preview/<int:slot>.png")
@staff_required
def calendar_preview(slot: int):
    """The live preview of one page as it will print."""
    contest, region = _calendar_scope()
    if slot not in wall_calendar.SLOTS:
        abort(404)
    options = CalendarExportForm(data=session.get(_options_key(contest, region))).options()
    png = wall_calendar.preview_png(contest, region, options, slot)
    db.session.commit()
    return send_file(io.BytesIO(png), mimetype="image/png", max_age=0)


@bp.get("/calendar/exports/<int:export_id>/<path:name>")
@staff_required
def calendar_file(export_id: int, name: str):
    """A kept export: the PDF, its preflight report (JSON or text) or a page preview."""
    export = access.calendar_export_or_404(export_id)
    key = wall_calendar.export_file_key(export, name)
    if key is None:
        abort(404)
    return send_file(io.BytesIO(files.storage().read(key)), download_name=name,
                     as_attachment=name.endswith(".pdf"))


@bp.route("/organizer/days-off/<int:year>", methods=["GET", "POST"])
@organizer_required
def days_off(year: int):
    """Enter the government's decree moving the days off of ``year``, for the calendar."""
    if not 2000 <= year <= 2100:
        abort(404)
    row = wall_calendar.decree(year)
    form = DecreeForm(year, data=None if request.method == "POST" else {
        "reference": row.reference if row else "",
        "transfers": [{"moved_from": date.fromisoformat(t["from"]),
                       "day_off": date.fromisoformat(t["to"])}
                      for t in (row.transfers if row else [])]})
    if form.validate_on_submit():
        wall_calendar.save_decree(year, form.reference.data, form.pairs(), current_user.id)
        db.session.commit()
        flash(_("The decree for %(year)s is saved.", year=year), "success")
        return redirect(url_for(".days_off", year=year))
    off, worked = wall_calendar.days_off_summary(year, language())
    return render_template("publishing/days_off.html", year=year, form=form, decree=row,
                           off=off, worked=worked, known=wall_calendar.known_years()), (
        422 if form.errors else 200)


def _chosen_edition() -> Contest:
    """The edition asked for (``?contest=``), else the newest whose results are in."""
    choices = wall_calendar.editions()
    wanted = request.values.get("contest", type=int)
    contest = next((c for c in choices if c.id == wanted), choices[0] if choices else None)
    if contest is None:
        abort(404)
    return contest


def _calendar_scope() -> tuple[Contest, Region | None]:
    """The contest and the calendar asked for: organizers any; a coordinator their region's."""
    contest = _chosen_edition()
    return contest, access.calendar_region_or_404(contest, request.values.get("region", type=int))


def _calendar_url(contest: Contest, region: Region | None, endpoint: str = ".calendar", **args):
    return url_for(endpoint, contest=contest.id, region=region.id if region else None, **args)


def _options_key(contest: Contest, region: Region | None) -> str:
    return f"calendar-{contest.id}-{region.id if region else 0}"


def _form_data(form) -> dict:
    data = {name: field.data for name, field in form._fields.items() if name != "csrf_token"}
    data["bleed_mm"] = float(data["bleed_mm"])
    if data.get("patient_solidarity_day"):
        data["patient_solidarity_day"] = data["patient_solidarity_day"].isoformat()
    return data


def _back_to_calendar(contest: Contest, region: Region | None):
    return redirect(_calendar_url(contest, region))


@bp.get("/jobs/<int:job_id>")
@staff_required
def job(job_id: int):
    """A background job's page: a progress bar that fills, then the download."""
    return render_template("publishing/job.html", job=access.job_or_404(job_id))


@bp.get("/jobs/<int:job_id>.json")
@staff_required
def job_status(job_id: int):
    job = access.job_or_404(job_id)
    return jsonify(status=job.status.value, percent=job.percent, done=job.done, total=job.total,
                   message=job.message, error=job.error, name=job.result_name,
                   download=url_for(".job_download", job_id=job.id) if job.result_key else None)


@bp.get("/jobs/<int:job_id>/download")
@staff_required
def job_download(job_id: int):
    job = access.job_or_404(job_id)
    if not job.result_key:
        abort(404)
    return send_file(files.storage().open(job.result_key), as_attachment=True,
                     download_name=job.result_name)


def _values(form: FactForm) -> dict:
    return {name: (field.data.strip() if isinstance(field.data, str) else field.data)
            for name, field in form._fields.items() if name != "csrf_token"}
