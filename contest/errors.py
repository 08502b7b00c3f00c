"""Error pages in the visitor's language."""

from contextlib import suppress

from flask import Flask, current_app, g, render_template
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


def init_app(app: Flask) -> None:
    for code in MESSAGES:
        if code in (500, 503):
            continue
        app.register_error_handler(code, lambda e, code=code: render_error(code))

    @app.errorhandler(CSRFError)
    def csrf_error(e):
        return render_error(400, _l("The form expired or was sent twice. Please reload the page "
                                    "and send it again."))

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
