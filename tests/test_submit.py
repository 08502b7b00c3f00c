"""Families and schools submit drawings; the status page follows them."""

import email
import email.policy
import io
import re
from pathlib import Path

import pytest
from sqlalchemy import func, select

from contest import entries
from contest.codes import format_code
from contest.extensions import db
from contest.models import Entry, EntryStatus, Phase, StageStatus
from contest.rules import OLDEST_AGE, YOUNGEST_AGE
from contest.uploads.pipeline import process_image

from .factories import jpeg


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


def form(make, image=None, filename="drawing.jpg", **overrides):
    data = {
        "region": make.region("RU-TA").id, "town": "Казань", "child_first_name": "Маша",
        "child_last_name": "Иванова", "birth_date": "", "age": "9", "institution": "Школа № 5",
        "teacher": "", "title": "Молоко и солнце", "description": "",
        "guardian_name": "Иванова Анна", "guardian_email": "anna@example.org",
        "guardian_phone": "", "consent_personal_data": "y", "consent_print": "y",
    }
    data.update(overrides)
    data["image"] = (io.BytesIO(image if image is not None else jpeg()), filename)
    return data


def stored_files(app) -> list[Path]:
    """The stored files but the photos kept between tries of the form (``held_photos``)."""
    root = Path(app.config["UPLOAD_FOLDER"])
    return [p for p in root.rglob("*") if p.is_file() and not p.is_relative_to(root / "held")]


def entry_count() -> int:
    return db.session.scalar(select(func.count(Entry.id)))


def test_closed_without_a_contest(client):
    response = client.get("/submit")
    assert "Приём работ закрыт".encode() in response.data


def test_submit_a_drawing(app, client, make, contest):
    response = client.post("/submit", data=form(make), content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()[:2000]
    entry = db.session.scalar(select(Entry))
    assert response.headers["Location"] == f"/submit/done/{entry.code}"
    assert (entry.child_first_name, entry.age, entry.age_category.name_ru) == ("Маша", 9, "Школьники")
    assert entry.stage.region.code == "RU-TA" and entry.status is EntryStatus.RECEIVED
    assert {c.kind: c.granted for c in entry.consents} == {
        "personal_data": True, "show_name": False, "print": True}
    assert all(c.version for c in entry.consents)
    assert len(stored_files(app)) == 3
    page = client.get(response.headers["Location"]).data.decode()
    assert format_code(entry.code) in page
    mail = list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))
    assert len(mail) == 1
    message = email.message_from_bytes(mail[0].read_bytes(), policy=email.policy.default)
    assert message["To"] == "anna@example.org"
    assert format_code(entry.code) in message.get_body(preferencelist=("plain",)).get_content()


def test_birth_date_gives_the_category(client, make, contest):
    from datetime import date

    born = date(contest.age_reference_date.year - 5, 1, 1)
    client.post("/submit", data=form(make, age="", birth_date=born.isoformat()))
    assert db.session.scalar(select(Entry)).age_category.name_ru == "Малыши"


@pytest.mark.parametrize("overrides, message", [
    ({"consent_personal_data": ""}, "Без этого согласия участие невозможно"),
    ({"age": str(OLDEST_AGE + 1)}, f"Возраст от {YOUNGEST_AGE} до {OLDEST_AGE} лет"),
    ({"age": str(YOUNGEST_AGE - 1)}, f"Возраст от {YOUNGEST_AGE} до {OLDEST_AGE} лет"),
    ({"age": str(OLDEST_AGE)}, "Конкурс для детей"),  # within the limits, in no category
    ({"age": ""}, "Укажите возраст или дату рождения"),
    ({"guardian_email": ""}, "Укажите почту или телефон"),
    ({"guardian_email": "not-an-email"}, "не похоже на адрес электронной почты"),
    ({"guardian_email": "a@example.org, b@example.org"}, "не похоже на адрес электронной почты"),
    ({"guardian_phone": "позвоните маме"}, "Напишите номер телефона цифрами"),
    ({"guardian_email": "", "guardian_phone": "12"}, "Напишите номер телефона цифрами"),
    ({"child_first_name": ""}, "Пожалуйста, заполните это поле"),
    ({"region": "999999"}, "Not a valid choice"),
])
def test_bad_input_is_explained_and_nothing_is_kept(app, client, make, contest, overrides, message):
    response = client.post("/submit", data=form(make, **overrides))
    assert response.status_code == 422
    if message != "Not a valid choice":
        assert message.encode() in response.data, response.data.decode()
    assert entry_count() == 0 and stored_files(app) == []


def test_region_not_in_the_contest(app, client, make, contest):
    response = client.post("/submit", data=form(make, region=make.region("RU-KDA").id))
    assert response.status_code == 422
    assert entry_count() == 0


@pytest.mark.parametrize("payload, filename, message", [
    (b"hello, I am text", "drawing.jpg", "не изображение"),
    (b"", "empty.png", "Файл пустой"),
    (b"%PDF-1.4 something", "scan.pdf", "не принимаются"),
])
def test_files_that_are_not_drawings(app, client, make, contest, payload, filename, message):
    response = client.post("/submit", data=form(make, image=payload, filename=filename))
    assert response.status_code == 422
    assert message.encode() in response.data
    assert b"JPEG" in response.data  # the message names what is accepted
    assert entry_count() == 0 and stored_files(app) == []


def test_hostile_filename_is_harmless(app, client, make, contest):
    response = client.post("/submit", data=form(make, filename="../../x.jpg"))
    assert response.status_code == 302
    root = Path(app.config["UPLOAD_FOLDER"]).resolve()
    assert all(root in p.resolve().parents for p in stored_files(app))
    assert not any(p.name == "x.jpg" for p in stored_files(app))


def test_same_image_twice_is_refused(app, client, make, contest):
    image = jpeg(seed=7)
    client.post("/submit", data=form(make, image=image))
    response = client.post("/submit", data=form(make, image=image, child_first_name="Петя"))
    assert "уже присылали".encode() in response.data
    assert entry_count() == 1 and len(stored_files(app)) == 3


def test_same_child_twice_is_refused(client, make, contest):
    client.post("/submit", data=form(make, image=jpeg(seed=1)))
    response = client.post("/submit", data=form(make, image=jpeg(seed=2), child_first_name=" маша "))
    assert "уже прислал".encode() in response.data
    assert entry_count() == 1


@pytest.mark.parametrize("first, second", [
    ({"age": "9"}, {"age": "", "birth_date": "born 9"}),
    ({"age": "", "birth_date": "born 9"}, {"age": "9"}),
    ({"age": "", "birth_date": "born 9"}, {"age": "", "birth_date": "born 9, a day later"}),
])
def test_same_child_by_age_or_birth_date(client, make, contest, first, second):
    from datetime import timedelta

    from contest.entries import child_key

    reference = contest.age_reference_date
    nine = reference.replace(year=reference.year - 9, day=1)
    dates = {"born 9": nine - timedelta(days=40), "born 9, a day later": nine - timedelta(days=39)}

    def fields(given):
        return {name: str(dates.get(value, value)) for name, value in given.items()}

    client.post("/submit", data=form(make, image=jpeg(seed=1), **fields(first)))
    response = client.post("/submit", data=form(make, image=jpeg(seed=2), **fields(second)))
    assert response.status_code == 422
    assert "Этот ребёнок уже прислал 1 рисунок —".encode() in response.data
    assert entry_count() == 1
    assert child_key(db.session.scalar(select(Entry))) == (
        make.region("RU-TA").id, "маша", "иванова", 9)


def test_same_name_another_age_is_another_child(client, make, contest):
    client.post("/submit", data=form(make, image=jpeg(seed=1), age="9"))
    response = client.post("/submit", data=form(make, image=jpeg(seed=2), age="10"))
    assert response.status_code == 302
    assert entry_count() == 2


def test_the_limit_is_told_in_russian_plurals(client, make):
    make.contest(phase=Phase.SUBMISSIONS_OPEN, entries_per_child=2)
    for seed in (1, 2):
        client.post("/submit", data=form(make, image=jpeg(seed=seed)))
    response = client.post("/submit", data=form(make, image=jpeg(seed=3)))
    assert "Этот ребёнок уже прислал 2 рисунка —".encode() in response.data
    assert entry_count() == 2


def test_age_reference_date_ends_with_one_full_stop(client, contest):
    page = client.get("/submit").data.decode()
    assert "Возраст на " in page and "г.." not in page


def test_submissions_close_with_the_phase(client, make, contest):
    contest.phase = Phase.REGIONAL_JUDGING
    db.session.commit()
    assert client.post("/submit", data=form(make)).status_code == 200
    assert entry_count() == 0


def test_status_page_by_code(client, make, contest):
    entry = make.entry(contest)
    code = format_code(entry.code)
    response = client.post("/status", data={"code": code.lower()})
    assert response.headers["Location"] == f"/status/{entry.code}"
    page = client.get(f"/status/{entry.code}").data.decode()
    assert "Получена, ждёт проверки" in page
    assert entry.guardian_email not in page and entry.child_last_name not in page
    assert client.get(f"/status/{entry.code}/drawing.jpg").headers["Content-Type"] == "image/jpeg"


def test_unknown_code(client, make, contest):
    response = client.post("/status", data={"code": "AAAA-BBB-CCC"})
    assert "Работы с таким кодом нет".encode() in response.data
    assert client.get("/status/AAAABBBCCC").status_code == 404


def test_better_photo_when_asked(app, client, make, contest):
    entry = make.entry(contest, status=EntryStatus.NEEDS_PHOTO)
    old_key = entry.image_key
    assert "Прислать фотографию получше".encode() in client.get(f"/status/{entry.code}").data
    response = client.post(f"/status/{entry.code}/photo",
                           data={"image": (io.BytesIO(jpeg(seed=99)), "better.jpg")})
    assert response.status_code == 302
    assert entry.status is EntryStatus.RECEIVED and entry.image_key != old_key
    assert len(stored_files(app)) == 3


@pytest.mark.parametrize("image, filename, message", [
    (b"not an image at all", "better.jpg", "не изображение"),
    (None, "same.jpg", "уже присылали"),
    ("small", "tiny.jpg", "слишком мал"),
], ids=["unreadable", "duplicate", "too small"])
def test_a_refused_better_photo_is_explained_on_the_status_page(app, client, make, contest,
                                                                image, filename, message):
    entry = make.entry(contest, status=EntryStatus.NEEDS_PHOTO)
    old_key, files = entry.image_key, len(stored_files(app))
    if image is None:  # the very drawing already in the contest, sent for another child
        image = jpeg(seed=4242)
        entries.submit(contest, make.details(make.region("RU-MOW")), process_image(image))
        files = len(stored_files(app))
    elif image == "small":
        image = jpeg((200, 150))
    response = client.post(f"/status/{entry.code}/photo",
                           data={"image": (io.BytesIO(image), filename)})
    page = response.data.decode()
    assert response.status_code == 422, page[:2000]
    assert message in page and "Прислать фотографию получше" in page
    assert entry.status is EntryStatus.NEEDS_PHOTO and entry.image_key == old_key
    assert len(stored_files(app)) == files


def test_better_photo_while_the_region_is_still_in_moderation(client, make, contest):
    entry = make.entry(contest, status=EntryStatus.NEEDS_PHOTO)
    contest.phase = Phase.REGIONAL_JUDGING
    db.session.commit()
    response = client.post(f"/status/{entry.code}/photo",
                           data={"image": (io.BytesIO(jpeg(seed=99)), "better.jpg")})
    assert response.status_code == 302 and entry.status is EntryStatus.RECEIVED


def test_no_new_photo_once_judging_started(app, client, make, contest):
    entry = make.entry(contest, status=EntryStatus.NEEDS_PHOTO)
    contest.phase, entry.stage.status = Phase.REGIONAL_JUDGING, StageStatus.JUDGING_OPEN
    db.session.commit()
    old_key = entry.image_key
    page = client.get(f"/status/{entry.code}").data.decode()
    assert "Прислать фотографию получше" not in page and "прислать уже нельзя" in page
    response = client.post(f"/status/{entry.code}/photo",
                           data={"image": (io.BytesIO(jpeg(seed=99)), "better.jpg")})
    assert response.headers["Location"] == f"/status/{entry.code}"
    assert entry.status is EntryStatus.NEEDS_PHOTO and entry.image_key == old_key


def test_batch_example_list(client, contest):
    response = client.get("/submit/batch/example.csv")
    assert response.headers["Content-Type"].startswith("text/csv")
    assert response.data.decode("utf-8-sig").startswith("файл;имя;фамилия;дата рождения;")
    client.post("/language", data={"lang": "en"})
    english = client.get("/submit/batch/example.csv").data.decode("utf-8-sig")
    assert english.startswith("file;first_name;last_name;birth_date;")
    assert english.rstrip().endswith(";yes;yes;yes")
    assert not re.search("[а-яё]", english, re.IGNORECASE)  # no Russian values in English


def test_the_english_example_list_is_read_back_as_it_is(app, client, make, contest):
    client.post("/language", data={"lang": "en"})
    listing = client.get("/submit/batch/example.csv").data
    data = {"region": make.region("RU-SPE").id, "town": "Saint Petersburg",
            "institution": "School 239", "teacher": "O. Petrova", "confirm": "y",
            "sheet": (io.BytesIO(listing), "example.csv"),
            "archive": (io.BytesIO(_zip({"masha.jpg": jpeg(seed=7)})), "drawings.zip")}
    response = client.post("/submit/batch", data=data)
    assert response.status_code == 302, response.data.decode()[-2000:]
    entry = db.session.scalar(select(Entry))
    assert entry.child_first_name == "Masha" and entry.consent("print") and entry.consent("show_name")


def _zip(files: dict[str, bytes]) -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return out.getvalue()


def _batch(make, rows: list[str], files: dict[str, bytes]):
    sheet = "file;first_name;last_name;age;title;guardian_name;guardian_email;consent_personal_data;consent_print\n"
    sheet += "\n".join(rows) + "\n"
    return {"region": make.region("RU-SPE").id, "town": "Санкт-Петербург",
            "institution": "Лицей 239", "teacher": "Петрова О. И.", "confirm": "y",
            "sheet": (io.BytesIO(sheet.encode("cp1251")), "class.csv"),
            "archive": (io.BytesIO(_zip(files)), "drawings.zip")}


def test_batch_stores_a_whole_class(app, client, make, contest):
    rows = [f"class/{n}.jpg;Ученик{n};Петров;{7 + n};Рисунок {n};Петров П.;p{n}@example.org;да;да"
            for n in range(3)]
    data = _batch(make, rows, {f"class/{n}.jpg": jpeg(seed=n) for n in range(3)})
    response = client.post("/submit/batch", data=data)
    assert response.status_code == 302, response.data.decode()[-3000:]
    assert response.headers["Location"].startswith("/submit/batch/done/")
    assert entry_count() == 3
    assert {e.institution for e in db.session.scalars(select(Entry))} == {"Лицей 239"}
    page = client.get(response.headers["Location"]).data.decode()
    assert all(format_code(e.code) in page for e in db.session.scalars(select(Entry)))
    assert "Ученик0 Петров" in page and "Рисунок 2" in page


def test_the_codes_of_a_class_survive_a_reload_and_stay_with_the_sender(app, client, make,
                                                                       contest):
    rows = [f"{n}.jpg;Ученик{n};Петров;{7 + n};Рисунок {n};Петров П.;p{n}@example.org;да;да"
            for n in range(2)]
    done = client.post("/submit/batch", data=_batch(
        make, rows, {f"{n}.jpg": jpeg(seed=n) for n in range(2)})).headers["Location"]
    codes = [format_code(e.code) for e in db.session.scalars(select(Entry))]
    for _ in range(2):  # a reload shows the list again and sends nothing
        response = client.get(done)
        assert response.status_code == 200
        assert response.headers["Cache-Control"] == "private, no-store"
        assert all(code in response.data.decode() for code in codes)
        assert entry_count() == 2
    assert client.get(done + "x").status_code == 404
    assert app.test_client().get(done).status_code == 404  # another browser: no codes

    rows = ["a.jpg;Аня;Сидорова;8;Солнце;Сидорова М.;a@example.org;да;да"]
    second = client.post("/submit/batch", data=_batch(make, rows, {"a.jpg": jpeg(seed=9)})
                         ).headers["Location"]
    assert second != done
    page = client.get(second).data.decode()
    assert "Аня Сидорова" in page and not any(code in page for code in codes)
    assert all(code in client.get(done).data.decode() for code in codes)  # both are kept


def test_the_session_keeps_only_a_batch_worth_of_codes(app, client, make, contest):
    from contest import batch
    from contest.submit.routes import BATCHES_KEY

    with client.session_transaction() as session:
        session[BATCHES_KEY] = [["old", list(range(1, batch.MAX_ROWS))]]
    rows = ["a.jpg;Аня;Сидорова;8;Солнце;Сидорова М.;a@example.org;да;да",
            "b.jpg;Боря;Сидоров;9;Луна;Сидорова М.;a@example.org;да;да"]
    done = client.post("/submit/batch", data=_batch(
        make, rows, {"a.jpg": jpeg(seed=1), "b.jpg": jpeg(seed=2)})).headers["Location"]
    assert client.get(done).status_code == 200
    assert client.get("/submit/batch/done/old").status_code == 404  # 299 + 2 > 300: forgotten
    with client.session_transaction() as session:
        assert [key for key, _ in session[BATCHES_KEY]] == [done.rsplit("/", 1)[1]]


def test_batch_with_a_bad_row_stores_nothing(app, client, make, contest):
    rows = ["a.jpg;Аня;Петрова;8;Солнце;Петрова М.;a@example.org;да;да",
            "b.jpg;Боря;Петров;8;Молоко;Петров М.;b@example.org;нет;да",
            "c.jpg;Вика;Петрова;8;Спорт;Петрова М.;c@example.org;да;да",
            "missing.jpg;Гоша;Петров;9;Кости;Петров М.;g@example.org;да;да"]
    data = _batch(make, rows, {"a.jpg": jpeg(seed=1), "b.jpg": jpeg(seed=2), "c.jpg": b"not an image"})
    response = client.post("/submit/batch", data=data)
    assert response.status_code == 422
    page = response.data.decode()
    assert "Ничего не сохранено" in page
    assert "c.jpg" in page and "missing.jpg" in page and "не изображение" in page
    assert "Без этого согласия участие невозможно" in page  # row 3, Боря
    assert "не похоже на адрес электронной почты" not in page
    assert entry_count() == 0 and stored_files(app) == []


def test_batch_row_with_a_negative_age_is_explained(app, client, make, contest):
    rows = ["a.jpg;Аня;Петрова;-3;Солнце;Петрова М.;a@example.org;да;да"]
    response = client.post("/submit/batch", data=_batch(make, rows, {"a.jpg": jpeg(seed=1)}))
    assert response.status_code == 422
    assert "ребёнку будет -3 лет" in response.data.decode()  # with its unit
    assert entry_count() == 0 and stored_files(app) == []


def test_batch_checks_every_contact(app, client, make, contest):
    rows = ['a.jpg;Аня;Петрова;8;Солнце;Петрова М.;"a@example.org\nBcc: all@example.org";да;да']
    response = client.post("/submit/batch", data=_batch(make, rows, {"a.jpg": jpeg(seed=1)}))
    assert response.status_code == 422
    assert "не похоже на адрес электронной почты" in response.data.decode()
    assert entry_count() == 0 and stored_files(app) == []


def test_batch_messages_name_the_columns_of_the_example(app, client, make, contest):
    data = _batch(make, [], {"a.jpg": jpeg(seed=1)})
    data["sheet"] = (io.BytesIO("фамилия;возраст\nПетрова;8\n".encode()), "class.csv")
    page = client.post("/submit/batch", data=data).data.decode()
    assert "не хватает: файл, имя, название" in page and "child_first_name" not in page
    rows = ["a.jpg;;Петрова;8;;Петрова М.;a@example.org;да;да"]
    page = client.post("/submit/batch", data=_batch(make, rows, {"a.jpg": jpeg(seed=1)})
                       ).data.decode()
    assert "Столбец «имя» не заполнен." in page and "Столбец «название» не заполнен." in page
    client.post("/language", data={"lang": "en"})
    page = client.post("/submit/batch", data=_batch(make, rows, {"a.jpg": jpeg(seed=1)})
                       ).data.decode()
    assert "“first_name”" in page and "child_first_name" not in page
    assert entry_count() == 0


def test_batch_counts_a_child_once_by_name_and_age(app, client, make, contest):
    rows = ["a.jpg;Аня;Петрова;8;Солнце;Петрова М.;a@example.org;да;да",
            "b.jpg;Аня;Петрова;8;Молоко;Петрова М.;a@example.org;да;да",
            "c.jpg;Аня;Петрова;11;Спорт;Петрова М.;a@example.org;да;да"]
    data = _batch(make, rows, {f"{n}.jpg": jpeg(seed=i) for i, n in enumerate("abc")})
    page = client.post("/submit/batch", data=data).data.decode()
    assert page.count("Этот ребёнок уже прислал 1 рисунок") == 1  # row 3 only; row 4 is older
    assert entry_count() == 0


def test_a_list_that_is_not_csv_is_explained(app, client, make, contest):
    data = _batch(make, [], {"a.jpg": jpeg(seed=1)})
    huge_field = b'file;first_name;title\n"' + b"x" * 200_000 + b'";a;b\n'
    data["sheet"] = (io.BytesIO(huge_field), "class.csv")
    response = client.post("/submit/batch", data=data)
    assert response.status_code == 422 and entry_count() == 0
    page = response.data.decode()
    assert "длиннее 1000 символов" in page and "x" * 1001 not in page
    data = _batch(make, [], {"a.jpg": jpeg(seed=1)})
    data["sheet"] = (io.BytesIO(b"\x00\x01binary;\xff\xfe\n\"unclosed"), "class.csv")
    response = client.post("/submit/batch", data=data)
    assert response.status_code == 422 and entry_count() == 0


@pytest.mark.parametrize("email, phone, problems", [
    ("anna@example.org", "", set()),
    ("", "+7 (912) 345-67-89", set()),
    ("Anna.Ivanova@почта.рф", "8 912 345 67 89", set()),
    ("anna@example", "", {"guardian_email"}),
    ("anna@example.org\r\nBcc: x@example.org", "", {"guardian_email"}),
    ("<anna@example.org>", "", {"guardian_email"}),
    ("", "+7 912", {"guardian_phone"}),
    ("", "9123456789012345678", {"guardian_phone"}),
    ("", "+7 912 345-67-89; звонить вечером", {"guardian_phone"}),
])
def test_contact_rules(app, email, phone, problems):
    from contest.entries import contact_problems

    assert set(contact_problems(email, phone)) == problems


def test_the_form_opens_on_the_opening_date(client, make):
    from datetime import date, timedelta

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    contest.submissions_open_on = date.today() + timedelta(days=3)
    db.session.commit()
    assert "Приём работ закрыт" in client.get("/submit").data.decode()
    assert "Отправить рисунок" not in client.get("/").data.decode()
    contest.submissions_open_on = date.today()
    db.session.commit()
    assert "Отправить рисунок" in client.get("/").data.decode()
    assert client.get("/submit").status_code == 200


def test_a_drawing_left_out_of_the_list_is_pointed_out(app, client, make, contest):
    rows = ["a.jpg;Аня;Петрова;8;Солнце;Петрова М.;a@example.org;да;да"]
    files = {"a.jpg": jpeg(seed=1), "class/forgotten.JPG": jpeg(seed=2),
             "__MACOSX/._a.jpg": b"x", "notes.txt": b"list"}
    response = client.post("/submit/batch", data=_batch(make, rows, files))
    assert response.status_code == 422
    page = response.data.decode()
    assert "forgotten.JPG" in page and "но нет в списке" in page
    assert "notes.txt" not in page and "__MACOSX" not in page
    assert entry_count() == 0


def _xlsx(rows: list[list[str]]) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    for row in rows:
        book.active.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.mark.parametrize("kind", ["xlsx", "csv"])
def test_a_multi_line_cell_ends_with_the_codes_and_everything_stored(app, client, make, contest,
                                                                     kind):
    """Excel's multi-line cells: the title is stored on one line, the family is told, the
    teacher sees the codes, and the database and the storage agree."""
    header = ["file", "first_name", "last_name", "age", "title", "guardian_name",
              "guardian_email", "consent_personal_data", "consent_print"]
    rows = [["a.jpg", "Аня", "Петрова", "8", "Молоко\nи солнце", "Петрова\r\nМария",
             "a@example.org", "да", "да"],
            ["b.jpg", "Боря", "Петров", "9", "Луна", "Петров М.", "b@example.org", "да", "да"]]
    if kind == "xlsx":
        sheet = _xlsx([header, *rows])
    else:
        sheet = "\n".join(";".join(f'"{c}"' for c in row) for row in [header, *rows]).encode()
    data = _batch(make, [], {"a.jpg": jpeg(seed=1), "b.jpg": jpeg(seed=2)})
    data["sheet"] = (io.BytesIO(sheet), f"class.{kind}")
    response = client.post("/submit/batch", data=data)
    assert response.status_code == 302, response.data.decode()[-2000:]
    page = client.get(response.headers["Location"]).data.decode()
    stored = db.session.scalars(select(Entry).order_by(Entry.id)).all()
    assert [e.title for e in stored] == ["Молоко и солнце", "Луна"]
    assert stored[0].guardian_name == "Петрова Мария"
    assert all(format_code(e.code) in page for e in stored)
    kept = {str(p.relative_to(app.config["UPLOAD_FOLDER"])) for p in stored_files(app)}
    assert kept == {f"{e.image_key}/{name}" for e in stored
                    for name in ("print.jpg", "preview.jpg", "thumb.jpg")}
    assert len(list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))) == 2


def held_photos(app) -> list[Path]:
    return [p for p in (Path(app.config["UPLOAD_FOLDER"]) / "held").rglob("*") if p.is_file()]


def test_the_photo_is_kept_across_a_mistake_elsewhere(app, client, make, contest):
    response = client.post("/submit", data=form(make, consent_personal_data=""))
    assert response.status_code == 422
    page = response.data.decode()
    assert "Фотография сохранена" in page and 'src="/submit/photo.jpg"' in page
    assert entry_count() == 0 and stored_files(app) == []  # nothing stored as an entry yet
    thumb = client.get("/submit/photo.jpg")
    assert thumb.status_code == 200 and thumb.mimetype == "image/jpeg"
    assert thumb.headers["Cache-Control"] == "private, no-store"
    assert app.test_client().get("/submit/photo.jpg").status_code == 404  # another browser

    retry = form(make)
    del retry["image"]  # the family fixes the consent and sends no photo again
    response = client.post("/submit", data=retry)
    assert response.status_code == 302, response.data.decode()[-2000:]
    entry = db.session.scalar(select(Entry))
    assert entry.image_sha256 and stored_files(app)
    assert held_photos(app) == []  # forgotten once stored
    assert client.get("/submit/photo.jpg").status_code == 404


def test_a_new_file_replaces_the_kept_photo(app, client, make, contest):
    client.post("/submit", data=form(make, image=jpeg(seed=1), age=""))
    first = client.get("/submit/photo.jpg").data
    client.post("/submit", data=form(make, image=jpeg(seed=2), age=""))
    assert client.get("/submit/photo.jpg").data != first
    assert len({p.parent for p in held_photos(app)}) == 1  # the first one is gone
    response = client.post("/submit", data=form(make, image=b"not an image", filename="x.jpg"))
    assert response.status_code == 422 and held_photos(app) == []  # a refused file: nothing kept


def test_without_a_photo_or_a_kept_one_the_form_asks_for_it(client, make, contest):
    data = form(make)
    del data["image"]
    response = client.post("/submit", data=data)
    assert response.status_code == 422
    assert "Выберите фотографию рисунка" in response.data.decode()
    assert entry_count() == 0


def test_kept_photos_are_swept_after_an_hour(app, client, make, contest):
    from datetime import UTC, datetime

    from contest import jobs
    from contest.uploads import held

    assert jobs.PERIODIC["sweep-held-photos"].function is held.sweep_held_photos

    client.post("/submit", data=form(make, age=""))
    assert held_photos(app)
    made = held_photos(app)[0].parent.stat().st_mtime  # the folder's own clock, not a wait
    with app.test_request_context():
        assert held.sweep(now=made + 600) == 0
        assert held.sweep(now=made + held.HOLD_SECONDS + 1) == 1
    assert held_photos(app) == []
    data = form(make)
    del data["image"]
    assert client.post("/submit", data=data).status_code == 422  # it has to be sent again
    client.post("/submit", data=form(make, age=""))
    later = datetime.fromtimestamp(held_photos(app)[0].parent.stat().st_mtime + 3700, UTC)
    with app.app_context():
        assert held.sweep_held_photos(later.replace(tzinfo=None)) == "1 kept photos removed"
    assert held_photos(app) == []


def test_the_contact_rule_is_marked_on_the_form(client, contest):
    page = client.get("/submit").data.decode()
    assert "Электронная почта или телефон, хотя бы одно" in page
    assert 'aria-describedby="contact-rule' in page


def test_a_school_gets_its_codes_by_email_as_a_table(app, client, make, contest, smtp):
    """A line number, the code and the status link per drawing; nothing the sender typed."""
    import csv

    rows = [f"{n}.jpg;Ученик{n};Петров;{7 + n};Рисунок {n};Петров П.;p{n}@example.org;да;да"
            for n in range(2)]
    data = _batch(make, rows, {f"{n}.jpg": jpeg(seed=n) for n in range(2)})
    data["email"] = "teacher@school.example"
    assert client.post("/submit/batch", data=data).status_code == 302
    (message,) = smtp.to("teacher@school.example")
    assert message["Subject"] == "Коды рисунков вашего класса"
    assert "2 рисунка" in smtp.text(message)
    (part,) = list(message.iter_attachments())
    assert part.get_filename() == f"codes-{contest.year}.csv"
    table = list(csv.reader(part.get_payload(decode=True).decode("utf-8-sig").splitlines(),
                            delimiter=";"))
    entries = sorted(db.session.scalars(select(Entry)), key=lambda e: e.id)
    assert table[0] == ["Строка списка", "Код работы", "Страница статуса"]
    assert [row[:2] for row in table[1:]] == [["1", format_code(entries[0].code)],
                                              ["2", format_code(entries[1].code)]]
    assert table[1][2].endswith(f"/status/{entries[0].code}")
    assert "Ученик" not in part.get_payload(decode=True).decode("utf-8-sig")
    assert "Ученик" not in smtp.text(message)
