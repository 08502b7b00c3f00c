# Over 400 lines: the families' pages (/submit, /status, /privacy) share one blueprint and helpers.
import io
import secrets

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms.fields.choices import SelectChoice

from .. import batch as batches
from .. import certificates, consents, entries, errors, notifications, public_pages, security
from ..codes import format_code
from ..config import DEFAULT_LANGUAGE, LANGUAGES
from ..contests import current_contest
from ..entries import EntryDetails, EntryError, family
from ..extensions import db, limiter
from ..i18n import language
from ..judging import operations as judging
from ..models import Entry
from ..rules import CONTACTS_KEPT_MONTHS
from ..uploads import files, held
from ..uploads.pipeline import ImageRejected, ProcessedImage, SpooledImage, process_image
from .forms import (
    BatchForm,
    ConfirmForm,
    ConsentChangeForm,
    FamilyRequestForm,
    LostCodeForm,
    NewPhotoForm,
    StatusForm,
    SubmissionForm,
)

bp = Blueprint("submit", __name__)

BATCHES_KEY = "sent_batches"  # in the session: [[key, [entry id, ...]], ...], newest first


@bp.route("/submit", methods=["GET", "POST"])
@security.accepts_files(image="UPLOAD_MAX_BYTES")
@limiter.limit("120 per hour", methods=["POST"])  # loose: a mobile carrier shares addresses
def submit():
    """The submission form: works without JavaScript, on a phone, in a few minutes."""
    contest = current_contest()
    if not entries.submissions_open(contest):
        return render_template("submit/closed.html", contest=contest), 200
    form = SubmissionForm()
    form.region.choices = [SelectChoice(0, "—")] + [
        SelectChoice(r.id, r.name) for r in contest.regions]
    key = family.issued_here(form.submission_key.data)
    if form.is_submitted():
        earlier = entries.sent_with_key(key)
        if earlier is not None:  # sent again (a double click, a timeout): the first receipt
            return _receipt(earlier)
        form.validate()
        image = _photo(form)  # checked whatever else is wrong, so that it can be kept
        if image is not None and not form.errors:
            try:
                entry = entries.submit(contest, _details(form, key), image)
            except EntryError as e:
                db.session.rollback()
                earlier = entries.sent_with_key(key)  # the same form, sent at the same moment
                if earlier is not None:
                    return _receipt(earlier)
                errors.show(e, form, default=form.image)
            else:
                for warning in image.warnings:
                    flash(str(warning), "info")
                return _receipt(entry)
        if isinstance(image, ProcessedImage):  # a mistake elsewhere: keep the photo for next time
            held.hold(image)
    form.submission_key.data = key or family.new_submission_key()
    kept = held.held()
    form.image.flags.required = kept is None
    return render_template("submit/form.html", form=form, contest=contest, kept=kept), (
        422 if form.errors else 200)


def _receipt(entry: Entry):
    """After the form stored ``entry`` (now, or when it was first sent): to its receipt."""
    held.release()
    family.remember_sent([entry])
    db.session.commit()
    return redirect(url_for(".done", code=entry.code))


def _photo(form: SubmissionForm) -> ProcessedImage | SpooledImage | None:
    """The drawing's photo: the file just chosen, else the one kept from the previous try; None
    (with the reason on the field) when there is neither or the new one cannot be used."""
    upload = form.image.data
    if upload and upload.filename:
        held.release()
        try:
            return process_image(upload.read(), upload.filename, files.upload_limits())
        except ImageRejected as e:
            form.image.errors = [*form.image.errors, str(e)]
            return None
    kept = held.held()
    if kept is None:
        form.image.errors = [*form.image.errors, _("Please choose the photo of the drawing.")]
    return kept


@bp.get("/submit/photo.jpg")
@limiter.limit("600 per hour")
def kept_photo():
    """The thumbnail of the photo kept for this browser's form, to show it is not lost."""
    kept = held.held()
    if kept is None:
        abort(404)
    return files.send_stored(kept.thumbnail_key, "image/jpeg", max_age=0), 200, {
        "Cache-Control": "private, no-store"}


@bp.route("/submit/batch", methods=["GET", "POST"])
@security.accepts_files(sheet="SHEET_MAX_BYTES", archive="BATCH_MAX_BYTES",
                        max_body="BATCH_MAX_BYTES")
@limiter.limit("20 per hour", methods=["POST"])
def batch():
    """A teacher sends a whole class: a ZIP of images and the list of children."""
    contest = current_contest()
    if not entries.submissions_open(contest):
        return render_template("submit/closed.html", contest=contest), 200
    form = BatchForm()
    form.region.choices = [SelectChoice(0, "—")] + [
        SelectChoice(r.id, r.name) for r in contest.regions]
    problems = []
    key = family.issued_here(form.submission_key.data)
    earlier = entries.sent_in_batch(key) if form.is_submitted() else []
    if earlier:  # sent again (a timeout, a reload): the codes the first sending got
        return _batch_receipt(earlier, key)
    if form.validate_on_submit():
        common = {"region_id": form.region.data, "town": form.town.data,
                  "institution": form.institution.data, "teacher": form.teacher.data,
                  "locale": language(), "batch_key": key}
        try:
            stored = batches.submit(contest, form.sheet.data, form.archive.data, common,
                                    files.upload_limits(), codes_to=form.email.data or "")
        except batches.BatchError as e:
            db.session.rollback()
            earlier = entries.sent_in_batch(key)  # the same batch, stored meanwhile
            if earlier:
                return _batch_receipt(earlier, key)
            problems = e.problems
        else:
            return _batch_receipt(stored, key)
    form.submission_key.data = key or family.new_submission_key()
    status = 422 if problems or form.errors else 200
    return render_template("submit/batch.html", form=form, contest=contest,
                           problems=problems), status


@bp.get("/submit/batch/done/<key>")
@limiter.limit("120 per hour")
def batch_done(key: str):
    """The codes of a class just sent: shown again on reload, and only to whoever sent it."""
    ids = dict(session.get(BATCHES_KEY, [])).get(key)
    if ids is None:
        abort(404)
    stored = entries.still_stored(ids)
    response = render_template("submit/batch_done.html", stored=stored, format_code=format_code)
    # The codes open the children's entries: not for a shared computer's cache.
    return response, 200, {"Cache-Control": "private, no-store"}


@bp.get("/submit/batch/example.csv")
def batch_example():
    return batches.template_csv(), 200, {
        "Content-Type": "text/csv; charset=utf-8",
        "Content-Disposition": "attachment; filename=children.csv"}


@bp.get("/submit/done/<code>")
@limiter.limit("120 per hour")
def done(code: str):
    """The receipt: in full for the browser that sent the drawing, masked for anyone else."""
    entry = _entry_or_404(code)
    return render_template("submit/done.html", entry=entry, code=format_code(entry.code),
                           sent_here=family.sent_here(entry), email=family.shown_email(entry))


@bp.route("/status", methods=["GET", "POST"])
@limiter.limit("300 per hour", methods=["POST"])
def find_status():
    """Look an entry up by its tracking code."""
    form = StatusForm()
    if form.validate_on_submit():
        entry = entries.find_by_code(form.code.data)
        if entry is not None:
            return redirect(url_for(".status", code=entry.code))
        form.code.errors.append(_("No drawing has this code. Check it in the confirmation email."))
    return render_template("submit/find.html", form=form)


@bp.route("/status/lost-code", methods=["GET", "POST"])
@limiter.limit("10 per hour", methods=["POST"], scope="lost-code-address")
def lost_code():
    """'Lost your code?': the codes of the drawings sent with an e-mail address, by e-mail
    to that address. The page answers the same whether or not there are any."""
    form = LostCodeForm()
    if form.validate_on_submit():
        notifications.lost_codes(form.email.data)
        db.session.commit()
        return render_template("submit/lost_code.html", form=None)
    return render_template("submit/lost_code.html", form=form), 422 if form.errors else 200


@bp.get("/status/<code>")
@limiter.limit("600 per hour")  # codes are unguessable; this keeps anyone from trying
def status(code: str):
    entry = _entry_or_404(code)
    return _status_page(entry, NewPhotoForm() if entries.may_send_new_photo(entry) else None)


@bp.post("/status/<code>/photo")
@security.accepts_files(image="UPLOAD_MAX_BYTES")
def new_photo(code: str):
    entry = _entry_or_404(code)
    if not entries.may_send_new_photo(entry):
        return redirect(url_for(".status", code=entry.code))
    form = NewPhotoForm()
    if form.validate_on_submit():
        upload = form.image.data
        try:
            image = process_image(upload.read(), upload.filename, files.upload_limits())
            entries.replace_image(entry, image)
        except ImageRejected as e:
            form.image.errors.append(str(e))
        except EntryError as e:
            errors.show(e, default=form.image)
        else:
            flash(_("Thank you! The new photo has been sent to the coordinator."), "success")
            return redirect(url_for(".status", code=entry.code))
    return _status_page(entry, form, 422)


@bp.get("/status/<code>/drawing.jpg")
def own_drawing(code: str):
    """The family's drawing, for the status page: the code is the key; the unmasked drawing
    only for the browser that sent it (``family.own_image_key``)."""
    entry = _entry_or_404(code)
    size = "thumb" if request.args.get("size") == "thumb" else "preview"
    return _image_response(family.own_image_key(entry, size))


@bp.get("/status/<code>/certificate.pdf")
def own_certificate(code: str):
    """The family's certificate or diploma, from the status page: the code is the key."""
    entry = _entry_or_404(code)
    certificate = certificates.kind_of(entry)
    if not certificate:
        abort(404)
    wanted = request.args.get("lang", language())
    pdf = certificates.render([entry], wanted if wanted in LANGUAGES else DEFAULT_LANGUAGE)
    # Families share certificates: the name holds no tracking code.
    name = "certificate" if certificate == "participant" else "diploma"
    return send_file(io.BytesIO(pdf), mimetype="application/pdf", as_attachment=True,
                     download_name=f"{name}-{entry.contest.year}.pdf")


# --- the family's requests: withdraw, change the consents, erase ----------------------------

# Each mails a link (or checks the child's names): a few an hour from one address is plenty.
FAMILY_REQUESTS = "10 per hour"


@bp.post("/status/<code>/withdraw")
@limiter.limit(FAMILY_REQUESTS)
def ask_withdraw(code: str):
    return _ask(code, family.WITHDRAW, FamilyRequestForm(prefix=family.WITHDRAW))


@bp.post("/status/<code>/erase")
@limiter.limit(FAMILY_REQUESTS)
def ask_erase(code: str):
    return _ask(code, family.ERASE, FamilyRequestForm(prefix=family.ERASE))


@bp.post("/status/<code>/consents")
@limiter.limit(FAMILY_REQUESTS)
def ask_consents(code: str):
    form = ConsentChangeForm(prefix=family.CONSENTS)
    return _ask(code, family.CONSENTS, form, {"show_name": form.show_name.data,
                                               "print": form.print.data})


def _ask(code: str, action: str, form: FamilyRequestForm, wanted: dict | None = None):
    entry = _entry_or_404(code)
    if not form.validate_on_submit():
        flash(_("The request could not be read. Please try again."), "error")
        return redirect(url_for(".status", code=entry.code, _anchor="choices"))
    try:
        mailed = family.ask(entry, action, wanted, form.child_first_name.data or "",
                            form.child_last_name.data or "")
    except family.FamilyRequestError as e:
        errors.show(e)
        return redirect(url_for(".status", code=entry.code, _anchor="choices"))
    db.session.commit()
    if mailed:
        flash(ngettext("We have sent a link to %(email)s. Open it within %(num)s day to "
                       "confirm; until then nothing changes.",
                       "We have sent a link to %(email)s. Open it within %(num)s days to "
                       "confirm; until then nothing changes.", family.LINK_DAYS,
                       email=family.mask_email(entry.guardian_email)), "success")
        return redirect(url_for(".status", code=entry.code, _anchor="choices"))
    return _done(entry, action)


@bp.get("/status/confirm/<token>")
@limiter.limit("60 per hour")
def confirm(token: str):
    """What a confirmation link will do, with the button that does it."""
    try:
        asked = family.read_link(token)
    except family.FamilyRequestError as e:
        return render_template("submit/confirm.html", problem=e.message), 410
    return render_template("submit/confirm.html", asked=asked, form=ConfirmForm(),
                           names=consents.NAMES)


@bp.post("/status/confirm/<token>")
@limiter.limit(FAMILY_REQUESTS)
def confirmed(token: str):
    try:
        asked = family.read_link(token)
    except family.FamilyRequestError as e:
        return render_template("submit/confirm.html", problem=e.message), 410
    if not ConfirmForm().validate_on_submit():
        return redirect(url_for(".confirm", token=token))
    family.carry_out(asked)
    db.session.commit()
    return _done(asked.entry, asked.action)


def _done(entry: Entry, action: str):
    if action == family.ERASE:
        return render_template("submit/erased.html")
    flash(_("The drawing has been withdrawn from the contest.") if action == family.WITHDRAW
          else _("The consents have been changed."), "success")
    return redirect(url_for(".status", code=entry.code))


@bp.get("/privacy")
@public_pages.cached_publicly
def privacy():
    """The privacy notice: what is kept, who sees it, for how long, the consents' texts with
    their versions, and how a family withdraws or erases."""
    contest = current_contest()
    return render_template("submit/privacy.html", consents=consents.ALL,
                           names=consents.NAMES, contacts_kept_months=(
                               contest.contacts_kept_months if contest else CONTACTS_KEPT_MONTHS))


def _status_page(entry: Entry, form: NewPhotoForm | None, status: int = 200):
    """The family's status page, with the better-photo form when one may be sent."""
    return render_template("submit/status.html", entry=entry, code=format_code(entry.code),
                           form=form, certificate=certificates.kind_of(entry),
                           juries_done=judging.juries_done(entry),
                           # One form per request, each with its own field ids.
                           withdraw_form=FamilyRequestForm(prefix=family.WITHDRAW),
                           erase_form=FamilyRequestForm(prefix=family.ERASE),
                           consent_form=ConsentChangeForm(prefix=family.CONSENTS,
                                                          data=family.current_consents(entry)),
                           by_mail=family.by_mail(entry),
                           email=family.mask_email(entry.guardian_email),
                           withdraw_refused=family.withdraw_refused(entry)), status


def _batch_receipt(stored: list[Entry], key: str | None):
    """After the batch form stored ``stored`` (now, or when it was first sent): to its codes."""
    key = _remember_batch(stored, key)
    db.session.commit()
    return redirect(url_for(".batch_done", key=key))


def _remember_batch(stored: list[Entry], key: str | None) -> str:
    """Keep a batch's entry ids in the sender's signed session under the form's one-time key
    (a new random one without it); returns the key.

    Older batches are forgotten once they would not fit with it in one batch's worth of ids,
    so the session cookie stays small.
    """
    key = key or secrets.token_urlsafe(12)
    kept, room = [[key, [e.id for e in stored]]], batches.MAX_ROWS - len(stored)
    for old_key, ids in session.get(BATCHES_KEY, []):
        if old_key == key:
            continue
        if len(ids) > room:
            break
        kept.append([old_key, ids])
        room -= len(ids)
    session[BATCHES_KEY] = kept
    return key


def _image_response(key: str):
    response = files.send_stored(key, "image/jpeg", max_age=0)
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _entry_or_404(code: str) -> Entry:
    entry = entries.find_by_code(code)
    if entry is None or entry.personal_data_erased_at:
        abort(404)
    return entry


def _details(form: SubmissionForm, key: str | None) -> EntryDetails:
    return EntryDetails(
        region_id=form.region.data, town=form.town.data,
        child_first_name=form.child_first_name.data, child_last_name=form.child_last_name.data,
        birth_date=form.birth_date.data, age=form.age.data,
        institution=form.institution.data or "", teacher=form.teacher.data or "",
        title=form.title.data, title_en=form.title_en.data or "",
        description=form.description.data or "",
        guardian_name=form.guardian_name.data, guardian_email=form.guardian_email.data or "",
        guardian_phone=form.guardian_phone.data or "",
        consents={"personal_data": form.consent_personal_data.data,
                  "show_name": form.consent_show_name.data, "print": form.consent_print.data},
        locale=language(), submission_key=key,
    )

