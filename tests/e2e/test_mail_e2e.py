"""E-mail in the browser: an organizer invites a juror, who opens the link of the e-mail a
real SMTP server received (sent by the job worker), chooses a password and scores."""

import re
import time

import pytest
from playwright.sync_api import expect

from ..factories import PASSWORD, judging_stage
from ..smtp import Mailbox
from .conftest import shot, sign_in


@pytest.fixture
def mailbox(live):
    box = Mailbox()
    box.start()
    live.app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=box.port)
    yield box
    box.stop()


def _wait_for_mail(mailbox: Mailbox, address: str, count: int = 1):
    """The job worker sends in the background: wait (at most 30 s) for the message."""
    for _ in range(300):
        if len(mailbox.to(address)) >= count:
            return mailbox.to(address)[count - 1]
        time.sleep(0.1)
    raise AssertionError(f"no message to {address}; received {len(mailbox.received)}")


def test_an_invited_juror_chooses_a_password_and_scores(live, page, mailbox):
    from contest.models import Role

    make = live.make
    contest, stage, entries, _ = judging_stage(make, entries=1)
    make.user(Role.ORGANIZER, email="org@example.org", name="Ольга Организатор")

    sign_in(page, live.url, "org@example.org", PASSWORD)
    page.goto(f"{live.url}/organizer/users?stage={stage.id}")  # the stage page's "new juror"
    page.get_by_label("Фамилия, имя, отчество").fill("Вера Новикова")
    page.get_by_label("Электронная почта").fill("vera@example.org")
    page.get_by_role("button", name="Создать и пригласить").click()
    expect(page.get_by_text("получит приглашение выбрать пароль")).to_be_visible()
    expect(page.get_by_text("ещё не принято")).to_be_visible()
    shot(page, "mail-invited")
    page.get_by_role("button", name="Выйти", exact=True).click()

    message = _wait_for_mail(mailbox, "vera@example.org")
    (link,) = re.findall(r"http\S+/auth/set-password/\S+", Mailbox.text(message))
    page.goto(link)
    page.get_by_label("Новый пароль", exact=True).fill("my own long password")
    page.get_by_label("Повторите новый пароль").fill("my own long password")
    shot(page, "mail-set-password")
    page.get_by_role("button", name="Сохранить и войти").click()
    expect(page.get_by_text("Пароль сохранён")).to_be_visible()

    page.get_by_role("link", name="Оценить следующий рисунок").click()
    page.wait_for_load_state()  # the keys need jury.js, which runs once the page has loaded
    for digit in "789":
        page.keyboard.press(digit)
    page.keyboard.press("Enter")
    expect(page.get_by_text("Вы оценили все рисунки")).to_be_visible()

    page.goto(link)  # used: it works no more
    expect(page.get_by_text("Ссылка больше не действует")).to_be_visible()


def test_a_family_recovers_its_code_by_email(live, phone, mailbox):
    from contest.codes import format_code
    from contest.models import Phase

    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = live.make.entry(contest, guardian_email="mama@example.org")
    page = phone
    page.goto(f"{live.url}/status")
    page.get_by_role("link", name="Потеряли код?").click()
    page.get_by_label("Адрес почты, указанный при отправке рисунка").fill("mama@example.org")
    page.get_by_role("button", name="Прислать коды").click()
    expect(page.get_by_text("их коды уже в пути")).to_be_visible()
    shot(page, "mail-lost-code")

    message = _wait_for_mail(mailbox, "mama@example.org")
    text = Mailbox.text(message)
    assert format_code(entry.code) in text
    (link,) = re.findall(r"http\S+/status/\S+", text)
    page.goto(link)
    expect(page.get_by_text(format_code(entry.code)).first).to_be_visible()
