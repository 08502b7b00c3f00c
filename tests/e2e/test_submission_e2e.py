"""A parent submits on a phone and follows the drawing; a coordinator rejects another."""

import re
import urllib.request
import uuid
import zipfile
from concurrent.futures import ThreadPoolExecutor

from playwright.sync_api import expect
from sqlalchemy import func, select

from contest.codes import format_code
from contest.extensions import db
from contest.models import Entry, EntryStatus, Phase, Role

from ..factories import PASSWORD, jpeg
from .conftest import shot, sign_in


def fill_in(phone, drawing, title, first, last, age, town, guardian, contact) -> None:
    """The public form as a parent in Tatarstan fills it, consents aside; ``contact`` is the
    (label, value) of the e-mail or the phone."""
    phone.get_by_label("Фотография или скан рисунка").set_input_files(str(drawing))
    phone.get_by_label("Название рисунка").fill(title)
    phone.get_by_label("Имя ребёнка").fill(first)
    phone.get_by_label("Фамилия ребёнка").fill(last)
    phone.get_by_label("Возраст", exact=True).fill(age)
    phone.get_by_label("Регион").select_option(label="Республика Татарстан")
    phone.get_by_label("Город, посёлок или село").fill(town)
    phone.get_by_label("ФИО родителя или законного представителя").fill(guardian)
    phone.get_by_label(contact[0]).fill(contact[1])


def test_parent_submits_on_a_phone_and_checks_status(live, phone, tmp_path):
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    drawing = tmp_path / "IMG_2041.JPG"
    drawing.write_bytes(jpeg((2400, 1800), seed=5))

    phone.goto(live.url + "/")
    phone.get_by_role("link", name="Отправить рисунок").click()
    fill_in(phone, drawing, "Бабушка на лыжах", "Варя", "Соколова", "8", "Елабуга",
            "Соколова Ирина", ("Электронная почта", "irina@example.org"))
    phone.get_by_label(re.compile("согласен")).check()
    phone.get_by_label(re.compile("можно указывать рядом с рисунком")).check()
    shot(phone, "submit-phone-form")
    phone.get_by_role("button", name="Отправить рисунок").click()

    expect(phone.get_by_role("heading", name="Спасибо! Рисунок получен.")).to_be_visible()
    code = phone.locator(".code").inner_text()
    shot(phone, "submit-phone-done")
    entry = db.session.scalar(select(Entry))
    assert code == format_code(entry.code)
    assert entry.stage.region.code == "RU-TA" and entry.age_category.name_ru == "Школьники"
    assert contest.id == entry.contest_id

    phone.goto(live.url + "/status")
    phone.get_by_label("Код работы").fill(code.lower())
    phone.get_by_role("button", name="Показать").click()
    expect(phone.get_by_text("Получена, ждёт проверки")).to_be_visible()
    expect(phone.get_by_role("img", name="Бабушка на лыжах")).to_be_visible()
    shot(phone, "status-phone")


def test_a_mistake_keeps_the_photo_and_shows_where_it_is(live, phone, tmp_path):
    """A missing consent on a phone: the page focuses the consent, keeps it readable and keeps
    the photo, so the parent ticks the box and sends without uploading again."""
    live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    drawing = tmp_path / "IMG_2042.JPG"
    drawing.write_bytes(jpeg((2400, 1800), seed=6))
    phone.goto(live.url + "/submit")
    expect(phone.get_by_text("Электронная почта или телефон, хотя бы одно")).to_be_visible()
    fill_in(phone, drawing, "Зарядка", "Оля", "Орлова", "7", "Казань", "Орлова Мария",
            ("Телефон", "+7 900 123-45-67"))
    phone.get_by_role("button", name="Отправить рисунок").click()  # no consent ticked

    consent = phone.get_by_label(re.compile("согласен"))
    expect(consent).to_be_focused()
    expect(phone.get_by_text("Фотография сохранена.")).to_be_visible()
    expect(phone.get_by_role("img", name="Ваша фотография")).to_be_visible()
    label = phone.locator("label[for=consent_personal_data]").bounding_box()
    assert label["width"] > 250  # the consent's text keeps the line, the error goes below it
    assert phone.evaluate("document.documentElement.scrollWidth") <= 390
    shot(phone, "submit-phone-kept-photo")

    consent.check()
    phone.get_by_role("button", name="Отправить рисунок").click()
    expect(phone.get_by_role("heading", name="Спасибо! Рисунок получен.")).to_be_visible()
    entry = db.session.scalar(select(Entry))
    assert entry.title == "Зарядка" and entry.image_sha256


def test_coordinator_rejects_and_the_family_sees_why(live, page, phone):
    contest = live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    live.make.user(Role.COORDINATOR, region=live.make.region("RU-MOW"),
                   email="coord@example.org")
    entry = live.make.entry(contest, "RU-MOW", title="Кот на зарядке")
    sign_in(page, live.url, "coord@example.org", PASSWORD)
    page.get_by_role("link", name="Проверка работ").click()
    page.get_by_role("link", name=re.compile("Кот на зарядке")).click()
    expect(page.get_by_text("Иванова Анна")).to_be_visible()  # the coordinator sees the family
    page.get_by_label("Отклонить").check()
    page.get_by_label("Причина (её увидит семья)").fill("Рисунок нарисован взрослым.")
    shot(page, "moderation")
    page.get_by_role("button", name="Сохранить", exact=True).click()
    expect(page.get_by_text("Сохранено: Отклонена.")).to_be_visible()

    phone.goto(f"{live.url}/status/{entry.code}")
    expect(phone.get_by_text("Отклонена")).to_be_visible()
    expect(phone.get_by_text("Рисунок нарисован взрослым.")).to_be_visible()
    db.session.refresh(entry)
    assert entry.status is EntryStatus.REJECTED


def _multipart(fields: dict[str, str], file_name: str, data: bytes) -> tuple[bytes, str]:
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    parts.append(f'--{boundary}\r\nContent-Disposition: form-data; name="image"; '
                 f'filename="{file_name}"\r\nContent-Type: image/jpeg\r\n\r\n'.encode()
                 + data + b"\r\n")
    return b"".join(parts) + f"--{boundary}--\r\n".encode(), boundary


def test_twenty_parallel_submissions_get_distinct_codes(live):
    live.app.config["WTF_CSRF_ENABLED"] = False
    live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    region_id = live.make.region("RU-SPE").id

    def send(n: int) -> int:
        body, boundary = _multipart({
            "region": str(region_id), "town": "Пушкин", "child_first_name": f"Ребёнок{n}",
            "child_last_name": "Параллельный", "age": "9", "title": f"Рисунок {n}",
            "guardian_name": "Родитель", "guardian_email": f"p{n}@example.org",
            "consent_personal_data": "y"}, f"{n}.jpg", jpeg((800, 600), seed=1000 + n))
        request = urllib.request.Request(f"{live.url}/submit", data=body, method="POST", headers={
            "Content-Type": f"multipart/form-data; boundary={boundary}"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return response.status

    with ThreadPoolExecutor(max_workers=20) as pool:
        statuses = list(pool.map(send, range(20)))
    assert statuses == [200] * 20  # redirected to the confirmation page
    db.session.expire_all()
    codes = db.session.scalars(select(Entry.code)).all()
    assert len(codes) == len(set(codes)) == 20
    assert db.session.scalar(select(func.count(Entry.id))) == 20


def test_progress_bar_waits_for_an_upload(live, phone):
    live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    for path in ("/submit", "/submit/batch"):
        phone.goto(live.url + path)
        expect(phone.locator(".progress")).to_be_hidden()


def send_class(phone, base: str, sheet, archive) -> None:
    """A teacher in Pushkin sends a class list and its drawings from a phone."""
    phone.goto(base + "/submit/batch")
    phone.get_by_label("Регион").select_option(label="Санкт-Петербург")
    phone.get_by_label("Город, посёлок или село").fill("Пушкин")
    phone.get_by_label("Детский сад, школа или студия").fill("Лицей 1")
    phone.get_by_label("Педагог").fill("Петрова О. И.")
    phone.get_by_label(re.compile("Список детей")).set_input_files(str(sheet))
    phone.get_by_label(re.compile("Рисунки")).set_input_files(str(archive))
    phone.get_by_label(re.compile("Подтверждаю")).check()
    phone.get_by_role("button", name=re.compile("Отправить")).click()


def test_batch_problems_fit_a_phone(live, phone, tmp_path):
    live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    sheet = tmp_path / "class.csv"
    sheet.write_text("файл;имя;фамилия;возраст;название;родитель;почта;согласие на обработку данных\n"
                     "Scan_2027-02-03_classroom-2B_drawing-number-01.jpg;Аня;Петрова;8;Солнце;"
                     "Петрова М.;a@example.org;да\n"
                     "b.jpg;;Петров;8;Молоко;Петров М.;b@example.org;да\n", encoding="utf-8")
    archive = tmp_path / "drawings.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("b.jpg", jpeg(seed=2))

    send_class(phone, live.url, sheet, archive)

    expect(phone.get_by_text("В архиве нет файла с таким именем.")).to_be_visible()
    expect(phone.get_by_text("Столбец «имя» не заполнен.")).to_be_visible()
    shot(phone, "batch-problems-phone")
    wrap = phone.locator(".problems .table-wrap")
    assert wrap.evaluate("e => e.scrollWidth <= e.clientWidth")  # nothing to scroll to
    right = wrap.bounding_box()["x"] + wrap.bounding_box()["width"]
    for cell in phone.locator(".problems td").all():
        box = cell.bounding_box()
        assert box["x"] + box["width"] <= right + 0.5, cell.inner_text()


def test_a_teacher_keeps_the_codes_after_a_reload(live, phone, tmp_path):
    live.make.contest(phase=Phase.SUBMISSIONS_OPEN)
    sheet = tmp_path / "class.csv"
    sheet.write_text("файл;имя;фамилия;возраст;название;родитель;почта;согласие на обработку данных\n"
                     "a.jpg;Аня;Петрова;8;Солнце;Петрова М.;a@example.org;да\n"
                     "b.jpg;Боря;Петров;9;Молоко;Петров М.;b@example.org;да\n", encoding="utf-8")
    archive = tmp_path / "drawings.zip"
    with zipfile.ZipFile(archive, "w") as zf:
        zf.writestr("a.jpg", jpeg(seed=1))
        zf.writestr("b.jpg", jpeg(seed=2))

    send_class(phone, live.url, sheet, archive)

    expect(phone.get_by_text("Получено 2 рисунка.")).to_be_visible()
    assert re.search(r"/submit/batch/done/[\w-]+$", phone.url)
    codes = [format_code(e.code) for e in db.session.scalars(select(Entry).order_by(Entry.id))]
    assert len(codes) == 2
    phone.reload()  # a plain GET: nothing is sent again, the codes are still there
    for code in codes:
        expect(phone.get_by_text(code)).to_be_visible()
    expect(phone.locator(".problems")).to_have_count(0)
    assert db.session.scalar(select(func.count(Entry.id))) == 2
    shot(phone, "batch-done-phone")
