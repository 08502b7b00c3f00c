"""Messages to families, in the language they submitted in.

Anyone may type any e-mail address into the public form, so the receipt holds only the
contest's own text and the tracking code, never what the sender wrote, and one address gets
at most ``MAIL_RECEIPTS_PER_DAY`` receipts a day. Subjects never hold a visitor's text, nor
the tracking code: a subject shows in every inbox list, phone notification and the
organizers' messages page; the code is in the body only.
Every message goes through ``mail.compose`` (queued, delivered by the job worker).
"""

from datetime import timedelta

from flask import current_app, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from . import mail, spreadsheets
from .codes import format_code
from .config import DEFAULT_LANGUAGE
from .extensions import db
from .models import Award, Entry, Stage, StageKind, utcnow
from .text import clean

REQUEST_SUBJECTS = {"withdraw": _l("Confirm: withdraw the drawing from the contest"),
                    "consents": _l("Confirm: change the consents"),
                    "erase": _l("Confirm: erase the child's data")}


def submitted(entry: Entry) -> None:
    """Confirm receipt, with the tracking code and the status page's address."""
    if _receipts_today(entry.guardian_email) > current_app.config["MAIL_RECEIPTS_PER_DAY"]:
        current_app.logger.info("Receipt for entry %s not sent: daily limit of the address",
                                entry.id)
        return
    _send(entry, "receipt", "submitted",
          _l("Your drawing has been received"))


def status_changed(entry: Entry) -> None:
    """A coordinator's decision; an accepted drawing's participation certificate is ready."""
    from .certificates import kind_of

    with mail.links():
        certificate = kind_of(entry)
        _send(entry, "status", "status",
              _l("News about your drawing"),
              certificate=certificate,
              certificate_url=url_for("submit.own_certificate", code=entry.code,
                                      _external=True) if certificate else "")


def results_published(stage: Stage) -> None:
    """A stage's results are out: each family of its drawings learns what became of theirs,
    with the link to the status page and, when one is ready, to the certificate or diploma
    (a link, never the file)."""
    from .certificates import kind_of
    from .judging.models import Placement

    national = stage.kind is StageKind.NATIONAL
    for entry in db.session.scalars(select(Entry).join(Placement, Placement.entry_id == Entry.id)
                                    .where(Placement.stage_id == stage.id).order_by(Entry.id)):
        if entry.award is Award.WINNER:
            outcome = "winner"
        elif entry.award is Award.FINALIST:
            outcome = "national_finalist" if national else "finalist"
        else:
            outcome = "participant"
        with mail.links():
            certificate = kind_of(entry)
            _send(entry, "results", "results",
                  _l("The national results are out")
                  if national else
                  _l("The regional results are out"),
                  outcome=outcome, national=national, certificate=certificate,
                  certificate_url=url_for("submit.own_certificate", code=entry.code,
                                          _external=True) if certificate else "")


def lost_codes(address: str) -> None:
    """'Lost your code?': the tracking codes of the drawings sent with ``address``, to that
    address. Says nothing to whoever asked (the page answers the same either way); an
    address gets ``MAIL_LINKS_PER_HOUR`` such messages an hour at most. The message holds
    the codes and the contest's own text only, never what the sender typed."""
    address = clean("email", address).lower()
    if not mail.deliverable(address):
        return
    found = db.session.scalars(select(Entry).where(
        func.lower(Entry.guardian_email) == address, Entry.contacts_purged_at.is_(None),
        Entry.personal_data_erased_at.is_(None)).order_by(Entry.submitted_at.desc())).all()
    if not found:
        return
    if mail.sent_recently(address, "codes", hours=1) >= current_app.config["MAIL_LINKS_PER_HOUR"]:
        current_app.logger.info("Lost codes not sent: hourly limit of the address")
        return
    with mail.links():
        drawings = [(format_code(e.code), e.contest.year, e.submitted_at, _status_url(e))
                    for e in found]
        mail.compose(address, "codes", "lost_codes", _l("Your drawings' tracking codes"),
                     language=found[0].locale or DEFAULT_LANGUAGE, drawings=drawings,
                     contest=found[0].contest)


def confirm_request(entry: Entry, action: str, link: str, days: int) -> None:
    """A family asked, from the status page, to withdraw the drawing, change the consents or
    erase the child's data: the link that confirms it (``contest.entries.family``)."""
    _send(entry, "family_request", "confirm_request", REQUEST_SUBJECTS[action], action=action,
          link=link, days=days)


def batch_codes(address: str, stored: list[Entry]) -> None:
    """A school's batch: the tracking codes by e-mail, one per line of its list, as a table
    for Excel (CSV). Only the line numbers, the codes and the status links: the address is
    whatever the sender typed, so nothing else the sender wrote goes into it. A few a day
    per address (``MAIL_RECEIPTS_PER_DAY``)."""
    address = clean("email", address).lower()
    if not stored or not mail.deliverable(address):
        return
    if mail.sent_recently(address, "batch_codes", hours=24) >= current_app.config[
            "MAIL_RECEIPTS_PER_DAY"]:
        current_app.logger.info("Batch codes not sent: daily limit of the address")
        return
    language = stored[0].locale or DEFAULT_LANGUAGE
    with mail.links(), force_locale(language):
        rows = [(_("Line of the list"), _("Tracking code"), _("Status page"))]
        rows += [(n, format_code(e.code), _status_url(e)) for n, e in enumerate(stored, start=1)]
        table = spreadsheets.to_csv(rows)
        mail.compose(address, "batch_codes", "batch_codes",
                     _l("The tracking codes of your class's drawings"), language=language,
                     attachment=(f"codes-{stored[0].contest.year}.csv", table),
                     contest=stored[0].contest, count=len(stored))


def _receipts_today(address: str) -> int:
    """Entries sent in the last 24 hours with this address: each was sent a receipt."""
    if not address:
        return 0
    return db.session.scalar(select(func.count(Entry.id)).where(
        Entry.guardian_email == address.lower(),
        Entry.submitted_at >= utcnow() - timedelta(days=1)))


def _send(entry: Entry, kind: str, template: str, subject, **context) -> None:
    if not entry.guardian_email or entry.contacts_purged_at:
        return
    with mail.links():
        mail.compose(entry.guardian_email, kind, template, subject,
                     language=entry.locale or DEFAULT_LANGUAGE, entry=entry,
                     contest=entry.contest, code=format_code(entry.code),
                     status_url=_status_url(entry), **context)


def _status_url(entry: Entry) -> str:
    return url_for("submit.status", code=entry.code, _external=True)
