import json

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user

from .. import access, entries, errors, security
from ..access import organizer_required, staff_required
from ..contests import current_contest
from ..entries import EntryError, ModerationClosed
from ..extensions import db
from ..models import EntryStatus
from ..uploads.files import upload_limits
from .forms import BulkAcceptForm, ClearFlagForm, MaskForm, ModerationForm, RotateForm

bp = Blueprint("coordinator", __name__, url_prefix="/coordinator")


PER_PAGE = {"cards": 48, "table": 100}
FLAGS = ("new_photo", "attention")


@bp.get("/")
@staff_required
def queue():
    """The region's entries: search, filters, sort, cards or a compact table, page by page."""
    contest = current_contest()
    stage = access.moderated_stage(current_user, contest, request.args.get("stage", type=int))
    if stage is None:
        return render_template("coordinator/no_stage.html", contest=contest,
                               stages=contest.regional_stages if contest else [])
    counts = entries.status_counts(contest.id, stage.id)
    waiting = EntryStatus.RECEIVED.value if counts[EntryStatus.RECEIVED] else "all"
    wanted = request.args.get("status", waiting)
    try:
        status = None if wanted == "all" else EntryStatus(wanted)
    except ValueError:
        abort(404)
    view = "table" if request.args.get("view") == "table" else "cards"
    flag = request.args.get("flag", "")
    sort = request.args.get("sort", "")
    query = entries.ListQuery(
        status=status, category_id=request.args.get("category", type=int),
        search=request.args.get("q", "")[:100], new_photo=flag == "new_photo",
        attention=flag == "attention", sort=sort if sort in entries.SORTS else "oldest")
    rows = entries.moderation_list(stage.id, query, request.args.get("page", 1, type=int),
                                   PER_PAGE[view])
    return render_template("coordinator/queue.html", contest=contest, stage=stage, rows=rows,
                           wanted=wanted, counts=counts, stages=contest.regional_stages,
                           query=query, view=view, flag=flag if flag in FLAGS else "",
                           bulk_form=BulkAcceptForm(), low_dpi=upload_limits().min_dpi)


@bp.post("/accept")
@staff_required
def accept_selected():
    """Accept the ticked entries still waiting (the page asked for confirmation)."""
    form = BulkAcceptForm()
    ids = request.form.getlist("entry", type=int)[:PER_PAGE["table"]]
    if not form.validate_on_submit() or not ids:
        flash(_("Tick the drawings to accept first."), "error")
        return redirect(security.local_url(request.form.get("next")) or url_for(".queue"))
    chosen = [access.moderated_entry_or_404(entry_id) for entry_id in ids]
    accepted = entries.accept_all(chosen)
    db.session.commit()
    flash(ngettext("%(num)s drawing accepted.", "%(num)s drawings accepted.", accepted),
          "success")
    skipped = len(chosen) - accepted
    if skipped:
        flash(ngettext("%(num)s was not waiting for a decision and stays as it was.",
                       "%(num)s were not waiting for a decision and stay as they were.",
                       skipped), "info")
    return redirect(security.local_url(request.form.get("next"))
                    or url_for(".queue", stage=chosen[0].stage_id))


@bp.get("/entries/<int:entry_id>")
@staff_required
def entry(entry_id: int, form=None, mask_form=None, status=200):
    """One entry: the drawing, what the family told us, and the moderation actions while
    they are allowed (``entries.moderation_closed`` says why not)."""
    entry = access.moderated_entry_or_404(entry_id)
    form = form or ModerationForm(decision=None if entry.status is EntryStatus.RECEIVED
                                  else entry.status.value, reason=entry.status_reason,
                                  note=entry.moderation_note)
    return render_template("coordinator/entry.html", entry=entry, form=form,
                           mask_form=mask_form or MaskForm(), rotate_form=RotateForm(),
                           closed=entries.moderation_closed(entry),
                           turn_refused=entries.turn_refused(entry),
                           clear_form=ClearFlagForm(),
                           low_dpi=upload_limits().min_dpi,
                           next_id=entries.next_waiting(entry)), status


@bp.post("/entries/<int:entry_id>/moderate")
@staff_required
def moderate(entry_id: int):
    entry_ = access.moderated_entry_or_404(entry_id)
    form = ModerationForm()
    if form.validate_on_submit():
        try:
            entries.moderate(entry_, EntryStatus(form.decision.data), form.reason.data or "",
                             form.note.data or "")
        except ModerationClosed:
            return entry(entry_id, status=409)
        except EntryError as e:
            errors.show(e, default=form.reason)
        else:
            db.session.commit()
            flash(_("Saved: %(status)s.", status=entry_.status.label), "success")
            following = entries.next_waiting(entry_)
            if following and request.form.get("next"):
                return redirect(url_for(".entry", entry_id=following))
            return redirect(url_for(".queue", stage=entry_.stage_id))
    return entry(entry_id, form=form, status=422)


@bp.post("/entries/<int:entry_id>/rotate")
@staff_required
def rotate(entry_id: int):
    entry_ = access.moderated_entry_or_404(entry_id)
    form = RotateForm()
    if not form.validate_on_submit() or form.degrees.data not in ("90", "-90", "180"):
        abort(400)
    try:
        entries.rotate_entry(entry_, int(form.degrees.data))
    except ModerationClosed:
        return entry(entry_id, status=409)
    db.session.commit()
    return redirect(url_for(".entry", entry_id=entry_id))


@bp.post("/entries/<int:entry_id>/sideways/clear")
@staff_required
def clear_sideways(entry_id: int):
    """The drawing a juror flagged as sideways is the right way up now (or was already)."""
    entry_ = access.moderated_entry_or_404(entry_id)
    if not ClearFlagForm().validate_on_submit():
        abort(400)
    entries.clear_sideways(entry_)
    db.session.commit()
    flash(_("The sideways flag is cleared."), "success")
    return redirect(url_for(".entry", entry_id=entry_id))


@bp.post("/entries/<int:entry_id>/masks")
@staff_required
def masks(entry_id: int):
    """Add a rectangle hidden on the jury's copy (a signature), or clear them all."""
    entry_ = access.moderated_entry_or_404(entry_id)
    form = MaskForm()
    try:
        if request.form.get("clear"):
            entries.set_masks(entry_, [])
            db.session.commit()
            flash(_("The jury copy shows the whole drawing again."), "success")
            return redirect(url_for(".entry", entry_id=entry_id))
        if not form.validate_on_submit():
            return entry(entry_id, mask_form=form, status=422)
        box = (form.x.data / 100, form.y.data / 100, form.w.data / 100, form.h.data / 100)
        entries.set_masks(entry_, [*map(tuple, entry_.jury_masks), box])
    except ModerationClosed:
        return entry(entry_id, status=409)
    except EntryError as e:
        errors.show(e, form)
        return entry(entry_id, mask_form=form, status=422)
    db.session.commit()
    flash(_("The area is hidden on the jury's copy. The original is unchanged."), "success")
    return redirect(url_for(".entry", entry_id=entry_id))


@bp.get("/entries/<int:entry_id>/personal-data.json")
@organizer_required
def export_personal(entry_id: int):
    """Everything stored about one child, for a parent's request (organizers only)."""
    entry_ = access.moderated_entry_or_404(entry_id)
    body = json.dumps(entries.personal_data(entry_), ensure_ascii=False, indent=2)
    return body, 200, {"Content-Type": "application/json; charset=utf-8",
                       "Content-Disposition": f"attachment; filename=entry-{entry_.id}.json"}


@bp.post("/entries/<int:entry_id>/erase")
@organizer_required
def erase(entry_id: int):
    """Delete a child's personal data on request; the drawing's scores and counts stay."""
    entry_ = access.moderated_entry_or_404(entry_id)
    withdrawn = entries.erase_personal_data(entry_)
    flash(_("The child's personal data has been deleted."), "success")
    if withdrawn.get("exports_withdrawn") or withdrawn.get("jobs_withdrawn"):
        flash(_("Files that held the child (calendar exports, certificate batches) were "
                "withdrawn: make them again."), "info")
    return redirect(url_for(".queue", stage=entry_.stage_id, status="all"))
