"""People who sign in: creating accounts, passwords, where each role starts."""

from __future__ import annotations

import hmac
import secrets
from functools import cache

from email_validator import EmailNotValidError, validate_email
from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from werkzeug.security import check_password_hash, generate_password_hash

from . import audit
from .extensions import db
from .models import Region, Role, Stage, User, new_session_token, utcnow
from .text import clean

DEMO_PASSWORD = "demo-password"


class AccountError(Exception):
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
                region: Region | None = None, stage: Stage | None = None) -> tuple[User, str]:
    """Create an account; returns it with the password to show once.

    A generated password must be changed at the first sign-in.
    """
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
    generated = password is None
    password = password or generate_password()
    user = User(name=name, email=email, role=role,
                region=region if role is Role.COORDINATOR else None,
                must_change_password=generated)
    user.set_password(password)
    if role is Role.JUROR:
        user.juror_stages.append(stage)
    db.session.add(user)
    db.session.flush()
    audit.record("user.create", user, contest_id=stage.contest_id if stage else None,
                 role=role.value, email=email, stage=stage.id if stage else None)
    return user, password


def reset_password(user: User) -> str:
    """A new password made by an organizer; the old one and every session of it stop working."""
    password = generate_password()
    user.set_password(password)
    user.must_change_password = True
    end_sessions(user)
    audit.record("user.reset_password", user)
    return password


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


def user_for_session(session_id: str) -> User | None:
    """The account a session or remember-me cookie names (``User.get_id``), or None when the
    account is gone, deactivated, or has ended its sessions since the cookie was made."""
    user_id, _, token = session_id.partition(":")
    if not (user_id.isascii() and user_id.isdigit()) or not token:
        return None  # also a cookie from before sessions carried a token
    user = db.session.get(User, int(user_id))
    if user is None or not user.active:
        return None
    return user if hmac.compare_digest(user.session_token.encode(), token.encode()) else None


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
