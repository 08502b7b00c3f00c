"""Defaults for every installation; the instance folder's ``config.py`` and the
environment (``SECRET_KEY``, ``DATABASE_URL``, ``UPLOAD_FOLDER``, ...) override them."""

import os
from datetime import timedelta

from babel import Locale

from calendar_builder import DEFAULT_LANGUAGE, LANGUAGES  # the app speaks what it prints

# Each language in its own words, for the language switch and the forms: Русский, English.
LANGUAGE_NAMES = {code: Locale.parse(code).display_name.capitalize() for code in LANGUAGES}


class Defaults:
    SECRET_KEY = "dev"  # replaced by instance/config.py or the SECRET_KEY variable
    SQLALCHEMY_ENGINE_OPTIONS = {"pool_pre_ping": True}
    BABEL_DEFAULT_LOCALE = DEFAULT_LANGUAGE
    BABEL_DEFAULT_TIMEZONE = "Europe/Moscow"
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # "Keep me signed in" for a month, not Flask-Login's year; signing out, a new password,
    # deactivation or "sign out everywhere" end it sooner (contest/accounts.py).
    REMEMBER_COOKIE_DURATION = timedelta(days=30)
    PERMANENT_SESSION_LIFETIME = 60 * 60 * 12
    # Request bodies (contest/security.py): MAX_CONTENT_LENGTH at most, a school's batch
    # BATCH_MAX_BYTES (300 phone photos of 3 MB; spooled to disk, processed one at a time);
    # each file to its own cap; forms without files to FORM_MAX_BYTES. Larger bodies are
    # refused before they are read.
    MAX_CONTENT_LENGTH = 200 * 1024 * 1024
    BATCH_MAX_BYTES = 1024 * 1024 * 1024
    UPLOAD_MAX_BYTES = 25 * 1024 * 1024
    SHEET_MAX_BYTES = 5 * 1024 * 1024
    FORM_MAX_BYTES = 1024 * 1024
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    # A rate-limit Redis that is down must not take sign-in and submission with it: count in
    # this process's memory meanwhile (logged), and never fail a request over a counter.
    RATELIMIT_IN_MEMORY_FALLBACK_ENABLED = True
    RATELIMIT_SWALLOW_ERRORS = True
    RATELIMIT_STORAGE_OPTIONS = {"socket_connect_timeout": 1, "socket_timeout": 1}
    # Wrong passwords per account and address together, then per account (looser; a browser
    # the account signed in from before does not share it). See contest/security.py.
    LOGIN_RATE_LIMIT = "10 per minute;50 per hour"
    LOGIN_ACCOUNT_RATE_LIMIT = "60 per hour;200 per day"
    # How many reverse proxies in front of the app set X-Forwarded-For (nginx: 1).
    TRUSTED_PROXIES = 0
    # Receipts from the public form to one e-mail address in 24 hours; more are not sent.
    MAIL_RECEIPTS_PER_DAY = 5
    DEMO_MODE = False
    MAIL_SERVER = None  # when unset, emails are written to instance/outbox/
    MAIL_PORT = 25
    MAIL_USE_TLS = False  # STARTTLS on a plain connection (port 587)
    MAIL_USE_SSL = False  # TLS from the first byte (port 465)
    MAIL_USERNAME = None
    MAIL_PASSWORD = None
    MAIL_SENDER = "contest@localhost"
    MAIL_REPLY_TO = None  # where answers go, e.g. the organizers' own mailbox
    MAIL_TIMEOUT_SECONDS = 20
    # Tries of a message before it is marked failed; the wait after the first failed try,
    # four times longer after each next one (1, 4, 16, 64, 256 minutes).
    MAIL_MAX_ATTEMPTS = 6
    MAIL_RETRY_SECONDS = 60
    # A failed message's content is kept this long, for the organizers' "send again".
    MAIL_FAILED_KEEP_DAYS = 7
    # A link to choose a password: an invitation's lifetime, a forgotten password's.
    INVITATION_DAYS = 5
    PASSWORD_RESET_HOURS = 2
    # Password links, and lost tracking codes, sent to one address per hour; more are not.
    MAIL_LINKS_PER_HOUR = 3
    PUBLIC_URL = "http://127.0.0.1:5000"  # for links in emails sent outside a request
    STORAGE_CACHE_FOLDER = None  # local copies of drawings from S3 for the calendar (instance/…)
    # Rendered public pages (contest/public_pages.py), shared by the app's workers: a folder
    # (instance/cache) by default; Redis with CACHE_REDIS_URL, for several app servers.
    CACHE_TYPE = "FileSystemCache"
    CACHE_DIR = None  # instance/cache
    CACHE_THRESHOLD = 2000  # pages kept at most in the folder
    JOBS_URL = None  # the job queue: a SQLite file (instance/jobs.db) or redis://…
    JOBS_NAME = "contest"  # the queue's name, for several sites on one Redis
    JOBS_WORK_FOLDER = None  # scratch space of running jobs (instance/jobs-work)
    # A stage's results with this many entries or more are exported by the worker, with a
    # progress page, instead of while the person waits.
    EXPORT_IN_BACKGROUND_FROM = 2000
    JOBS_MAX_ATTEMPTS = 3  # tries of a job whose worker keeps dying, before it is failed
    JOBS_HEARTBEAT_SECONDS = 10  # how often a worker says it is alive and looks for dead ones
    JOBS_STALE_SECONDS = 60  # a running job silent this long has lost its worker
    # The printer's own CMYK ICC profile and total ink limit per paper ("coated",
    # "uncoated"), for CMYK calendar exports; unset, the shipped FOGRA39/FOGRA29 profiles
    # and 300 % / 260 % are used.
    CALENDAR_PRINTER_PROFILES: dict[str, str] = {}
    CALENDAR_INK_LIMITS: dict[str, float] = {}


def from_environment() -> dict:
    """Settings given as environment variables, for containers and production."""
    names = ("SECRET_KEY", "DATABASE_URL", "UPLOAD_FOLDER", "STORAGE_URL", "S3_ENDPOINT_URL",
             "MAIL_SERVER", "MAIL_USERNAME", "MAIL_PASSWORD", "MAIL_SENDER", "MAIL_REPLY_TO",
             "RATELIMIT_STORAGE_URI", "PUBLIC_URL", "JOBS_URL", "CACHE_REDIS_URL", "CACHE_DIR")
    found = {name: os.environ[name] for name in names if os.environ.get(name)}
    if "DATABASE_URL" in found:
        found["SQLALCHEMY_DATABASE_URI"] = _sqlalchemy_url(found.pop("DATABASE_URL"))
    if "CACHE_REDIS_URL" in found:  # a store that is down costs a page 1 s at most
        found |= {"CACHE_TYPE": "RedisCache",
                  "CACHE_OPTIONS": {"socket_connect_timeout": 1, "socket_timeout": 1}}
    for name in ("MAIL_PORT", "TRUSTED_PROXIES"):
        if os.environ.get(name):
            found[name] = int(os.environ[name])
    for name in ("DEMO_MODE", "MAIL_USE_TLS", "MAIL_USE_SSL", "SESSION_COOKIE_SECURE"):
        if os.environ.get(name):
            found[name] = os.environ[name] not in ("0", "false", "no", "")
    # Behind TLS the "remember me" cookie is as secret as the session's.
    if "SESSION_COOKIE_SECURE" in found:
        found["REMEMBER_COOKIE_SECURE"] = found["SESSION_COOKIE_SECURE"]
    return found


def _sqlalchemy_url(url: str) -> str:
    # Hosting platforms hand out postgres:// URLs; SQLAlchemy wants the psycopg 3 driver named.
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix):]
    return url
