import io

from flask import (
    Blueprint,
    abort,
    flash,
    jsonify,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from wtforms.fields.choices import SelectChoice

from .. import certificates, entries, facts, jobs, report
from ..config import LANGUAGES
from ..contests import current_contest
from ..access import organizer_required, roles_required
from ..extensions import db
from ..models import Contest, Fact, Job, Role
from .forms import CertificateBatchForm, FactForm

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
    language = request.args.get("lang", str(get_locale() or "ru"))
    pdf = certificates.render([entry], language if language in LANGUAGES else "ru")
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"certificate-{entry.code}.pdf")


@bp.route("/certificates", methods=["GET", "POST"])
@roles_required(Role.ORGANIZER, Role.COORDINATOR)
def certificate_batches():
    """Start a batch: a ZIP of PDFs (one per institution) for a region or the whole contest."""
    contest = current_contest()
    if contest is None:
        abort(404)
    stages = [s for s in contest.regional_stages
              if current_user.role is Role.ORGANIZER or s.region_id == current_user.region_id]
    form = CertificateBatchForm()
    form.stage.choices = ([SelectChoice(0, _("All regions"))] if current_user.role is Role.ORGANIZER
                          else []) + [SelectChoice(s.id, s.name) for s in stages]
    if form.validate_on_submit():
        stage = next((s for s in stages if s.id == form.stage.data), None)
        if stage is None and current_user.role is not Role.ORGANIZER:
            abort(404)
        job = jobs.start("certificates", current_user.id, contest.id,
                         stage_id=stage.id if stage else None, language=form.language.data,
                         name=stage.region.code if stage else str(contest.year),
                         back=url_for(".certificate_batches"))
        return redirect(url_for(".job", job_id=job.id))
    counts = {s.id: len(certificates.certified_entries(contest.id, s.id)) for s in stages}
    return render_template("publishing/certificates.html", form=form, contest=contest,
                           stages=stages, counts=counts)


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
    makers = {"csv": (report.to_csv, "text/csv; charset=utf-8"),
              "xlsx": (report.to_xlsx, "application/vnd.openxmlformats-officedocument"
                                       ".spreadsheetml.sheet"),
              "pdf": (lambda f: report.to_pdf(f, str(get_locale() or "ru")), "application/pdf")}
    if fmt not in makers:
        abort(404)
    make, mimetype = makers[fmt]
    return send_file(io.BytesIO(make(figures)), mimetype=mimetype, as_attachment=True,
                     download_name=f"report-{contest.year}.{fmt}")


@bp.get("/jobs/<int:job_id>")
@roles_required(Role.ORGANIZER, Role.COORDINATOR)
def job(job_id: int):
    """A background job's page: a progress bar that fills, then the download."""
    return render_template("publishing/job.html", job=_own_job(job_id))


@bp.get("/jobs/<int:job_id>.json")
@roles_required(Role.ORGANIZER, Role.COORDINATOR)
def job_status(job_id: int):
    job = _own_job(job_id)
    return jsonify(status=job.status.value, percent=job.percent, done=job.done, total=job.total,
                   message=job.message, error=job.error,
                   download=url_for(".job_download", job_id=job.id) if job.result_key else None)


@bp.get("/jobs/<int:job_id>/download")
@roles_required(Role.ORGANIZER, Role.COORDINATOR)
def job_download(job_id: int):
    job = _own_job(job_id)
    if not job.result_key:
        abort(404)
    return send_file(entries.storage().open(job.result_key), as_attachment=True,
                     download_name=job.result_name)


def _own_job(job_id: int) -> Job:
    """Organizers see every job; a coordinator only the jobs they started."""
    job = db.get_or_404(Job, job_id)
    if current_user.role is not Role.ORGANIZER and job.user_id != current_user.id:
        abort(404)
    return job


def _values(form: FactForm) -> dict:
    return {name: (field.data.strip() if isinstance(field.data, str) else field.data)
            for name, field in form._fields.items() if name != "csrf_token"}
