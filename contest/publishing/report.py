"""The yearly report of an edition (/organizer/contests/<id>/report): page, PDF, CSV, XLSX."""

import io

from flask import Blueprint, abort, render_template, send_file

from .. import report, spreadsheets
from ..access import organizer_required
from ..extensions import db
from ..i18n import language
from ..models import Contest

bp = Blueprint("report", __name__, url_prefix="/organizer/contests/<int:contest_id>")


@bp.get("/report")
@organizer_required
def page(contest_id: int):
    """The year's figures with charts; the same numbers as the PDF and the exports."""
    contest = db.get_or_404(Contest, contest_id)
    figures = report.yearly_figures(contest)
    header, *body = report.table(figures)
    return render_template("publishing/report.html", contest=contest, figures=figures,
                           columns=header, body=body)


@bp.get("/report.<fmt>")
@organizer_required
def file(contest_id: int, fmt: str):
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
