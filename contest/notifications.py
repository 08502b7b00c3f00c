"""Messages to families, in the language they submitted in."""

from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import gettext as _

from . import mail
from .codes import format_code
from .config import DEFAULT_LANGUAGE
from .models import Entry


def submitted(entry: Entry) -> None:
    """Confirm receipt, with the tracking code and the status page's address."""
    _send(entry, "mail/submitted.txt",
          lambda: _("Your drawing “%(title)s” has been received", title=entry.title))


def status_changed(entry: Entry) -> None:
    _send(entry, "mail/status.txt",
          lambda: _("News about the drawing “%(title)s”", title=entry.title))


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
