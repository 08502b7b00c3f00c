"""Pages every anonymous visitor sees alike (the contest's rules, the privacy notice, results,
the gallery) are kept once rendered, so a crowd of visitors costs no query and no template.

- ``cached_publicly`` marks such a page ``Cache-Control: public, max-age=PUBLIC_PAGE_SECONDS``
  with an ETag (then a 304 without the page while it is unchanged), so browsers and proxies
  keep it, unless the visitor is signed in or the page carries a message kept in the session.
- ``PublicPageStore``, in front of the app, keeps what the app marked so, per page and language,
  in Flask-Caching's store shared by every worker: a folder in ``instance/`` by default, Redis
  with ``CACHE_REDIS_URL`` (needed with several app servers). A visitor who is not signed in
  gets the kept page without the app being asked; anyone else is answered by the app.
- Each kept page is tagged with the *generation* of the public data it was rendered from. A
  commit that changes what these pages show (``shown_models``: an entry's status, award or
  consents, an edition, a published result, ...) starts a new generation, so the store never
  serves a page older than the data: a withdrawn consent or an erased child leaves the site's
  pages at once, and proxies' copies within ``PUBLIC_PAGE_SECONDS``.
- The store is a help, never a dependency: when it cannot be reached, pages are rendered as if
  it were not there, and the failure is logged.
"""

from __future__ import annotations

import hashlib
import secrets
from collections.abc import Iterable
from functools import wraps

from flask import Flask, current_app, g, has_app_context, make_response, request, session
from flask_login import current_user
from itsdangerous import BadSignature
from sqlalchemy import event
from sqlalchemy.orm import ORMExecuteState, Session
from werkzeug.http import parse_cookie, parse_etags, unquote_etag

from .extensions import cache

# Results and the gallery change a few times a year; browsers and proxies keep a page this
# long before asking again (a family's changed consent reaches them within it).
PUBLIC_PAGE_SECONDS = 120
PUBLIC = f"public, max-age={PUBLIC_PAGE_SECONDS}"
CHANGED = "public_pages.changed"  # in a database session's info: a flush changed shown data
# Session keys that make a page someone's own: a signed-in person, a message waiting for them.
PERSONAL = ("_user_id", "_flashes", "_remember")


def cached_publicly(view):
    """Mark the view's page public (use on views whose page is the same for every anonymous
    visitor in a language)."""
    @wraps(view)
    def wrapped(*args, **kwargs):
        response = make_response(view(*args, **kwargs))
        # A page that holds the visitor's CSRF token (a form) is theirs alone.
        if (response.status_code == 200 and not current_user.is_authenticated
                and not session.modified and "csrf_token" not in g):
            response.headers["Cache-Control"] = PUBLIC
            response.add_etag()
            response.make_conditional(request)
        return response

    return wrapped


class PublicPageStore:
    """WSGI middleware: the app's public pages answered from the store (see the module)."""

    def __init__(self, app: Flask):
        self.app, self.wsgi_app = app, app.wsgi_app
        self.serializer = app.session_interface.get_signing_serializer(app)
        # Sites on other databases never share a page, even in one Redis or folder.
        self.site = "public:" + hashlib.sha256(
            app.config["SQLALCHEMY_DATABASE_URI"].encode()).hexdigest()[:12]

    def __call__(self, environ: dict, start_response):
        key = self._key(environ)
        if key is None:
            return self.wsgi_app(environ, start_response)
        found = self._read(self.site, key)
        if found is None:  # the store is down: the app answers, as if it were not there
            return self.wsgi_app(environ, start_response)
        generation, kept = found
        if kept is not None and generation is not None and kept[0] == generation:
            return self._answer(environ, start_response, *kept[1:])
        if generation is None:  # the store is new, or was emptied
            generation = self.renew()
        answered = []
        body = self.wsgi_app(environ, lambda status, headers, *exc: answered.append(
            (status, headers)) or start_response(status, headers, *exc))
        if not (generation and answered and environ["REQUEST_METHOD"] == "GET"
                and answered[-1][0].startswith("200 ") and _marked_public(answered[-1][1])):
            return body
        try:
            content = b"".join(body)
        finally:
            if hasattr(body, "close"):
                body.close()
        self._keep(key, (generation, answered[-1][1], content))
        return [content]

    def _key(self, environ: dict) -> str | None:
        """The store's key for this request's page (its path and the visitor's language), or
        None when the app must answer: not a GET, a query string (anyone could make endless
        ones), a signed-in visitor or a message waiting in their session."""
        if environ["REQUEST_METHOD"] not in ("GET", "HEAD") or environ.get("QUERY_STRING"):
            return None
        config = self.app.config
        cookies = parse_cookie(environ)
        if config.get("REMEMBER_COOKIE_NAME", "remember_token") in cookies:
            return None
        language = ""
        if config["SESSION_COOKIE_NAME"] in cookies:
            try:
                kept = self.serializer.loads(cookies[config["SESSION_COOKIE_NAME"]], max_age=int(
                    self.app.permanent_session_lifetime.total_seconds()))
            except BadSignature:
                return None
            if any(name in kept for name in PERSONAL):
                return None
            language = kept.get("lang", "")
        return f"{self.site}:{language}:{environ.get('PATH_INFO', '')}"

    def renew(self) -> str | None:
        """Start a new generation of the public data: every kept page is rendered anew."""
        generation = secrets.token_hex(8)
        try:
            self.app.extensions["cache"][cache].set(self.site, generation, timeout=0)
        except Exception:  # pages already kept expire within PUBLIC_PAGE_SECONDS
            self.app.logger.warning("Public page store unreachable; pages not renewed",
                                    exc_info=True)
            return None
        return generation

    def _answer(self, environ, start_response, headers, content: bytes) -> Iterable[bytes]:
        etag = next((value for name, value in headers if name == "ETag"), None)
        if etag and parse_etags(environ.get("HTTP_IF_NONE_MATCH")).contains_weak(
                unquote_etag(etag)[0]):
            start_response("304 NOT MODIFIED", [(name, value) for name, value in headers
                                                if name not in ("Content-Length", "Content-Type")])
            return []
        start_response("200 OK", headers)
        return [] if environ["REQUEST_METHOD"] == "HEAD" else [content]

    def _read(self, *keys: str) -> list | None:
        try:
            return self.app.extensions["cache"][cache].get_many(*keys)
        except Exception:
            self.app.logger.warning("Public page store unreachable", exc_info=True)
            return None

    def _keep(self, key: str, value: tuple) -> None:
        try:
            self.app.extensions["cache"][cache].set(key, value, timeout=PUBLIC_PAGE_SECONDS)
        except Exception:
            self.app.logger.warning("Public page store unreachable", exc_info=True)


def _marked_public(headers: list[tuple[str, str]]) -> bool:
    return (("Cache-Control", PUBLIC) in headers
            and not any(name == "Set-Cookie" for name, _value in headers))


# --- what the pages show, and when it changes -------------------------------------------------

def shown_models() -> tuple[type, ...]:
    """The rows public pages are made of: a committed change to one starts a new generation."""
    from .judging.models import Placement, StageResult
    from .models import AgeCategory, Consent, Contest, Criterion, Entry, Fact, Region, Stage

    return (Region, Contest, AgeCategory, Criterion, Stage, Entry, Consent, Placement,
            StageResult, Fact)


def _note_changes(session_: Session, _context) -> None:
    from .models import Entry

    # A new entry is on no public page yet (a changed consent is a new row: it counts).
    changed = [*(o for o in session_.new if not isinstance(o, Entry)), *session_.dirty,
               *session_.deleted]
    if any(isinstance(o, shown_models()) for o in changed):
        session_.info[CHANGED] = True


def _note_bulk_changes(state: ORMExecuteState) -> None:
    """``update(Entry)…`` and ``delete(…)`` statements change rows without loading them."""
    if (state.is_update or state.is_delete) and state.bind_mapper is not None \
            and issubclass(state.bind_mapper.class_, shown_models()):
        state.session.info[CHANGED] = True


def _new_generation_after_commit(session_: Session) -> None:
    # Left set by a rollback, the mark only renews the pages once more at the next commit.
    if session_.info.pop(CHANGED, False) and has_app_context():
        current_app.extensions["public_pages"].renew()


def init_app(app: Flask) -> None:
    cache.init_app(app)
    app.wsgi_app = app.extensions["public_pages"] = PublicPageStore(app)
    if not event.contains(Session, "after_flush", _note_changes):
        event.listen(Session, "after_flush", _note_changes)
        event.listen(Session, "do_orm_execute", _note_bulk_changes)
        event.listen(Session, "after_commit", _new_generation_after_commit)
