"""Error pages in the visitor's language, and the one error a broken rule raises.

``RuleError`` is the app's only domain error: an operation refuses a change with a message
in the person's language and, when the refusal is about form fields, a message per field.
The other refusals (``AccountError``, ``BatchError``, ``EntryError``, ``FamilyRequestError``)
are its subclasses, named for where they come from. A view shows any of them with ``show``.
Errors that only a programmer can cause (an unknown job kind, a slot number no page sends)
stay ``ValueError``; what a person can cause never does.
"""

from collections.abc import Mapping
from contextlib import suppress

from flask import Flask, current_app, flash, g, render_template
from flask_babel import lazy_gettext as _l
from flask_login import AnonymousUserMixin
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import InterfaceError, OperationalError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from .extensions import db

MESSAGES = {
    400: (_l("Bad request"),
          _l("The request could not be understood. Please go back and try again.")),
    403: (_l("Access denied"), _l("You do not have permission to open this page.")),
    404: (_l("Page not found"),
          _l("There is no such page. Check the address or go to the home page.")),
    405: (_l("Not allowed"), _l("This action is not allowed here.")),
    410: (_l("No longer available"), _l("This file is no longer available.")),
    413: (_l("File too large"),
          _l("The upload is larger than we accept. Please send a smaller file.")),
    429: (_l("Too many attempts"), _l("Too many attempts. Please wait a minute and try again.")),
    503: (_l("Temporarily unavailable"),
          _l("The site cannot reach its database right now. Nothing you entered was saved "
             "halfway; please try again in a minute.")),
    500: (_l("Something went wrong"),
          _l("An error occurred on our side. Please try again in a few minutes.")),
}


class RuleError(Exception):
    """A rule refused the change. ``message`` says why, in the person's language; ``errors``
    maps form field names to their own messages ("" for the whole form).

    ``RuleError(message, ...)`` refuses with messages about no field, or about ``field``
    when it is given; ``RuleError(errors={name: message})`` refuses field by field.
    """

    def __init__(self, *messages, field: str | None = None,
                 errors: Mapping[str, object] | None = None):
        self.messages = [str(m) for m in messages]
        self.field = field  # the form field the messages are about, when there is one
        self.errors = {name: str(m) for name, m in (errors or {}).items()}
        if field is not None and self.messages:
            self.errors.setdefault(field, " ".join(self.messages))
        self.message = " ".join(self.messages or self.errors.values())
        super().__init__(*(self.messages or self.errors.values()))


def show(error: RuleError, form=None, default=None, category: str = "error") -> None:
    """Show a refusal: each message beside its field of ``form``; a message about no field of
    the form beside ``default`` (one of its fields) or, without one, flashed."""

    def say(name: str | None, message: str) -> None:
        field = form[name] if form is not None and name and name in form else default
        if field is None:
            flash(message, category)
        else:
            field.errors = [*field.errors, message]

    for name, message in error.errors.items():
        if name != error.field or not error.messages:
            say(name, message)
    for message in error.messages:
        say(error.field, message)


def render_error(code: int, message=None):
    title, text = MESSAGES.get(code, MESSAGES[500])
    return render_template("error.html", code=code, title=title,
                           message=message or text), code


# how long a client or proxy should wait before asking again after a 503
RETRY_AFTER_SECONDS = 30


def render_unavailable(message=None):
    """503 with ``Retry-After``: a dependency (database, job queue) is away for a while."""
    body, code = render_error(503, message)
    return body, code, {"Retry-After": str(RETRY_AFTER_SECONDS)}


# A form whose CSRF token is missing, expired or of another session.
FORM_EXPIRED = _l("The form expired or was sent twice. Please reload the page and send it again.")


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        if code in (500, 503):
            continue
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return render_error(400, FORM_EXPIRED)

    @app.errorhandler(500)
    def server_error(e):
        db.session.rollback()
        return render_error(500)

    @app.errorhandler(OperationalError)
    @app.errorhandler(InterfaceError)
    @app.errorhandler(PoolTimeout)
    def database_unavailable(e):
        current_app.logger.error("Database unavailable: %s", e, exc_info=e)
        with suppress(Exception):  # the connection is gone; the pool replaces it later
            db.session.rollback()
        # Who is signed in lives in the database too: show the page as to a visitor.
        g._login_user = AnonymousUserMixin()
        return render_unavailable()
