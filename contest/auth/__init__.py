"""Signing in and out for organizers, coordinators and jurors."""

from flask import Flask, redirect, request, session, url_for
from flask_login import current_user

from .. import accounts
from ..extensions import login_manager
from ..models import User
from .routes import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(session_id: str) -> User | None:
        return accounts.user_for_session(session_id)

    # Until a generated password is replaced, it is the only page of the app one can use.
    allowed_meanwhile = {"auth.change_password", "auth.logout", "auth.sign_out_everywhere",
                         "auth.set_password",
                         "main.set_language", "static"}

    @app.before_request
    def forget_a_dead_remember_cookie():
        # A "keep me signed in" cookie whose sessions have ended opens nothing; Flask-Login
        # would still read it on every request until it expires. It removes it.
        if (app.config.get("REMEMBER_COOKIE_NAME", "remember_token") in request.cookies
                and not current_user.is_authenticated):
            session["_remember"] = "clear"

    @app.before_request
    def require_a_new_password():
        if (current_user.is_authenticated and current_user.must_change_password
                and request.endpoint not in allowed_meanwhile):
            return redirect(url_for("auth.change_password"))
        return None
