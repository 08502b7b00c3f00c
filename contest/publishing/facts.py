"""The facts library (/organizer/facts): the bone-health facts printed on calendar months."""

from flask import Blueprint, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import facts
from ..access import organizer_required
from ..extensions import db
from ..models import Fact
from .forms import FactForm

bp = Blueprint("facts", __name__, url_prefix="/organizer/facts")


@bp.route("", methods=["GET", "POST"])
@organizer_required
def index():
    """The facts library: every fact with its source; add a new one below."""
    form = FactForm()
    if form.validate_on_submit():
        facts.save(None, **_values(form))
        db.session.commit()
        flash(_("Fact added."), "success")
        return redirect(url_for(".index"))
    return render_template("publishing/facts.html", facts=facts.library(), form=form), (
        422 if form.errors else 200)


@bp.post("/seed")
@organizer_required
def seed():
    added = facts.seed()
    db.session.commit()
    flash(_("%(n)s facts loaded.", n=added), "success")
    return redirect(url_for(".index"))


@bp.route("/<int:fact_id>", methods=["GET", "POST"])
@organizer_required
def edit(fact_id: int):
    fact = db.get_or_404(Fact, fact_id)
    form = FactForm(obj=fact)
    if form.validate_on_submit():
        facts.save(fact, **_values(form))
        db.session.commit()
        flash(_("Saved."), "success")
        return redirect(url_for(".index"))
    return render_template("publishing/fact_edit.html", fact=fact, form=form), (
        422 if form.errors else 200)


def _values(form: FactForm) -> dict:
    return {name: (field.data.strip() if isinstance(field.data, str) else field.data)
            for name, field in form._fields.items() if name != "csrf_token"}
