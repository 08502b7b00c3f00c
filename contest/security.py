"""What keeps a public, anonymous site safe from what people send it.

- Response headers keep the pages of a children's contest private to the app: the status
  page's address holds the family's tracking code, so ``Referrer-Policy`` keeps it from other
  sites; pages are never framed (clickjacking); scripts come only from the app; staff pages,
  the families' pages and every personal download are never cached.
- Behind a reverse proxy, ``TRUSTED_PROXIES`` says how many proxies set ``X-Forwarded-For``
  and ``X-Forwarded-Proto`` (werkzeug's ``ProxyFix``), so the rate limits and the audit log
  see each visitor's own address, not the proxy's.
- No address a person can type reaches the database with a number it cannot hold: ids in
  paths and numbers in query strings are bounded (``MAX_ID``), and every ``next`` link is
  checked by ``local_url``.
- Sign-in: wrong passwords are counted per account and address together, and more loosely
  per account; a browser the account has signed in from before is spared the per-account
  limit, so an attacker elsewhere cannot lock its owner out.
- The instance folder (secret key, SQLite database, outbox, uploads) is private to the user
  the app runs as, and a short ``SECRET_KEY`` is refused outside tests.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from urllib.parse import urlsplit

from flask import Flask, Request, current_app, request
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import text
from .extensions import limiter

CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",  # a few computed style attributes (bars, masks)
    "img-src 'self' data: blob:",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
])

HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Permissions-Policy": "camera=(self), geolocation=(), microphone=()",
}
PRIVATE = "private, no-store"
# Pages and files that belong to one family: the status page, its drawing and certificate,
# and the submission pages (a batch's codes).
FAMILY_PATHS = ("/status/", "/submit")

# The largest id or number a query may carry: PostgreSQL's INTEGER (SQLite's is larger).
MAX_ID = 2**31 - 1
MAX_NEXT_LENGTH = 2000
MIN_SECRET_KEY_LENGTH = 32
DEVICE_COOKIE = "signed_in_before"
DEVICE_DAYS = 180


# --- numbers in addresses ---------------------------------------------------------------------


class IdConverter(IntegerConverter):
    """``<int:...>`` in every route: a positive number PostgreSQL can hold; anything longer or
    larger matches no route, so it is a 404 instead of an overflow in the database."""

    def __init__(self, map, fixed_digits=0, min=None, max=None, signed=False):  # noqa: A002
        super().__init__(map, fixed_digits=fixed_digits, min=min,
                         max=MAX_ID if max is None else max, signed=signed)
        self.regex = r"\d{1,10}"


def bounded_int(value: str) -> int:
    """``int(value)`` for ``request.args.get(name, type=int)``: a ValueError (so the default is
    used) when the number would not fit a database integer."""
    number = int(value)
    if not -MAX_ID <= number <= MAX_ID:
        raise ValueError(value)
    return number


class BoundedMultiDict(ImmutableMultiDict):
    """Query and form values where ``type=int`` means a number that fits the database."""

    def get(self, key, default=None, type=None):  # noqa: A002  (werkzeug's own signature)
        return super().get(key, default, bounded_int if type is int else type)

    def getlist(self, key, type=None):  # noqa: A002
        return super().getlist(key, bounded_int if type is int else type)


class ContestRequest(Request):
    """Flask's request, with bounded numbers and the text of every form normalised once
    (``text.clean_form``) before any view or form sees it."""

    parameter_storage_class = BoundedMultiDict

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = self.parameter_storage_class(text.clean_form(self.form))


def local_url(url: object) -> str | None:
    """``url`` if it is a path on this site that is safe to redirect to, else None.

    Every ``next`` (sign-in, language switch) goes through here: no other site, no
    scheme-relative ``//host`` or ``/\\host``, no line breaks or other control characters
    (which could split the ``Location`` header), nothing of absurd length.
    """
    if not isinstance(url, str) or not url.startswith("/") or len(url) > MAX_NEXT_LENGTH:
        return None
    if url.startswith(("//", "/\\")) or "\\" in url or not url.isprintable():
        return None
    parts = urlsplit(url)
    if parts.scheme or parts.netloc:
        return None
    return url


# --- sign-in ---------------------------------------------------------------------------------


def _account() -> str:
    return text.clean("email", request.form.get("email") or "").lower()


def _account_and_address() -> str:
    return f"{_account()}|{request.remote_addr or ''}"


def _failed(response) -> bool:
    # A sign-in that worked redirects; only failures count towards the limits.
    return response.status_code != 302


def _devices() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="sign-in-device")


def known_device() -> bool:
    """Whether this browser has signed in to the account named in the form before."""
    token = request.cookies.get(DEVICE_COOKIE)
    if not token:
        return False
    try:
        account = _devices().loads(token, max_age=DEVICE_DAYS * 86400)
    except BadSignature:
        return False
    return account == _account()


def remember_device(response, email: str):
    """Mark this browser as one ``email``'s owner signs in from (see ``known_device``)."""
    config = current_app.config
    response.set_cookie(DEVICE_COOKIE, _devices().dumps(email.lower()),
                        max_age=DEVICE_DAYS * 86400, httponly=True,
                        secure=config.get("SESSION_COOKIE_SECURE", False), samesite="Lax",
                        path="/auth/")
    return response


def throttle_sign_in(view):
    """The sign-in view's limits: wrong passwords per account and address together
    (``LOGIN_RATE_LIMIT``), a looser count per account that a browser known to the account
    does not share (``LOGIN_ACCOUNT_RATE_LIMIT``), and every attempt per address."""
    view = limiter.limit(lambda: current_app.config["LOGIN_RATE_LIMIT"], methods=["POST"],
                         key_func=_account_and_address, deduct_when=_failed,
                         scope="login-account-address")(view)
    view = limiter.limit(lambda: current_app.config["LOGIN_ACCOUNT_RATE_LIMIT"],
                         methods=["POST"], key_func=_account, deduct_when=_failed,
                         exempt_when=known_device, scope="login-account")(view)
    return limiter.limit("120 per hour", methods=["POST"], scope="login-address")(view)


# --- the instance folder ---------------------------------------------------------------------


def check_secret_key(app: Flask) -> None:
    """Refuse to start without a long secret key (tests may use a short one)."""
    key = app.config.get("SECRET_KEY") or ""
    if app.testing:
        return
    if key == "dev" or len(key) < MIN_SECRET_KEY_LENGTH:
        raise RuntimeError(
            f"SECRET_KEY is not set or shorter than {MIN_SECRET_KEY_LENGTH} characters: "
            "`make run` writes one to instance/config.py; in production give the SECRET_KEY "
            "environment variable a long random value (python -c 'import secrets; "
            "print(secrets.token_hex(32))').")


def keep_private(folder: Path | str) -> Path:
    """Create ``folder`` if needed and make it and the files directly in it private to this
    user (0700 and 0600): the secret key, the SQLite databases, the outbox's messages."""
    path = Path(folder)
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    _chmod(path, 0o700)
    for child in path.iterdir():
        if child.is_symlink():
            continue
        if child.is_file():
            _chmod(child, 0o600)
        elif child.is_dir():
            _chmod(child, 0o700)
    return path


def _chmod(path: Path, mode: int) -> None:
    info = path.stat()
    if info.st_uid == os.getuid() and stat.S_IMODE(info.st_mode) != mode:
        path.chmod(mode)


# --- wiring -----------------------------------------------------------------------------------


def init_app(app: Flask) -> None:
    """Bind all of the above to ``app``; call before the blueprints are registered (the
    ``int`` converter applies to routes added after it)."""
    app.url_map.converters["int"] = IdConverter
    app.request_class = ContestRequest
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.after_request
    def secure_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        personal = (current_user.is_authenticated or request.path.startswith(FAMILY_PATHS)
                    or "attachment" in response.headers.get("Content-Disposition", ""))
        if personal and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = PRIVATE
        return response
