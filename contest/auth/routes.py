from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from .. import accounts, security
from ..extensions import db, limiter
from .forms import ChangePasswordForm, ForgotPasswordForm, LoginForm, SetPasswordForm

bp = Blueprint("auth", __name__, url_prefix="/auth")


@bp.route("/login", methods=["GET", "POST"])
@security.throttle_sign_in
def login():
    """Sign in with email and password; wrong passwords are throttled (``security``)."""
    form = LoginForm()
    if form.validate_on_submit():
        user = accounts.authenticate(form.email.data, form.password.data)
        if user is not None:
            _fresh_session()
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


def _fresh_session() -> None:
    # Nothing from before the sign-in rides into the signed-in session but the language.
    lang = session.get("lang")
    session.clear()
    if lang:
        session["lang"] = lang


@bp.post("/logout")
def logout():
    """Sign out: this browser and every other session of the account end."""
    if current_user.is_authenticated:
        accounts.end_sessions(current_user)
        db.session.commit()
    logout_user()
    return redirect(url_for("main.index"))


@bp.get("/account")
@login_required
def account():
    """The person's own account: who they are, their password, signing out everywhere."""
    return render_template("auth/account.html")


@bp.post("/account/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    accounts.sign_out_everywhere(current_user)
    db.session.commit()
    logout_user()
    flash(_("You are signed out on every device."), "success")
    return redirect(url_for("auth.login"))


@bp.route("/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    if form.validate_on_submit():
        if not current_user.check_password(form.current.data):
            form.current.errors.append(_("This is not your current password."))
        else:
            remembered = current_app.config.get("REMEMBER_COOKIE_NAME", "remember_token")
            accounts.change_password(current_user, form.new.data)
            db.session.commit()
            # Every other session has ended; this browser goes on with a new one.
            _fresh_session()
            login_user(current_user._get_current_object(),
                       remember=remembered in request.cookies)
            flash(_("Your password has been changed."), "success")
            return redirect(accounts.home_url(current_user))
    return render_template("auth/password.html", form=form)


@bp.route("/forgot", methods=["GET", "POST"])
@limiter.limit("20 per hour", methods=["POST"], scope="forgot-address")
def forgot_password():
    """'Forgot your password?': a one-time link by e-mail. The answer is the same whether
    or not the address has an account; each address gets a few links an hour."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        accounts.forgot_password(form.email.data)
        db.session.commit()
        return render_template("auth/forgot.html", form=None), 200
    return render_template("auth/forgot.html", form=form), 422 if form.errors else 200


@bp.route("/set-password/<token>", methods=["GET", "POST"])
def set_password(token: str):
    """Choose a password through an invitation's or a forgotten password's link; the link
    works once. The person is signed in afterwards."""
    found = accounts.user_for_link(token)
    headers = {"Cache-Control": "no-store"}
    if found is None:
        return render_template("auth/set_password.html", form=None), 410, headers
    user, purpose = found
    form = SetPasswordForm()
    if form.validate_on_submit():
        accounts.set_password_by_link(user, purpose, form.new.data)
        db.session.commit()
        _fresh_session()
        login_user(user)
        accounts.note_login(user)
        db.session.commit()
        flash(_("Your password is saved. Welcome!"), "success")
        return security.remember_device(redirect(accounts.home_url(user)), user.email)
    return render_template("auth/set_password.html", form=form, user=user,
                           purpose=purpose), 422 if form.errors else 200, headers
