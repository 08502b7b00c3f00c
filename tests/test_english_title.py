"""The family's English title: given on the form or in a school's list, shown on English pages,
in the English calendar and on English certificates; the Russian title marked as such else."""

import io
import subprocess

import pytest
from sqlalchemy import select

from calendar_builder import Caption, Text
from calendar_builder.layout.blocks import caption_text
from contest import certificates, demo
from contest.extensions import db
from contest.models import Award, Entry, EntryStatus, Phase

from .factories import jpeg
from .test_submit import _zip, form


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


def pdf_text(data: bytes) -> str:
    """The PDF's text as poppler (not the library that wrote it) reads it, on one line."""
    out = subprocess.run(["pdftotext", "-layout", "-", "-"], input=data, capture_output=True,
                         check=True).stdout.decode()
    return " ".join(out.split())


def test_the_form_stores_the_english_title_as_one_line_of_text(client, make, contest):
    response = client.post("/submit", data=form(
        make, title_en="Milk\r\nand <b>sunshine</b>\u202e"), content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()[:2000]
    entry = db.session.scalar(select(Entry))
    assert entry.title_en == "Milk and <b>sunshine</b>"
    page = client.get(f"/status/{entry.code}").data.decode()
    assert "«Молоко и солнце»" in page and "sunshine" not in page
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/status/{entry.code}").data.decode()
    assert "“Milk and &lt;b&gt;sunshine&lt;/b&gt;”" in page and "<b>sunshine" not in page


def test_without_an_english_title_english_pages_mark_the_russian_one(client, make, contest):
    entry = make.entry(contest)
    client.post("/language", data={"lang": "en"})
    page = client.get(f"/status/{entry.code}").data.decode()
    assert f"“{entry.title}” (title in Russian)" in page


def test_a_huge_english_title_is_refused_with_a_message(client, make, contest):
    response = client.post("/submit", data=form(make, title_en="x" * 5000),
                           content_type="multipart/form-data")
    assert response.status_code == 422
    assert "200" in response.data.decode()
    assert db.session.scalar(select(Entry)) is None


def test_the_example_lists_have_the_english_title_column(client, contest):
    russian = client.get("/submit/batch/example.csv").data.decode("utf-8-sig").splitlines()
    assert "название по-английски" in russian[0].split(";")
    client.post("/language", data={"lang": "en"})
    english = client.get("/submit/batch/example.csv").data.decode("utf-8-sig").splitlines()
    header, row = english[0].split(";"), english[1].split(";")
    assert row[header.index("title_en")] == "Milk and sunshine"


def _school(make, rows: list[str]):
    sheet = ("файл;имя;фамилия;возраст;название;название по-английски;родитель;почта;"
             "согласие на обработку данных\n" + "\n".join(rows) + "\n")
    return {"region": make.region("RU-SPE").id, "town": "Санкт-Петербург",
            "institution": "Лицей 239", "teacher": "Петрова О. И.", "confirm": "y",
            "sheet": (io.BytesIO(sheet.encode("utf-8")), "class.csv"),
            "archive": (io.BytesIO(_zip({f"{n}.jpg": jpeg(seed=n) for n in range(2)})),
                        "drawings.zip")}


def test_a_schools_list_gives_english_titles(client, make, contest):
    rows = ["0.jpg;Аня;Петрова;8;Зима;Winter;Петрова П.;p0@example.org;да",
            "1.jpg;Оля;Петрова;9;Лето;;Петрова П.;p1@example.org;да"]
    response = client.post("/submit/batch", data=_school(make, rows))
    assert response.status_code == 302, response.data.decode()[-3000:]
    assert {e.title: e.title_en for e in db.session.scalars(select(Entry))} == {
        "Зима": "Winter", "Лето": ""}


def test_a_too_long_english_title_in_a_list_is_named_by_row(client, make, contest):
    rows = ["0.jpg;Аня;Петрова;8;Зима;" + "W" * 300 + ";Петрова П.;p0@example.org;да",
            "1.jpg;Оля;Петрова;9;Лето;;Петрова П.;p1@example.org;да"]
    response = client.post("/submit/batch", data=_school(make, rows))
    assert response.status_code in (200, 422)
    assert "не длиннее 200 символов" in response.data.decode()
    assert db.session.scalar(select(Entry)) is None


def test_the_english_gallery_and_results_use_the_english_title(client):
    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(700, 500), judged_per_region=5)
    shown = [e for e in db.session.scalars(select(Entry).where(Entry.award == Award.WINNER))
             if e.consent("print")]
    named, bare = shown[0], shown[1]
    named.title, named.title_en, bare.title, bare.title_en = "Зима", "Winter", "Лето", ""
    db.session.commit()
    year = named.contest.year
    client.post("/language", data={"lang": "en"})
    for url in (f"/gallery/{year}", f"/gallery/{year}/{named.id}", f"/results/{year}"):
        page = client.get(url).data.decode()
        assert "“Winter”" in page and "Зима" not in page, url
    assert "“Лето” (title in Russian)" in client.get(f"/gallery/{year}").data.decode()
    client.post("/language", data={"lang": "ru"})
    assert "«Зима»" in client.get(f"/gallery/{year}").data.decode()


def test_the_english_calendar_caption():
    given = Caption(Text("Маша", "Masha"), 9, Text("Тверь", "Tver"), Text("Зима", "Winter"))
    bare = Caption(Text("Маша", "Masha"), 9, Text("Тверь", "Tver"), Text("Зима"))
    assert caption_text(given, "en") == "Masha, age 9, Tver. “Winter”"
    assert caption_text(bare, "en") == "Masha, age 9, Tver. “Зима” (title in Russian)"
    assert caption_text(bare, "ru") == "Маша, 9 лет, Тверь. «Зима»"


def test_the_calendar_bridge_passes_the_english_title(make):
    from contest.wall_calendar.bridge import caption

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, title="Зима", title_en="Winter")
    assert caption(entry).title == Text("Зима", "Winter")


# Every case a certificate is printed for, with the sentences it must say, in both languages.
CASES = [
    (None, "ru", "Winter", ["Сертификат участника", "участник конкурса", "Маша Иванова",
                            "с рисунком «Зима»"]),
    (Award.FINALIST, "ru", "Winter", [
        "Диплом финалиста", "награждается", "Маша Иванова",
        "за рисунок «Зима», выбранный региональным жюри для федерального этапа"]),
    (Award.WINNER, "ru", "Winter", ["Диплом победителя", "награждается", "Маша Иванова",
                                    "за рисунок «Зима», победивший на федеральном этапе"]),
    (None, "en", "Winter", ["Certificate of participation", "contest participant",
                            "Masha Ivanova", "with the drawing “Winter”"]),
    (Award.FINALIST, "en", "", [
        "Finalist's diploma", "awarded to", "Masha Ivanova",
        "for the drawing “Зима” (title in Russian), chosen by the regional jury for the "
        "national stage"]),
    (Award.WINNER, "en", "Winter", ["Winner's diploma", "awarded to", "Masha Ivanova",
                                    "for the drawing “Winter”, a winner of the national stage"]),
]


@pytest.mark.parametrize(("award", "language", "title_en", "sentences"), CASES)
def test_every_certificate_says_it_in_good_words(make, award, language, title_en, sentences):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, status=EntryStatus.ACCEPTED, child_first_name="Маша",
                       child_last_name="Иванова", title="Зима", title_en=title_en)
    entry.award = award
    db.session.commit()
    text = pdf_text(certificates.render([entry], language))
    for sentence in sentences:
        assert sentence in text
    assert "вручается" not in text
    if language == "en":  # no Cyrillic beside the Latin name but the marked Russian title
        assert not any("а" <= ch <= "я" for ch in text.replace("Зима", "").lower())


def test_a_very_long_title_stays_in_its_column(make):
    from flask_babel import force_locale
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, status=EntryStatus.ACCEPTED, title="Очень длинное название " * 8)
    with force_locale("ru"):
        items = certificates.certificate_layout(entry, "participant", None)
    column = [w for w in items if isinstance(w, certificates.Words) and w.x == certificates.LEFT]
    assert all(stringWidth(w.text, w.font, w.size) <= certificates.TEXT_WIDTH for w in column)
    assert sum("Очень" in w.text for w in column) >= 2  # wrapped, not shrunk to nothing
    assert min(w.size for w in column if w.y > 60 * mm) >= 11
