"""Certificate batches (/certificates): a ZIP of PDFs per region, made by a background job.
A family downloads its own certificate from its status page (``submit.certificate``)."""

from flask import Blueprint, abort, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from .. import access, certificates, jobs, wall_calendar
from ..access import staff_required
from .editions import chosen_edition_or_404
from .forms import CertificateBatchForm

bp = Blueprint("certificates", __name__, url_prefix="/certificates")


@bp.route("", methods=["GET", "POST"])
@staff_required
def batches():
    """Start a batch: a ZIP of PDFs (one per institution) for a region or the whole contest."""
    contest = chosen_edition_or_404()
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
                         back=url_for(".batches", contest=contest.id))
        return redirect(url_for("jobs.page", job_id=job.id))
    counts = {s.id: len(certificates.certified_entries(contest.id, s.id)) for s in stages}
    return render_template("publishing/certificates.html", form=form, contest=contest,
                           stages=stages, counts=counts, editions=wall_calendar.editions())
