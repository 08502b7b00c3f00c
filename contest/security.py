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
- Request bodies are refused by their declared length (``Content-Length``) before anything is
  read, and by their actual length while they are read: a view takes files only when it says
  so (``accepts_files``), each file up to its own cap, written to a temporary file 64 KB at a
  time, the whole body within ``MAX_CONTENT_LENGTH`` (a school's batch: ``BATCH_MAX_BYTES``);
  every other request up to ``FORM_MAX_BYTES``.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from tempfile import SpooledTemporaryFile
from urllib.parse import urlsplit

from flask import Flask, Request, current_app, request
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from itsdangerous import BadSignature, URLSafeTimedSerializer
from werkzeug.datastructures import ImmutableMultiDict
from werkzeug.exceptions import RequestEntityTooLarge
from werkzeug.formparser import FormDataParser, MultiPartParser
from werkzeug.middleware.proxy_fix import ProxyFix
from werkzeug.routing import IntegerConverter

from . import codes, text
from .errors import render_error
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


# --- request bodies ---------------------------------------------------------------------------

MB = 1024 * 1024


def accepts_files(*, max_body: str | int = "MAX_CONTENT_LENGTH", **caps: str | int):
    """Declare the files a view takes: field name -> the most bytes of that file, as a number
    or the name of a setting (``image="UPLOAD_MAX_BYTES"``). Any other file is refused.

    ``max_body`` is the whole body's ceiling (a number or a setting's name): the school's batch
    alone is given more than ``MAX_CONTENT_LENGTH``, as its files are spooled to disk and its
    images processed one at a time."""

    def decorator(view):
        view.accepted_files = caps
        view.max_body = max_body
        return view

    return decorator


class UploadTooLarge(RequestEntityTooLarge):
    """A request body or one of its files over its cap; ``message`` says the cap."""

    def __init__(self, limit: int) -> None:
        super().__init__()
        self.message = _l("The upload is larger than we accept here (%(mb)s MB at most). "
                          "Please send a smaller file.", mb=max(1, round(limit / MB)))


class _CappedFile(SpooledTemporaryFile):
    """Where werkzeug writes one uploaded file: in memory up to 512 KB, then on disk; refused
    (413) as soon as more than ``cap`` bytes have come."""

    def __init__(self, cap: int) -> None:
        super().__init__(max_size=512 * 1024, mode="w+b")
        self.cap, self.written = cap, 0

    def write(self, data) -> int:
        self.written += len(data)
        if self.written > self.cap:
            raise UploadTooLarge(self.cap)
        return super().write(data)


class _CappedMultiPartParser(MultiPartParser):
    def __init__(self, caps: dict[str, int], **kwargs) -> None:
        super().__init__(**kwargs)
        self.caps = caps
        self.opened: list[_CappedFile] = []

    def start_file_streaming(self, event, total_content_length):
        file = _CappedFile(self.caps.get(event.name, 0))
        self.opened.append(file)
        return file

    def parse(self, stream, boundary, content_length):
        try:
            return super().parse(stream, boundary, content_length)
        except BaseException:
            for file in self.opened:  # a refused request leaves no temporary file open
                file.close()
            raise


class _CappedFormDataParser(FormDataParser):
    """werkzeug's parser, with each file field held to its own cap while it is read."""

    def __init__(self, caps: dict[str, int], **kwargs) -> None:
        super().__init__(**kwargs)
        self.caps = caps

    def _parse_multipart(self, stream, mimetype, content_length, options):
        parser = _CappedMultiPartParser(
            self.caps, max_form_memory_size=self.max_form_memory_size,
            max_form_parts=self.max_form_parts, cls=self.cls)
        boundary = options.get("boundary", "").encode("ascii")
        if not boundary:
            raise ValueError("Missing boundary")
        form, files = parser.parse(stream, boundary, content_length)
        return stream, form, files


class ContestRequest(Request):
    """Flask's request, with bounded numbers, bodies and files (``accepts_files``), and the
    text of every form normalised once (``text.clean_form``) before any view sees it."""

    parameter_storage_class = BoundedMultiDict

    def _view(self):
        return current_app.view_functions.get(self.endpoint or "")

    def file_caps(self) -> dict[str, int]:
        """The files this request's view accepts: field name -> most bytes."""
        return {name: _setting(cap)
                for name, cap in getattr(self._view(), "accepted_files", {}).items()}

    @property
    def max_content_length(self) -> int:
        """The most bytes this request's body may have: its view's files and a form, within
        the view's ``max_body`` (``MAX_CONTENT_LENGTH`` unless it says otherwise)."""
        ceiling = _setting(getattr(self._view(), "max_body", "MAX_CONTENT_LENGTH"))
        return min(ceiling, sum(self.file_caps().values()) + current_app.config["FORM_MAX_BYTES"])

    def make_form_data_parser(self) -> FormDataParser:
        return _CappedFormDataParser(
            self.file_caps(), stream_factory=self._get_file_stream,
            max_form_memory_size=self.max_form_memory_size,
            max_content_length=self.max_content_length,
            max_form_parts=self.max_form_parts, cls=self.parameter_storage_class)

    def _load_form_data(self) -> None:
        super()._load_form_data()
        self.__dict__["form"] = self.parameter_storage_class(text.clean_form(self.form))


def _setting(cap: str | int) -> int:
    return int(current_app.config[cap] if isinstance(cap, str) else cap)


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
    codes.keep_codes_out_of_logs(app.logger)
    proxies = int(app.config.get("TRUSTED_PROXIES") or 0)
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies)

    @app.errorhandler(UploadTooLarge)
    def upload_too_large(error):
        return render_error(413, error.message)

    @app.after_request
    def secure_headers(response):
        for name, value in HEADERS.items():
            response.headers.setdefault(name, value)
        personal = (current_user.is_authenticated or request.path.startswith(FAMILY_PATHS)
                    or "attachment" in response.headers.get("Content-Disposition", ""))
        if personal and "no-store" not in response.headers.get("Cache-Control", ""):
            response.headers["Cache-Control"] = PRIVATE
        return response
