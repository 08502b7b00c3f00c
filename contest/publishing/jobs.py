"""Background jobs (/jobs): a progress page for each calendar export or certificate batch,
and its result to download."""

from flask import Blueprint, abort, jsonify, render_template, url_for
from flask_babel import lazy_gettext as _l

from .. import access, errors
from ..access import staff_required
from ..uploads import files

bp = Blueprint("jobs", __name__, url_prefix="/jobs")

WITHDRAWN = _l("This file was withdrawn because a child's data in it was erased. Make it "
               "again to get one without it.")


@bp.get("/<int:job_id>")
@staff_required
def page(job_id: int):
    """A background job's page: a progress bar that fills, then the download."""
    return render_template("publishing/job.html", job=access.job_or_404(job_id),
                           withdrawn=WITHDRAWN)


@bp.get("/<int:job_id>.json")
@staff_required
def status(job_id: int):
    job = access.job_or_404(job_id)
    return jsonify(status=job.status.value, percent=job.percent, done=job.done, total=job.total,
                   message=job.message, error=job.error, name=job.result_name,
                   withdrawn=job.withdrawn_at is not None,
                   download=url_for(".download", job_id=job.id)
                   if job.result_key and not job.withdrawn_at else None)


@bp.get("/<int:job_id>/download")
@staff_required
def download(job_id: int):
    job = access.job_or_404(job_id)
    if not job.result_key:
        abort(404)
    if job.withdrawn_at:
        return errors.render_error(410, WITHDRAWN)
    return files.send_stored(job.result_key, as_attachment=True, download_name=job.result_name)
