from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import accounts, security
from ..extensions import db
from .forms import ChangePasswordForm, LoginForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
@security.throttle_sign_in
def login():
    """Sign in with email and password; wrong passwords are throttled (``security``)."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            login_user(user, remember=form.remember.data)
            accounts.note_login(user)
            db.session.commit()
            if user.must_change_password:
                target = url_for("auth.change_password")
            else:
                target = security.local_url(request.args.get("next")) or accounts.home_url(user)
            return security.remember_device(redirect(target), user.email)
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
