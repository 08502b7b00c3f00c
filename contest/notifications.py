"""Messages to families, in the language they submitted in.

Anyone may type any e-mail address into the public form, so the receipt holds only the
contest's own text and the tracking code, never what the sender wrote, and one address gets
at most ``MAIL_RECEIPTS_PER_DAY`` receipts a day. Subjects never hold a visitor's text.
"""

from datetime import timedelta

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _
from sqlalchemy import func, select

from . import mail
from .codes import format_code
from .config import DEFAULT_LANGUAGE
from .extensions import db
from .models import Entry, utcnow


def submitted(entry: Entry) -> None:
    """Confirm receipt, with the tracking code and the status page's address."""
    if _receipts_today(entry.guardian_email) > current_app.config["MAIL_RECEIPTS_PER_DAY"]:
        current_app.logger.info("Receipt for entry %s not sent: daily limit of the address",
                                entry.id)
        return
    _send(entry, "mail/submitted.txt",
          lambda: _("Your drawing has been received: code %(code)s",
                    code=format_code(entry.code)))


def status_changed(entry: Entry) -> None:
    _send(entry, "mail/status.txt",
          lambda: _("News about your drawing: code %(code)s", code=format_code(entry.code)))


def _receipts_today(address: str) -> int:
    """Entries sent in the last 24 hours with this address: each was sent a receipt."""
    if not address:
        return 0
    return db.session.scalar(select(func.count(Entry.id)).where(
        Entry.guardian_email == address.lower(),
        Entry.submitted_at >= utcnow() - timedelta(days=1)))


def _send(entry: Entry, template: str, subject) -> None:
    if not entry.guardian_email or entry.contacts_purged_at:
        return
    if not has_request_context():  # the CLI or a background job: build links to PUBLIC_URL
        with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
            return _send(entry, template, subject)
    with force_locale(entry.locale or DEFAULT_LANGUAGE):
        body = render_template(template, entry=entry, code=format_code(entry.code),
                               status_url=url_for("submit.status", code=entry.code,
                                                  _external=True))
        mail.send(entry.guardian_email, subject(), body)
