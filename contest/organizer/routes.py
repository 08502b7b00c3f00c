# Over 400 lines: every page of the organizer's area shares one blueprint and its helpers.
from datetime import date

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, logout_user
from wtforms.fields.choices import SelectChoice

from .. import accounts, audit, contests, entries, errors, mail, report, security, signatories
from .. import regions as regions_
from ..access import organizer_required
from ..entries import family
from ..errors import RuleError
from ..extensions import db
from ..judging import operations
from ..models import (
    AgeCategory,
    Contest,
    Criterion,
    Message,
    MessageStatus,
    Phase,
    Region,
    Role,
    Stage,
    User,
)
from .forms import (
    AgeCategoryForm,
    CertificatePeopleForm,
    ContestForm,
    CopyForm,
    CriterionForm,
    PhaseForm,
    RegionsForm,
    UserForm,
)

bp = Blueprint("organizer", __name__, url_prefix="/organizer")


@bp.get("/")
@organizer_required
def dashboard():
    """Every edition, and the current one at a glance: deadlines, each region's moderation
    backlog and each jury's progress (the yearly report's figures, see ``report.overview``)."""
    contest = contests.current_contest()
    figures, stages = report.overview(contest) if contest else (None, [])
    return render_template("organizer/dashboard.html", contests=contests.all_contests(),
                           entry_counts=entries.counts_by_contest(), contest=contest,
                           figures=figures, stages=stages, today=date.today())


@bp.route("/contests/new", methods=["GET", "POST"])
@organizer_required
def contest_new():
    form = ContestForm()
    if form.validate_on_submit():
        try:
            contest = contests.create_contest(**form.values())
        except contests.RuleError as e:
            errors.show(e, form, default=form.year)
        else:
            db.session.commit()
            flash(_("The contest has been created. Now add age categories, criteria and regions."),
                  "success")
            return redirect(url_for(".contest", contest_id=contest.id))
    return render_template("organizer/contest_form.html", form=form, contest=None)


@bp.post("/contests/<int:contest_id>/copy")
@organizer_required
def contest_copy(contest_id: int):
    """Start the next edition from this one (rules, categories, criteria, regions, jurors)."""
    source = db.get_or_404(Contest, contest_id)
    form = CopyForm()
    if not form.validate_on_submit():
        errors.show(contests.RuleError(" ".join(map(str, form.year.errors)) or _("Give the year.")))
        return redirect(url_for(".contest", contest_id=source.id))
    try:
        copy = contests.copy_contest(source, form.year.data)
    except contests.RuleError as e:
        db.session.rollback()
        errors.show(e)
        return redirect(url_for(".contest", contest_id=source.id))
    db.session.commit()
    flash(_("The %(year)s contest is ready as a draft, with this edition's rules, categories, "
            "criteria, regions and jurors. Check its dates and texts before opening it.",
            year=copy.year), "success")
    return redirect(url_for(".contest", contest_id=copy.id))


@bp.route("/contests/<int:contest_id>/edit", methods=["GET", "POST"])
@organizer_required
def contest_edit(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    form = ContestForm(obj=contest)
    if form.validate_on_submit():
        try:
            contests.update_contest(contest, **form.values())
        except contests.RuleError as e:
            db.session.rollback()
            errors.show(e, form, default=form.year)
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for(".contest", contest_id=contest.id))
    return render_template("organizer/contest_form.html", form=form, contest=contest)


@bp.route("/contests/<int:contest_id>/certificates", methods=["GET", "POST"])
@organizer_required
@security.accepts_files(logo=signatories.IMAGE_LIMITS.max_bytes,
                        **{f"s{n}_image": signatories.IMAGE_LIMITS.max_bytes
                           for n in range(signatories.MAX_SIGNATORIES)})
def certificate_people(contest_id: int):
    """Who signs the edition's certificates, their signatures, and the logo."""
    contest = db.get_or_404(Contest, contest_id)
    form = CertificatePeopleForm()
    status = 200
    if form.validate_on_submit():
        try:
            signatories.save(contest, form.people(), form.logo_bytes(), form.drop_logo.data)
        except RuleError as e:
            db.session.rollback()
            errors.show(e, form)
            status = 422
        else:  # saved and committed with the images (``signatories.save``)
            flash(_("Saved."), "success")
            return redirect(url_for(".certificate_people", contest_id=contest.id))
    elif request.method == "POST":
        status = 422
    elif not form.is_submitted():
        for n, person in enumerate(signatories.signatories(contest)):
            for key in ("name", "title_ru", "title_en"):
                form[f"s{n}_{key}"].data = person.get(key, "")
    return render_template("organizer/certificate_people.html", form=form, contest=contest,
                           people=signatories.signatories(contest),
                           rows=range(signatories.MAX_SIGNATORIES)), status


@bp.get("/contests/<int:contest_id>")
@organizer_required
def contest(contest_id: int, category_form=None, criterion_form=None, status=200):
    """The set-up hub of one edition: categories, criteria, regions, jurors, phase."""
    contest = db.get_or_404(Contest, contest_id)
    next_phases = [(p, contests.phase_problems(contest, p), contests.phase_question(contest, p))
                   for p in contests.TRANSITIONS[contest.phase]]
    return render_template(
        "organizer/contest.html", contest=contest,
        category_form=category_form or AgeCategoryForm(prefix="category"),
        criterion_form=criterion_form or CriterionForm(prefix="criterion"),
        phase_form=PhaseForm(), next_phases=next_phases,
        categories_locked=contests.categories_locked(contest),
        criteria_locked=contests.criteria_locked(contest),
        coordinators=accounts.coordinators_by_region(),
        entry_counts=entries.counts_by_stage(contest.id),
        contacts_purged_on=entries.contacts_purged_on(contest),
        copy_form=CopyForm(year=contest.year + 1),
    ), status


@bp.post("/contests/<int:contest_id>/categories")
@organizer_required
def category_add(contest_id: int):
    form = AgeCategoryForm(prefix="category")
    return _add_to_contest(contest_id, form, contests.add_age_category, form.min_age,
                           _("Age category added."), "categories")


@bp.post("/categories/<int:category_id>/delete")
@organizer_required
def category_delete(category_id: int):
    category = db.get_or_404(AgeCategory, category_id)
    contest_id = category.contest_id
    _apply(lambda: contests.remove_age_category(category), _("Age category removed."))
    return redirect(url_for(".contest", contest_id=contest_id, _anchor="categories"))


@bp.route("/categories/<int:category_id>/edit", methods=["GET", "POST"])
@organizer_required
def category_edit(category_id: int):
    """Change an age category's names or ages while the contest is a draft."""
    category = db.get_or_404(AgeCategory, category_id)
    return _edit_in_contest(category, AgeCategoryForm(obj=category), contests.categories_locked,
                            contests.CATEGORIES_LOCKED, contests.update_age_category,
                            _("Age category saved."), "categories", _("Edit the age category"))


@bp.post("/contests/<int:contest_id>/criteria")
@organizer_required
def criterion_add(contest_id: int):
    form = CriterionForm(prefix="criterion")
    return _add_to_contest(contest_id, form, contests.add_criterion, form.weight,
                           _("Criterion added."), "criteria")


@bp.post("/criteria/<int:criterion_id>/delete")
@organizer_required
def criterion_delete(criterion_id: int):
    criterion = db.get_or_404(Criterion, criterion_id)
    contest_id = criterion.contest_id
    _apply(lambda: contests.remove_criterion(criterion), _("Criterion removed."))
    return redirect(url_for(".contest", contest_id=contest_id, _anchor="criteria"))


@bp.route("/criteria/<int:criterion_id>/edit", methods=["GET", "POST"])
@organizer_required
def criterion_edit(criterion_id: int):
    """Change a criterion's names, description or weight until judging starts."""
    criterion = db.get_or_404(Criterion, criterion_id)
    return _edit_in_contest(criterion, CriterionForm(obj=criterion), contests.criteria_locked,
                            contests.CRITERIA_LOCKED, contests.update_criterion,
                            _("Criterion saved."), "criteria", _("Edit the criterion"))


@bp.route("/contests/<int:contest_id>/regions", methods=["GET", "POST"])
@organizer_required
def regions(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    all_regions = regions_.by_name()
    form = RegionsForm(regions=[s.region_id for s in contest.regional_stages])
    form.regions.choices = [SelectChoice(r.id, r.name) for r in all_regions]
    if form.validate_on_submit():
        try:
            contests.set_regions(contest, set(form.regions.data))
        except contests.RuleError as e:
            db.session.rollback()
            errors.show(e, default=form.regions)
        else:
            db.session.commit()
            flash(_("Participating regions saved."), "success")
            return redirect(url_for(".contest", contest_id=contest_id, _anchor="regions"))
    return render_template("organizer/regions.html", contest=contest, form=form)


@bp.post("/contests/<int:contest_id>/phase")
@organizer_required
def phase(contest_id: int):
    contest = db.get_or_404(Contest, contest_id)
    form = PhaseForm()
    if not form.validate_on_submit():
        abort(400)
    try:
        target = Phase(form.target.data)
    except ValueError:
        abort(400)
    _apply(lambda: contests.change_phase(contest, target),
           _("The contest is now in the phase “%(phase)s”.", phase=target.label))
    return redirect(url_for(".contest", contest_id=contest_id))


@bp.post("/contests/<int:contest_id>/purge-contacts")
@organizer_required
def purge_contacts(contest_id: int):
    """After the contest: delete the families' contacts, except those of finalists and winners."""
    contest = db.get_or_404(Contest, contest_id)
    if contest.phase is not Phase.CLOSED:
        flash(_("Contacts can be deleted once the contest is closed."), "error")
    else:
        purged = entries.purge_contacts(contest)
        db.session.commit()
        flash(_("Contacts deleted for %(n)s entries.", n=purged), "success")
    return redirect(url_for(".contest", contest_id=contest_id))


@bp.route("/users", methods=["GET", "POST"])
@organizer_required
def users():
    """Every account; a new one is sent an invitation to choose its password."""
    form = UserForm()
    form.region.choices = [SelectChoice(0, "—")] + [
        SelectChoice(r.id, r.name) for r in regions_.by_name()]
    form.stage.choices = [SelectChoice(0, "—")] + [
        SelectChoice(s.id, f"{s.contest.year}: {s.name}") for s in contests.open_stages()]
    if request.method == "GET" and request.args.get("stage", type=int):
        form.stage.data = request.args.get("stage", type=int)
        form.role.data = Role.JUROR.value
    if request.method == "GET" and request.args.get("region", type=int):
        form.region.data = request.args.get("region", type=int)
        form.role.data = Role.COORDINATOR.value
    if form.validate_on_submit():
        try:
            user = accounts.create_user(
                form.name.data, form.email.data, Role(form.role.data),
                region=db.session.get(Region, form.region.data) if form.region.data else None,
                stage=db.session.get(Stage, form.stage.data) if form.stage.data else None)
        except accounts.AccountError as e:
            db.session.rollback()
            errors.show(e, default=form.email)
        else:
            if user.juror_stages:  # a stage that is judging shares its entries out again
                operations.sync_assignments(user.juror_stages[0])
            db.session.commit()
            flash(_("%(name)s is sent an invitation to choose a password at %(email)s.",
                    name=user.name, email=user.email), "success")
            return redirect(url_for(".users"))
    return render_template("organizer/users.html", form=form, users=accounts.everyone())


@bp.post("/users/<int:user_id>/link")
@organizer_required
def user_link(user_id: int):
    """Send the invitation again (not accepted yet) or a link to choose a new password."""
    user = db.get_or_404(User, user_id)
    if not user.active:
        flash(_("This account is deactivated."), "error")
        return redirect(url_for(".users"))
    accounts.send_password_link(user)
    db.session.commit()
    flash(_("A link to choose a password is sent to %(email)s.", email=user.email), "success")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/active")
@organizer_required
def user_active(user_id: int):
    user = db.get_or_404(User, user_id)
    if user.id == current_user.id:
        flash(_("You cannot deactivate your own account."), "error")
    else:
        accounts.set_active(user, not user.active)
        db.session.commit()
        flash(_("Saved."), "success")
    return redirect(url_for(".users"))


@bp.post("/users/<int:user_id>/sign-out")
@organizer_required
def user_sign_out(user_id: int):
    """End every session of an account (a lost phone, a juror who has left)."""
    user = db.get_or_404(User, user_id)
    accounts.sign_out_everywhere(user)
    db.session.commit()
    if user.id == current_user.id:
        logout_user()
        flash(_("You are signed out on every device."), "success")
        return redirect(url_for("auth.login"))
    flash(_("%(name)s is signed out on every device.", name=user.name), "success")
    return redirect(url_for(".users"))


AUDIT_PAGE_SIZE = 100


@bp.get("/audit")
@organizer_required
def audit_log():
    """Every change, newest first, a hundred a page."""
    page = max(request.args.get("page", 1, type=int), 1)
    rows, more = audit.newest(page, AUDIT_PAGE_SIZE)
    return render_template("organizer/audit.html", rows=rows, page=page, more=more,
                           audit=audit)


def _add_to_contest(contest_id: int, form, add, error_field, success: str, anchor: str):
    """Check a hub sub-form and add what it describes through the contest's rules;
    on failure show the hub again with the messages next to the form's fields."""
    edition = db.get_or_404(Contest, contest_id)
    if form.validate_on_submit():
        values = {name: (value or "").strip() if isinstance(value, str | None) else value
                  for name, value in form.data.items() if name != "csrf_token"}
        try:
            add(edition, **values)
        except contests.RuleError as e:
            db.session.rollback()
            errors.show(e, form, default=error_field)
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(url_for(".contest", contest_id=contest_id, _anchor=anchor))
    return contest(contest_id, status=422, **{f"{form._prefix.rstrip('-')}_form": form})


def _edit_in_contest(row, form, locked, why_locked, update, success: str, anchor: str,
                     title: str):
    """Show ``row`` (a category, a criterion) in ``form`` and save it through ``update``,
    which keeps the same rules as adding one; once ``locked`` the hub says ``why_locked``."""
    hub = url_for(".contest", contest_id=row.contest_id, _anchor=anchor)
    if locked(row.contest) and request.method == "GET":
        errors.show(contests.RuleError(why_locked))
        return redirect(hub)
    if form.validate_on_submit():
        values = {name: (value or "").strip() if isinstance(value, str | None) else value
                  for name, value in form.data.items() if name != "csrf_token"}
        try:
            update(row, **values)
        except contests.RuleError as e:
            db.session.rollback()
            if locked(row.contest):
                errors.show(e)
                return redirect(hub)
            errors.show(e, form, default=form.name_ru)
        else:
            db.session.commit()
            flash(success, "success")
            return redirect(hub)
    status = 422 if request.method == "POST" else 200
    return render_template("organizer/row_form.html", form=form, contest=row.contest,
                           title=title, hub=hub), status


def _apply(change, success: str) -> bool:
    """Run a rule-checked change; commit and confirm, or roll back and explain."""
    try:
        change()
    except contests.RuleError as e:
        db.session.rollback()
        errors.show(e)
        return False
    db.session.commit()
    flash(success, "success")
    return True


MESSAGES_PAGE_SIZE = 100


@bp.get("/messages")
@organizer_required
def messages():
    """Every e-mail the site sent or tries to send, newest first: kind, masked recipient,
    state; failed ones first of all, with what the mail server said."""
    page = max(request.args.get("page", 1, type=int), 1)
    state = request.args.get("state", "")
    status = MessageStatus(state) if state in {s.value for s in MessageStatus} else None
    rows, more = mail.newest(status, page, MESSAGES_PAGE_SIZE)
    return render_template("organizer/messages.html", rows=rows, page=page, more=more,
                           state=state, counts=mail.status_counts(),
                           statuses=list(MessageStatus), kinds=mail.KINDS, mask=family.mask_email)


@bp.post("/messages/<int:message_id>/again")
@organizer_required
def message_again(message_id: int):
    """Send a failed message again, while its content is kept."""
    message = db.get_or_404(Message, message_id)
    if mail.send_again(message):
        db.session.commit()
        flash(_("The message is queued again."), "success")
    else:
        flash(_("This message cannot be sent again."), "error")
    return redirect(url_for(".messages"))
