"""Signing in and out for organizers, coordinators and jurors."""

from flask import Flask

from ..extensions import db, login_manager
from ..models import User
from .routes import bp

__all__ = ["bp", "init_app"]


def init_app(app: Flask) -> None:
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    login_manager.login_message = None  # the login page explains itself
    login_manager.session_protection = "strong"

    @login_manager.user_loader
    def load_user(user_id: str) -> User | None:
        return db.session.get(User, int(user_id))
