"""axe-core finds nothing, of any impact, on the pages reached only by doing something: a
family's form refused and sent, the receipt, the status page in each state with its requests
and the mailed confirmation, a school's refused and accepted class, a password link, the error
pages; and on every page of a coordinator while drawings come in and of an organizer in the
demo's years. Each page is checked at a phone's width and on a desktop. (Every page reached by
links, and every form sent empty, for each role: test_navigation_e2e.py.)"""

import email
import email.policy
import re
import time
import zipfile
from pathlib import Path

from playwright.sync_api import expect

from contest import accounts, demo
from contest.extensions import db
from contest.models import EntryStatus, Phase, Role

from ..factories import PASSWORD, jpeg
from .conftest import sign_in
from .crawl import PHONE, check, send_forms_empty, walk
from .test_submission_e2e import fill_in, send_class


def _phone(browser):
    context = browser.new_context(locale="ru-RU", viewport=PHONE, is_mobile=True, has_touch=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    return context, page


def _mailed_link(outbox: Path, part: str) -> str:
    """The first link holding ``part`` in a message the job worker has put in the outbox."""
    for _ in range(300):
        for path in outbox.glob("*.eml"):
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            for line in message.get_body(preferencelist=("plain",)).get_content().splitlines():
                if part in line:
                    return line.strip()
        time.sleep(0.05)
    raise AssertionError(f"no link with {part} reached the outbox")


def test_a_family_sends_a_drawing_and_changes_a_consent(live, browser, tmp_path):
    live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    drawing = tmp_path / "IMG_2041.JPG"
    drawing.write_bytes(jpeg((1600, 1200), seed=5))
    context, phone = _phone(browser)
    problems = []

    phone.goto(live.url + "/submit")
    fill_in(phone, drawing, "Бабушка на лыжах", "Варя", "Соколова", "8", "Елабуга",
            "Соколова Ирина", ("Электронная почта", "irina@example.org"))
    phone.get_by_role("button", name="Отправить рисунок").click()  # no consent ticked
    expect(phone.get_by_text("Фотография сохранена.")).to_be_visible()
    problems += check(phone, "the form refused, the photo kept")

    phone.get_by_label(re.compile("согласен")).check()
    phone.get_by_role("button", name="Отправить рисунок").click()
    expect(phone.get_by_role("heading", name="Спасибо! Рисунок получен.")).to_be_visible()
    problems += check(phone, "the receipt")
    code = phone.locator(".code").inner_text()

    phone.goto(live.url + "/status")
    phone.get_by_label("Код работы").fill("XXXX-XXXX")
    phone.get_by_role("button", name="Показать").click()
    problems += check(phone, "a code that opens nothing")
    phone.get_by_label("Код работы").fill(code)
    phone.get_by_role("button", name="Показать").click()
    expect(phone.get_by_text("Получена, ждёт проверки")).to_be_visible()
    problems += check(phone, "the status page")

    phone.get_by_text("Согласия", exact=True).click()
    phone.get_by_label("Рисунок можно безвозмездно печатать", exact=False).click()  # toggles
    phone.get_by_role("button", name="Изменить согласия").click()
    expect(phone.get_by_text("Мы отправили ссылку")).to_be_visible()
    problems += check(phone, "the status page after a request")

    phone.goto(_mailed_link(Path(live.app.config["OUTBOX_FOLDER"]), "/status/confirm/"))
    expect(phone.get_by_role("heading", name="Подтвердите запрос")).to_be_visible()
    problems += check(phone, "the mailed confirmation")
    confirmation = phone.url
    phone.get_by_role("button", name="Подтвердить").click()
    expect(phone.get_by_text("Согласия изменены.")).to_be_visible()
    problems += check(phone, "the request carried out")
    phone.goto(confirmation)
    problems += check(phone, "a used link")
    context.close()
    assert not problems, "\n".join(problems)


def test_the_status_page_in_each_state_and_its_requests_refused(live, browser):
    """Waiting for a better photo (its upload form), rejected with a reason, accepted, and
    without an e-mail address (requests confirmed by the child's name): each page, then each
    of its forms sent empty."""
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entries = {
        "needs a photo": live.make.entry(contest, "RU-TA", status=EntryStatus.NEEDS_PHOTO),
        "rejected": live.make.entry(contest, "RU-TA", status=EntryStatus.REJECTED),
        "accepted": live.make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED),
        "no e-mail": live.make.entry(contest, "RU-MOW", guardian_email="",
                                     guardian_phone="+7 900 123-45-67"),
    }
    entries["needs a photo"].status_reason = "Рисунок снят с бликом."
    entries["rejected"].status_reason = "Рисунок нарисован взрослым."
    db.session.commit()
    codes = {state: entry.code for state, entry in entries.items()}
    context, phone = _phone(browser)
    problems = []
    for state, code in codes.items():
        phone.goto(f"{live.url}/status/{code}")
        problems += check(phone, f"the status page, {state}")
        problems += send_forms_empty(phone, live, {"submit.status": [f"/status/{code}"]})
    context.close()
    assert not problems, "\n".join(problems)


def test_a_school_sends_a_class_with_mistakes_then_right(live, browser, tmp_path):
    live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    sheet, archive = tmp_path / "class.csv", tmp_path / "drawings.zip"
    head = "файл;имя;фамилия;возраст;название;родитель;почта;согласие на обработку данных\n"
    sheet.write_text(head + "a.jpg;Аня;Петрова;8;Солнце;Петрова М.;a@example.org;да\n"
                     "b.jpg;;Петров;8;Молоко;Петров М.;b@example.org;да\n", encoding="utf-8")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("b.jpg", jpeg(seed=2))
    context, phone = _phone(browser)
    problems = []

    send_class(phone, live.url, sheet, archive)
    expect(phone.get_by_text("В архиве нет файла с таким именем.")).to_be_visible()
    problems += check(phone, "the class refused, row by row")

    sheet.write_text(head + "a.jpg;Аня;Петрова;8;Солнце;Петрова М.;a@example.org;да\n",
                     encoding="utf-8")
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.jpg", jpeg(seed=1))
    send_class(phone, live.url, sheet, archive)
    expect(phone.get_by_text("Получен 1 рисунок.")).to_be_visible()
    problems += check(phone, "the class's codes")
    context.close()
    assert not problems, "\n".join(problems)


def test_a_password_link_and_the_error_pages(live, browser):
    juror = live.make.user(Role.JUROR, email="juror@example.org")
    with live.app.test_request_context(base_url=live.url):
        link = accounts.password_link(juror, accounts.INVITATION)
    context, phone = _phone(browser)
    problems = []

    phone.goto(link)
    problems += check(phone, "an invitation's page")
    path = link.removeprefix(live.url)
    problems += send_forms_empty(phone, live, {"auth.set_password": [path]})
    phone.goto(live.url + "/auth/set-password/forged")
    problems += check(phone, "a forged link")

    phone.goto(live.url + "/no-such-page")
    problems += check(phone, "not found (404)")
    phone.goto(live.url + "/auth/login")
    phone.evaluate("document.querySelector('[name=csrf_token]').value = 'stale'")
    phone.get_by_label("Электронная почта").fill("juror@example.org")
    phone.get_by_label("Пароль").fill(PASSWORD)
    phone.get_by_role("button", name="Войти").click()
    problems += check(phone, "a stale form (400)")
    sign_in(phone, live.url, "juror@example.org", PASSWORD)
    response = phone.goto(live.url + "/organizer/")
    assert response.status == 403
    problems += check(phone, "forbidden (403)")
    context.close()
    assert not problems, "\n".join(problems)


def test_every_page_of_a_coordinator_while_drawings_come_in(live, browser):
    """Drawings waiting, one waiting for a better photo, one accepted: the list, each drawing's
    moderation, and every form sent empty (a decision without its reason, ...)."""
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    live.make.entry(contest, "RU-MOW")
    live.make.entry(contest, "RU-MOW", status=EntryStatus.NEEDS_PHOTO).status_reason = "Блик."
    db.session.commit()
    live.make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED)
    live.make.user(Role.COORDINATOR, region=live.make.region("RU-MOW"), email="coord@example.org")
    context, phone = _phone(browser)
    sign_in(phone, live.url, "coord@example.org", PASSWORD)
    reached, _, problems = walk(phone, live)
    assert "coordinator.entry" in reached
    problems += send_forms_empty(phone, live, reached)
    context.close()
    assert not problems, "\n".join(problems)


def test_every_page_of_an_organizer_in_the_demo_years(live, browser):
    """Last year's published winners, certificates and calendar; this year's contest taking
    drawings: every page an organizer reaches, and every form sent empty."""
    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(700, 500), judged_per_region=5)
    context, phone = _phone(browser)
    sign_in(phone, live.url, "organizer@demo.example", demo.PASSWORD)
    reached, _, problems = walk(phone, live)
    problems += send_forms_empty(phone, live, reached)
    context.close()
    assert not problems, "\n".join(problems)
