"""People who sign in: creating accounts, passwords, where each role starts."""

from __future__ import annotations

import hashlib
import hmac
import secrets
import time
from datetime import UTC, datetime, timedelta
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from itsdangerous import BadData, URLSafeTimedSerializer
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from . import audit, mail
from .errors import RuleError
from .extensions import db
from .models import Region, Role, Stage, User, new_session_token, utcnow
from .text import clean

DEMO_PASSWORD = "demo-password"


class AccountError(RuleError):
    """The account cannot be created as asked; the message says why."""


@cache
def _unknown_account_hash() -> str:
    # Hashed the same way as real passwords, so checking it costs the same time.
    return generate_password_hash(secrets.token_hex(16))


def authenticate(email: str, password: str) -> User | None:
    """The active account with this e-mail and password, or None.

    An unknown address costs the same password check as a known one, so the time of the
    answer does not tell whether an account exists.
    """
    email = clean("email", email).lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None:
        check_password_hash(_unknown_account_hash(), password)
        return None
    return user if user.check_password(password) and user.active else None


def generate_password() -> str:
    """A password to hand over once: 4 groups of letters and digits, easy to type on a phone."""
    alphabet = "abcdefghjkmnpqrstuvwxyz23456789"
    return "-".join("".join(secrets.choice(alphabet) for _ in range(4)) for _ in range(4))


def email_taken(email: str) -> bool:
    return db.session.scalar(
        select(User.id).where(func.lower(User.email) == email.strip().lower())) is not None


def create_user(name: str, email: str, role: Role, password: str | None = None,
                region: Region | None = None, stage: Stage | None = None,
                must_change_password: bool = False) -> User:
    """Create an account. Without ``password`` the person is sent an invitation to choose
    one (``invite``); with it (the command line's first organizer, the demo) it is set."""
    name, email = clean("name", name), clean("email", email).lower()
    try:
        validate_email(email, check_deliverability=False)
    except EmailNotValidError as e:
        raise AccountError(_l("This does not look like an email address.")) from e
    if not name:
        raise AccountError(_l("Please fill this in."))
    if email_taken(email):
        raise AccountError(_l("An account with this email already exists."))
    if role is Role.COORDINATOR and region is None:
        raise AccountError(_l("A regional coordinator needs a region."))
    if role is Role.JUROR and stage is None:
        raise AccountError(_l("A juror needs a stage to judge."))
    user = User(name=name, email=email, role=role,
                region=region if role is Role.COORDINATOR else None,
                must_change_password=must_change_password)
    user.set_password(password or secrets.token_urlsafe(32))
    if role is Role.JUROR:
        user.juror_stages.append(stage)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, contest_id=stage.contest_id if stage else None,
                 role=role.value, email=email, stage=stage.id if stage else None)
    if password is None:
        invite(user)
    return user


# --- links to choose a password ------------------------------------------------------------
#
# An invitation and a forgotten password's link are the same kind of token: signed with the
# secret key, dated, and bound to a fingerprint of the account's password hash. Choosing a
# password changes the hash, so a link works once; a new invitation changes the (unknown)
# placeholder password, so the older link stops working too.

INVITATION = "invitation"
RESET = "reset"


def _links() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-link")


def _fingerprint(user: User) -> str:
    return hashlib.sha256(user.password_hash.encode()).hexdigest()[:24]


def password_link(user: User, purpose: str) -> str:
    """The address of the page where ``user`` chooses a password (``purpose``: INVITATION
    or RESET); it works once, until the password changes, for the purpose's lifetime."""
    token = _links().dumps({"u": user.id, "p": purpose, "h": _fingerprint(user)})
    return url_for("auth.set_password", token=token, _external=True)


def link_lifetime(purpose: str) -> timedelta:
    config = current_app.config
    if purpose == INVITATION:
        return timedelta(days=config["INVITATION_DAYS"])
    return timedelta(hours=config["PASSWORD_RESET_HOURS"])


def user_for_link(token: str) -> tuple[User, str] | None:
    """The active account and purpose a link is for, or None when it is forged, expired,
    used (the password changed since) or replaced by a newer invitation."""
    try:
        data, signed_at = _links().loads(
            token, max_age=int(link_lifetime(INVITATION).total_seconds()), return_timestamp=True)
        purpose, user_id = data["p"], data["u"]
    except (BadData, KeyError, TypeError):
        return None
    if purpose not in (INVITATION, RESET) or not isinstance(user_id, int):
        return None
    if datetime.now(UTC) - signed_at > link_lifetime(purpose):
        return None
    user = db.session.get(User, user_id)
    if user is None or not user.active or not hmac.compare_digest(
            str(data.get("h", "")), _fingerprint(user)):
        return None
    return user, purpose


def invite(user: User) -> None:
    """Send (again) the invitation to choose a password; an earlier link stops working."""
    user.set_password(secrets.token_urlsafe(32))  # nobody knows it: the link sets the real one
    user.invited_at = utcnow()
    user.invitation_accepted_at = None
    end_sessions(user)
    audit.record("user.invite", user)
    _send_link(user, INVITATION)


def send_password_link(user: User) -> None:
    """An organizer's button: an invitation again if it was never accepted, else a link to
    choose a new password (the current one keeps working until then)."""
    if user.invited_at and not user.invitation_accepted_at:
        invite(user)
    else:
        audit.record("user.password_link", user)
        _send_link(user, RESET)


def forgot_password(email: str) -> None:
    """The sign-in page's "Forgot your password?": a link to the account with this address,
    if there is an active one and it was not sent too many already this hour. Says nothing
    either way, to anyone."""
    email = clean("email", email).lower()
    user = db.session.scalar(select(User).where(func.lower(User.email) == email))
    if user is None or not user.active:
        return
    if mail.sent_recently(user.email, "password_reset", hours=1) >= current_app.config[
            "MAIL_LINKS_PER_HOUR"]:
        current_app.logger.info("Password link for user %s not sent: hourly limit", user.id)
        return
    _send_link(user, RESET)


def _send_link(user: User, purpose: str) -> None:
    lifetime = link_lifetime(purpose)
    if purpose == INVITATION:
        kind, subject = "invitation", _l("You are invited to the drawing contest's site")
    else:
        kind, subject = "password_reset", _l("A link to choose your password")
    with mail.links():
        mail.compose(user.email, kind, kind, subject, user=user,
                     link=password_link(user, purpose),
                     sign_in_url=url_for("auth.login", _external=True),
                     days=lifetime.days, hours=int(lifetime.total_seconds() // 3600))


def set_password_by_link(user: User, purpose: str, password: str) -> None:
    """The password chosen through a link: the link and every session end; an invitation
    is now accepted."""
    change_password(user, password)
    if purpose == INVITATION and user.invitation_accepted_at is None:
        user.invitation_accepted_at = utcnow()


def change_password(user: User, password: str) -> None:
    """The person's own new password; every session of the account ends (the caller signs the
    current browser in again)."""
    user.set_password(password)
    user.must_change_password = False
    end_sessions(user)
    audit.record("user.change_password", user)


def set_active(user: User, active: bool) -> None:
    user.active = active
    if not active:
        end_sessions(user)
    audit.record("user.activate" if active else "user.deactivate", user)


def end_sessions(user: User) -> None:
    """End every session and every "keep me signed in" cookie of ``user`` at once.

    Both carry the account's session token (``User.get_id``); Flask's session is a signed
    cookie kept by the browser, so only a token checked here, on every request
    (``user_for_session``), can take back a copy of it.
    """
    user.session_token = new_session_token()
    db.session.flush()


def sign_out_everywhere(user: User) -> None:
    """The "sign out everywhere" button, the person's own or an organizer's: logged."""
    end_sessions(user)
    audit.record("user.sign_out_everywhere", user)


def user_for_session(session_id: str, now: float | None = None) -> User | None:
    """The account a session or remember-me cookie names (``User.get_id``), or None when the
    account is gone, deactivated, has ended its sessions since the cookie was made, or signed
    in longer ago than ``REMEMBER_COOKIE_DURATION`` (the browser's expiry of the cookie is the
    browser's to keep; this one a copied cookie cannot escape)."""
    user_id, token, signed_in = (session_id.split(":") + ["", ""])[:3]
    if not all(part.isascii() and part.isdigit() for part in (user_id, signed_in)) or not token:
        return None  # also a cookie from before sessions carried a token
    age = (time.time() if now is None else now) - int(signed_in)
    if not -CLOCK_SKEW <= age <= _seconds(current_app.config["REMEMBER_COOKIE_DURATION"]):
        return None
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(user.session_token.encode(), token.encode()) else None


# Seconds a sign-in's time may lie ahead of this process's clock (another worker's).
CLOCK_SKEW = 300


def _seconds(duration: timedelta | int) -> float:
    return duration.total_seconds() if isinstance(duration, timedelta) else float(duration)


def note_login(user: User) -> None:
    user.last_login_at = utcnow()


def home_url(user: User) -> str:
    """Where each role starts after signing in."""
    return url_for({Role.ORGANIZER: "organizer.dashboard", Role.COORDINATOR: "coordinator.queue",
                    Role.JUROR: "judging.jury_home"}.get(user.role, "main.index"))


def demo_logins() -> list[tuple[str, str, str]]:
    """(role, email, password) for the login page in demo mode: one account of each kind."""
    wanted = ["organizer@demo.example", "coordinator.mow@demo.example",
              "juror1.mow@demo.example", "national1@demo.example"]
    users = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(wanted)))}
    logins = []
    for email in wanted:
        user = users.get(email)
        if user is None:
            continue
        where = f" — {user.region.name}" if user.region else ""
        if user.role is Role.JUROR and user.juror_stages:
            where = f" — {user.juror_stages[0].name}"
        logins.append((f"{user.role.label}{where}", user.email, DEMO_PASSWORD))
    return logins


def everyone() -> list[User]:
    """Every account, by role and name (the organizer's accounts page)."""
    return list(db.session.scalars(select(User).order_by(User.role, User.name)))


def coordinators_by_region() -> dict[int, list[User]]:
    """Each region's coordinators, by region id."""
    found: dict[int, list[User]] = {}
    for user in db.session.scalars(select(User).where(User.role == Role.COORDINATOR)):
        found.setdefault(user.region_id, []).append(user)
    return found
