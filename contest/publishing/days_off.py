"""Days off moved by decree (/organizer/days-off/<year>): entered by organizers, printed on
the calendar."""

from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from .. import wall_calendar
from ..access import organizer_required
from ..extensions import db
from ..i18n import language
from .forms import DecreeForm

bp = Blueprint("days_off", __name__, url_prefix="/organizer/days-off")


@bp.route("/<int:year>", methods=["GET", "POST"])
@organizer_required
def edit(year: int):
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
        return redirect(url_for(".edit", year=year))
    off, worked = wall_calendar.days_off_summary(year, language())
    return render_template("publishing/days_off.html", year=year, form=form, decree=row,
                           off=off, worked=worked, known=wall_calendar.known_years()), (
        422 if form.errors else 200)
