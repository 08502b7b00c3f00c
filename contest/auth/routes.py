from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user
from sqlalchemy import func, select

from .. import accounts
from ..extensions import db, limiter
from ..main.routes import _local_url
from ..models import User
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


def _login_limit() -> str:
    return current_app.config["LOGIN_RATE_LIMIT"]


def _login_email() -> str:
    return (request.form.get("email") or "").strip().lower()


# Guessing one account's password is throttled per email; a whole office behind one address
# (a school, the society's staff) shares only the looser per-address limit.
@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_login_limit, methods=["POST"], key_func=_login_email)
@limiter.limit("120 per hour", methods=["POST"])
def login():
    """Sign in with email and password; throttled per address against guessing."""
    form = LoginForm()
    if form.validate_on_submit():
        email = form.email.data.strip().lower()
        user = db.session.scalar(select(User).where(func.lower(User.email) == email))
        if user and user.active and user.check_password(form.password.data):
            login_user(user, remember=form.remember.data)
            accounts.note_login(user)
            db.session.commit()
            if user.must_change_password:
                return redirect(url_for("auth.change_password"))
            return redirect(_local_url(request.args.get("next")) or accounts.home_url(user))
        form.password.errors.append(_("Wrong email or password."))
    demo_logins = accounts.demo_logins() if current_app.config["DEMO_MODE"] else []
    return render_template("auth/login.html", form=form, demo_logins=demo_logins)


@bp.post("/logout")
def logout():
    logout_user()
    return redirect(url_for("main.index"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            accounts.change_password(current_user, form.new.data)
            db.session.commit()
            flash(_("Your password has been changed."), "success")
            return redirect(accounts.home_url(current_user))
    return render_template("auth/password.html", form=form)
