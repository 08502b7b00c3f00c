"""A family withdraws its consent to print from the status page, on a phone, by the mailed link."""

import email
import email.policy
import time
from pathlib import Path

from playwright.sync_api import expect

from contest.extensions import db
from contest.models import Phase

from .conftest import shot

PHONE_WIDTH = 390  # the ``phone`` fixture's viewport


def _fits(page) -> bool:
    """Nothing sticks out sideways at the phone's width (a phone's browser widens its layout
    to fit what overflows, so compare with the device's width, not the window's)."""
    return page.evaluate("document.documentElement.scrollWidth") <= PHONE_WIDTH


def _link(outbox: Path) -> str:
    """The confirmation link, once the job worker has delivered the message to the outbox."""
    for _ in range(300):
        for path in outbox.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for line in message.get_body(preferencelist=("plain",)).get_content().splitlines():
                if "/status/confirm/" in line:
                    return line.strip()
        time.sleep(0.05)
    raise AssertionError("no confirmation link reached the outbox")


def test_a_family_withdraws_the_consent_to_print_by_the_link(live, phone):
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = live.make.entry(contest, "RU-TA", title="Кальций в молоке",
                            guardian_email="mama@example.org")
    assert entry.consent("print")

    phone.goto(f"{live.url}/status/{entry.code}")
    phone.get_by_text("Согласия", exact=True).click()
    checkbox = phone.get_by_label("Рисунок можно безвозмездно печатать", exact=False)
    expect(checkbox).to_be_checked()
    checkbox.uncheck()
    assert _fits(phone)
    shot(phone, "family-consents-phone")
    phone.get_by_role("button", name="Изменить согласия").click()
    expect(phone.get_by_text("Мы отправили ссылку на m•••@example.org")).to_be_visible()
    db.session.refresh(entry)
    assert entry.consent("print")  # nothing changes until the link is opened

    link = _link(Path(live.app.config["OUTBOX_FOLDER"]))
    assert link.startswith(live.url)
    phone.goto(link)
    expect(phone.get_by_role("heading", name="Подтвердите запрос")).to_be_visible()
    expect(phone.get_by_text("Печать и показ рисунка: отозвано")).to_be_visible()
    assert _fits(phone)
    shot(phone, "family-confirm-phone")
    phone.get_by_role("button", name="Подтвердить").click()
    expect(phone.get_by_text("Согласия изменены.")).to_be_visible()
    db.session.refresh(entry)
    assert not entry.consent("print")

    phone.goto(link)  # the link works once
    expect(phone.get_by_text("Ссылка уже использована")).to_be_visible()

    phone.goto(f"{live.url}/privacy")
    expect(phone.get_by_role("heading", name="Политика конфиденциальности")).to_be_visible()
    assert _fits(phone)
    shot(phone, "privacy-phone")
