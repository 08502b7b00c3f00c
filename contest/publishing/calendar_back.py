"""The calendar's back page (/calendar/back): the partners' logos and the imprint an edition's
calendars print, set by the organizers."""

from flask import Blueprint, abort, flash, redirect, render_template, url_for
from flask_babel import gettext as _

from .. import errors, security, wall_calendar
from ..access import organizer_required
from ..errors import RuleError
from ..extensions import db
from ..models import CalendarPartner, Contest
from ..transaction import commit_then, files_with_rows
from ..uploads.files import send_stored
from .editions import chosen_edition_or_404
from .forms import ImprintForm, PartnerForm

bp = Blueprint("calendar_back", __name__, url_prefix="/calendar/back")


@bp.get("")
@organizer_required
def page():
    """The imprint's form and the partners' logos of the chosen edition."""
    contest = chosen_edition_or_404()
    row = wall_calendar.imprint(contest)
    return _page(contest, ImprintForm(obj=row), PartnerForm())


@bp.post("/imprint")
@organizer_required
def save_imprint():
    contest = chosen_edition_or_404()
    form = ImprintForm()
    if not form.validate_on_submit():
        return _page(contest, form, PartnerForm(), 422)
    try:
        wall_calendar.save_imprint(contest, form.values())
    except RuleError as error:
        db.session.rollback()
        errors.show(error, form)
        return _page(contest, form, PartnerForm(), 422)
    db.session.commit()
    flash(_("The imprint is saved: the next export prints it."), "success")
    return _back(contest)


@bp.post("/partners")
@organizer_required
@security.accepts_files(logo=wall_calendar.LOGO_MAX_BYTES)
def add_partner():
    contest = chosen_edition_or_404()
    form = PartnerForm()
    if not form.validate_on_submit():
        return _page(contest, ImprintForm(obj=wall_calendar.imprint(contest)), form, 422)
    upload = form.logo.data
    with upload.stream:  # spooled to a temporary file: closed as soon as it is read
        data = upload.read()
    try:
        row, files = wall_calendar.prepare_partner(contest, form.name_ru.data, form.name_en.data,
                                                   data, upload.filename)
        with files_with_rows(files):  # the logo's files and its row: all or nothing
            pass
    except RuleError as error:
        db.session.rollback()
        errors.show(error, form)
        return _page(contest, ImprintForm(obj=wall_calendar.imprint(contest)), form, 422)
    flash(_("The logo of %(name)s is added.", name=row.name_ru), "success")
    return _back(contest)


@bp.post("/partners/<int:partner_id>/remove")
@organizer_required
def remove_partner(partner_id: int):
    contest = chosen_edition_or_404()
    try:
        keys = wall_calendar.remove_partner(contest, partner_id)
    except RuleError as error:
        db.session.rollback()
        errors.show(error)
        return _back(contest)
    commit_then(lambda: wall_calendar.delete_files(keys))
    flash(_("The partner is removed from the calendar."), "success")
    return _back(contest)


@bp.get("/partners/<int:partner_id>/logo.jpg")
@organizer_required
def logo(partner_id: int):
    """The small copy of a partner's logo, for this page."""
    row = db.session.get(CalendarPartner, partner_id)
    if row is None:
        abort(404)
    try:
        return send_stored(row.thumbnail_key, "image/jpeg", max_age=0)
    except FileNotFoundError:
        abort(404)


def _page(contest: Contest, imprint_form: ImprintForm, partner_form: PartnerForm,
          status: int = 200):
    return render_template("publishing/calendar_back.html", contest=contest,
                           imprint_form=imprint_form, partner_form=partner_form,
                           partners=wall_calendar.partners(contest),
                           max_logos=wall_calendar.MAX_LOGOS,
                           editions=wall_calendar.editions()), status


def _back(contest: Contest):
    return redirect(url_for(".page", contest=contest.id))
