"""Sessions are revocable: signing out, a new password, deactivation and "sign out
everywhere" end every session and every "keep me signed in" cookie of the account at once,
including copies of them replayed from elsewhere."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from contest import accounts
from contest.models import AuditLog, Role

from .factories import PASSWORD

STAFF_PAGE = {Role.ORGANIZER: "/organizer/", Role.COORDINATOR: "/coordinator/"}


def _sign_in(client, user, remember=True):
    data = {"email": user.email, "password": PASSWORD}
    if remember:
        data["remember"] = "y"
    response = client.post("/auth/login", data=data)
    assert response.status_code == 302 and "/auth/login" not in response.location
    return response


def _cookie(client, name):
    cookie = client.get_cookie(name)
    assert cookie is not None, f"no {name} cookie"
    return cookie.value


def _browser_with(app, **cookies):
    """Another browser holding only the copied cookies."""
    other = app.test_client()
    for name, value in cookies.items():
        other.set_cookie(name, value)
    return other


def _opens(client, url) -> bool:
    response = client.get(url)
    if response.status_code == 200:
        return True
    assert response.status_code == 302 and "/auth/login" in response.location, response.status
    return False


@pytest.fixture
def signed_in(app, client, make):
    """An organizer signed in with "keep me signed in", and copies of both cookies, each shown
    to work on its own before the test ends the sessions."""
    user = make.user(Role.ORGANIZER)
    _sign_in(client, user)
    copies = {"session": _cookie(client, "session"),
              "remember_token": _cookie(client, "remember_token")}
    for name, value in copies.items():
        assert _opens(_browser_with(app, **{name: value}), "/organizer/"), name
    return user, copies


def _dead(app, copies, url="/organizer/"):
    for name, value in copies.items():
        assert not _opens(_browser_with(app, **{name: value}), url), f"{name} still works"
    assert not _opens(_browser_with(app, **copies), url), "both together still work"


def test_sign_out_ends_copied_session_and_remember_cookies(app, client, signed_in):
    user, copies = signed_in
    client.post("/auth/logout")
    assert not _opens(client, "/organizer/")
    _dead(app, copies)


def test_a_new_sign_in_after_sign_out_gets_new_cookies(app, client, signed_in):
    user, copies = signed_in
    client.post("/auth/logout")
    _sign_in(client, user)
    assert _cookie(client, "remember_token") != copies["remember_token"]
    assert _opens(client, "/organizer/")
    _dead(app, copies)


def test_sign_in_starts_a_fresh_session_keeping_only_the_language(client, make):
    user = make.user(Role.ORGANIZER)
    with client.session_transaction() as before:
        before["lang"] = "en"
        before["planted"] = "from before the sign-in"
    _sign_in(client, user, remember=False)
    with client.session_transaction() as after:
        assert "planted" not in after
        assert after["lang"] == "en"
        assert after["_user_id"].startswith(f"{user.id}:{user.session_token}:")


def test_password_change_ends_every_other_session_and_keeps_this_one(app, client, signed_in):
    user, copies = signed_in
    response = client.post("/auth/password", data={
        "current": PASSWORD, "new": "a much longer secret", "confirm": "a much longer secret"})
    assert response.status_code == 302
    _dead(app, copies)
    assert _opens(client, "/organizer/")  # the browser that changed it goes on
    # ...and is still kept signed in, with a new cookie that works on its own
    renewed = _cookie(client, "remember_token")
    assert renewed != copies["remember_token"]
    assert _opens(_browser_with(app, remember_token=renewed), "/organizer/")


def test_a_password_chosen_through_a_link_ends_the_sessions(app, client, make, login):
    coordinator = make.user(Role.COORDINATOR)
    theirs = app.test_client()
    _sign_in(theirs, coordinator)
    copies = {"session": _cookie(theirs, "session"),
              "remember_token": _cookie(theirs, "remember_token")}
    with app.test_request_context():
        link = accounts.password_link(coordinator, accounts.RESET)
    response = app.test_client().post(link, data={"new": "a brand new secret",
                                                  "confirm": "a brand new secret"})
    assert response.status_code == 302
    assert not _opens(theirs, "/coordinator/")
    _dead(app, copies, "/coordinator/")


def test_deactivation_ends_the_sessions(app, client, make, login):
    coordinator = make.user(Role.COORDINATOR)
    theirs = app.test_client()
    _sign_in(theirs, coordinator)
    copies = {"session": _cookie(theirs, "session"),
              "remember_token": _cookie(theirs, "remember_token")}
    login(make.user(Role.ORGANIZER))
    client.post(f"/organizer/users/{coordinator.id}/active")
    assert not coordinator.active
    assert not _opens(theirs, "/coordinator/")
    _dead(app, copies, "/coordinator/")
    # Activated again, the old cookies stay dead: the account signs in afresh.
    client.post(f"/organizer/users/{coordinator.id}/active")
    assert coordinator.active
    _dead(app, copies, "/coordinator/")


def test_sign_out_everywhere_from_the_own_account_page(app, client, signed_in):
    user, copies = signed_in
    laptop = app.test_client()
    _sign_in(laptop, user, remember=False)
    page = client.get("/auth/account")
    assert "Выйти на всех устройствах".encode() in page.data
    response = client.post("/auth/account/sign-out-everywhere")
    assert "/auth/login" in response.location
    assert not _opens(client, "/organizer/")
    assert not _opens(laptop, "/organizer/")
    _dead(app, copies)
    log = app.extensions["sqlalchemy"].session.scalar(
        select(AuditLog).where(AuditLog.action == "user.sign_out_everywhere"))
    assert log.object_id == user.id and log.user_id == user.id


def test_an_organizer_signs_out_another_account(app, client, make, login):
    juror = make.user(Role.JUROR, stage=make.stage(make.contest()))
    theirs = app.test_client()
    _sign_in(theirs, juror)
    copies = {"session": _cookie(theirs, "session"),
              "remember_token": _cookie(theirs, "remember_token")}
    assert _opens(theirs, "/jury/")
    organizer = login(make.user(Role.ORGANIZER))
    page = client.get("/organizer/users")
    assert f"/organizer/users/{juror.id}/sign-out".encode() in page.data
    response = client.post(f"/organizer/users/{juror.id}/sign-out")
    assert response.status_code == 302
    assert _opens(client, "/organizer/")  # the organizer's own session is untouched
    assert not _opens(theirs, "/jury/")
    _dead(app, copies, "/jury/")
    log = app.extensions["sqlalchemy"].session.scalar(
        select(AuditLog).where(AuditLog.action == "user.sign_out_everywhere"))
    assert log.object_id == juror.id and log.user_id == organizer.id
    assert juror.active  # signed out, not locked out
    _sign_in(theirs, juror)
    assert _opens(theirs, "/jury/")


def test_an_organizer_signing_out_their_own_account_is_signed_out(client, make, login):
    organizer = login(make.user(Role.ORGANIZER))
    response = client.post(f"/organizer/users/{organizer.id}/sign-out")
    assert "/auth/login" in response.location
    assert not _opens(client, "/organizer/")


def test_only_organizers_sign_out_other_accounts(app, client, make, login):
    organizer = make.user(Role.ORGANIZER)
    theirs = app.test_client()
    _sign_in(theirs, organizer)
    token = organizer.session_token
    login(make.user(Role.COORDINATOR))
    assert client.post(f"/organizer/users/{organizer.id}/sign-out").status_code == 403
    assert organizer.session_token == token
    assert _opens(theirs, "/organizer/")


def test_cookies_from_before_sessions_carried_a_token_are_refused(app, make):
    user = make.user(Role.ORGANIZER)
    now = 1_800_000_000
    assert accounts.user_for_session(str(user.id), now) is None
    assert accounts.user_for_session(f"{user.id}:", now) is None
    assert accounts.user_for_session(f"{user.id}:{user.session_token}", now) is None
    assert accounts.user_for_session(f"{user.id}:{user.session_token}x:{now}", now) is None
    assert accounts.user_for_session(f"²:{user.session_token}:{now}", now) is None
    assert accounts.user_for_session(f"{user.id}:{user.session_token}:²", now) is None
    assert accounts.user_for_session(f"{user.id}:{user.session_token}:{now}", now) is user


def test_a_sign_in_lasts_at_most_the_remember_duration(app, make):
    """Whatever the browser does with the cookie's expiry, a copy dies 30 days after the
    sign-in it was made by."""
    user = make.user(Role.ORGANIZER)
    signed_in = 1_800_000_000
    session_id = f"{user.id}:{user.session_token}:{signed_in}"
    day = 86400
    assert accounts.user_for_session(session_id, signed_in + 29 * day) is user
    assert accounts.user_for_session(session_id, signed_in + 30 * day + 1) is None
    assert accounts.user_for_session(session_id, signed_in - 60) is user  # another worker's clock
    assert accounts.user_for_session(session_id, signed_in - day) is None  # made in the future


def test_a_dead_remember_cookie_is_removed_from_the_browser(app, client, signed_in):
    user, copies = signed_in
    client.post("/auth/logout")
    other = _browser_with(app, remember_token=copies["remember_token"])
    response = other.get("/")
    cleared = [h for h in response.headers.getlist("Set-Cookie")
               if h.startswith("remember_token=")]
    assert cleared and "Expires=Thu, 01 Jan 1970" in cleared[0]
    assert other.get_cookie("remember_token") is None
    # a live one stays
    _sign_in(client, user)
    assert not [h for h in client.get("/").headers.getlist("Set-Cookie")
                if h.startswith("remember_token=")]
    assert client.get_cookie("remember_token") is not None


def test_the_remember_cookie_lasts_a_month_and_is_kept_from_scripts(app, client, make):
    assert app.config["REMEMBER_COOKIE_DURATION"] == timedelta(days=30)
    response = _sign_in(client, make.user(Role.ORGANIZER))
    remember = next(h for h in response.headers.getlist("Set-Cookie")
                    if h.startswith("remember_token="))
    assert "HttpOnly" in remember and "SameSite=Lax" in remember
    assert client.get_cookie("remember_token").expires is not None
    with client.session_transaction() as signed_in_session:
        assert not signed_in_session.permanent  # the session cookie ends with the browser
