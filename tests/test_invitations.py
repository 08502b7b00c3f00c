"""Invitations and forgotten passwords: one-time links by e-mail, received by a real SMTP
server (aiosmtpd); a used, replaced or expired link fails; the answer to "forgot your
password?" never tells whether an account exists."""

import re
import time

import pytest
from itsdangerous.timed import TimestampSigner
from sqlalchemy import select

from contest import accounts
from contest.extensions import db
from contest.models import Role, User

from .factories import PASSWORD

NEW = {"new": "a long new password", "confirm": "a long new password"}


def _page(response) -> str:
    """The answer's text without its CSRF tokens (they carry the second they were made)."""
    return re.sub(r'name="csrf_token" value="[^"]*"', "", response.data.decode())



def _link(message) -> str:
    """The one-time link of a message, as a path the test client opens."""
    from .smtp import Mailbox

    (url,) = re.findall(r"https?://\S+/auth/set-password/\S+", Mailbox.text(message))
    assert url in Mailbox.html(message)
    return "/" + url.split("/", 3)[3]


@pytest.fixture
def organizer(make, login):
    return login(make.user(Role.ORGANIZER))


def _invite(client, email="juror@example.org", name="Мария Петрова", **fields):
    data = {"name": name, "email": email, "role": "coordinator", "stage": 0, **fields}
    response = client.post("/organizer/users", data=data)
    assert response.status_code == 302, response.data.decode()[:500]
    return db.session.scalar(select(User).where(User.email == email))


def test_an_invitation_link_sets_the_password_once_and_signs_in(app, make, client, organizer,
                                                               smtp):
    user = _invite(client, region=make.region().id)
    (message,) = smtp.to("juror@example.org")
    assert message["Subject"] == "Вас пригласили на сайт конкурса рисунков"
    text = smtp.text(message)
    assert "Мария Петрова" in text and "5 дн" in text and "Региональный координатор" in text
    link = _link(message)
    assert not user.check_password(PASSWORD)

    guest = app.test_client()
    page = guest.get(link)
    assert page.status_code == 200 and page.headers["Cache-Control"] == "no-store"
    assert "juror@example.org" in page.data.decode()
    mismatch = guest.post(link, data={"new": "a long new password", "confirm": "another one"})
    assert mismatch.status_code == 422
    response = guest.post(link, data=NEW)
    assert response.status_code == 302 and response.location.endswith("/coordinator/")
    assert guest.get("/coordinator/").status_code == 200  # signed in
    assert user.check_password(NEW["new"]) and user.invitation_accepted_at is not None
    # used: the link works no more
    assert app.test_client().get(link).status_code == 410
    assert app.test_client().post(link, data={"new": "x" * 12, "confirm": "x" * 12}
                                  ).status_code == 410
    assert user.check_password(NEW["new"])
    assert "принято" in client.get("/organizer/users").data.decode()


def test_sending_the_invitation_again_replaces_the_first_link(app, make, client, organizer,
                                                             smtp):
    user = _invite(client, region=make.region().id)
    first = _link(smtp.received[-1])
    assert client.post(f"/organizer/users/{user.id}/link").status_code == 302
    second = _link(smtp.received[-1])
    assert smtp.received[-1]["Subject"] == smtp.received[0]["Subject"]  # an invitation again
    assert app.test_client().get(first).status_code == 410
    assert app.test_client().post(second, data=NEW).status_code == 302


def test_an_expired_invitation_fails(app, make, smtp, monkeypatch):
    user = make.user(Role.JUROR, email="juror@example.org")
    days = app.config["INVITATION_DAYS"]
    # The link was made a little more than INVITATION_DAYS ago (a fixed clock, not a wait).
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) - days * 86400 - 60)
    accounts.invite(user)
    db.session.commit()
    monkeypatch.undo()
    response = app.test_client().get(_link(smtp.received[-1]))
    assert response.status_code == 410
    assert "Ссылка больше не действует" in response.data.decode()


def test_a_forged_or_foreign_link_fails(app, make):
    user = make.user(Role.ORGANIZER)
    with app.test_request_context():
        link = accounts.password_link(user, accounts.RESET)
    token = link.rsplit("/", 1)[1]
    guest = app.test_client()
    assert guest.get("/auth/set-password/" + token[:-2] + "xx").status_code == 410
    assert guest.get("/auth/set-password/not-a-token").status_code == 410
    user.active = False
    db.session.commit()
    assert guest.get("/auth/set-password/" + token).status_code == 410


def test_forgot_password_answers_the_same_and_sends_only_to_an_account(app, make, client,
                                                                      smtp):
    user = make.user(Role.JUROR, email="juror@example.org")
    page = client.get("/auth/login").data.decode()
    assert "Забыли пароль?" in page
    known = client.post("/auth/forgot", data={"email": " Juror@Example.org "})
    unknown = client.post("/auth/forgot", data={"email": "nobody@example.org"})
    assert known.status_code == unknown.status_code == 200
    assert _page(known) == _page(unknown)
    (message,) = smtp.received
    assert message["To"] == "juror@example.org"
    assert message["Subject"] == "Ссылка для выбора пароля"
    link = _link(message)
    assert user.check_password(PASSWORD)  # the old password works until the link is used
    guest = app.test_client()
    assert guest.post(link, data=NEW).status_code == 302
    assert user.check_password(NEW["new"])
    assert app.test_client().post(link, data={"new": "y" * 12, "confirm": "y" * 12}
                                  ).status_code == 410  # reused


def test_a_forgotten_passwords_link_lasts_hours_not_days(app, make, smtp, monkeypatch):
    make.user(Role.JUROR, email="juror@example.org")
    hours = app.config["PASSWORD_RESET_HOURS"]
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) - hours * 3600 - 60)
    accounts.forgot_password("juror@example.org")
    db.session.commit()
    monkeypatch.undo()
    assert app.test_client().get(_link(smtp.received[-1])).status_code == 410


def test_forgot_password_is_throttled_per_address(app, make, client, smtp):
    make.user(Role.JUROR, email="juror@example.org")
    answers = {_page(client.post("/auth/forgot", data={"email": "juror@example.org"}))
               for _ in range(app.config["MAIL_LINKS_PER_HOUR"] + 2)}
    assert len(answers) == 1  # the same page every time
    assert len(smtp.received) == app.config["MAIL_LINKS_PER_HOUR"]


def test_forgot_password_is_throttled_per_network(other_app, make):
    app = other_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    codes = [client.post("/auth/forgot", data={"email": f"x{n}@example.org"}).status_code
             for n in range(21)]
    assert codes == [200] * 20 + [429]


def test_the_first_organizer_from_the_command_line_keeps_a_password(runner, smtp):
    result = runner.invoke(args=["users", "create", "--role", "organizer", "--email",
                                 "boss@example.org", "--name", "Boss", "--password", "z" * 12])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert user.check_password("z" * 12) and user.invited_at is None and smtp.received == []


def test_an_invited_account_cannot_sign_in_before_choosing_a_password(app, make, client,
                                                                     organizer, smtp):
    user = _invite(client, region=make.region().id)
    guest = app.test_client()
    for password in ("", PASSWORD, user.password_hash):
        response = guest.post("/auth/login", data={"email": user.email, "password": password})
        assert response.status_code != 302


def test_a_jurors_invitation_names_the_stage(app, make, client, organizer, smtp):
    contest = make.contest()
    stage = make.stage(contest, "RU-SPE")
    _invite(client, email="j@example.org", role="juror", stage=stage.id)
    (message,) = smtp.to("j@example.org")
    assert "Вы включены в жюри этапа «Санкт-Петербург»" in smtp.text(message)
