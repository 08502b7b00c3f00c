"""The calendar's back page as the organizers set it: partners' logos and the imprint."""

import io
import struct
import zlib
from datetime import date

import pytest
from PIL import Image
from pypdf import PdfReader
from sqlalchemy import select

from calendar_builder.samples import make_logo
from contest import wall_calendar
from contest.extensions import db
from contest.i18n import latin
from contest.models import (
    AuditLog,
    CalendarExport,
    CalendarImprint,
    CalendarPartner,
    EntryStatus,
    Job,
    JobStatus,
    Phase,
    Role,
)
from contest.uploads.files import storage
from contest.wall_calendar import Options


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def organizer(make, login):
    return login(make.user(Role.ORGANIZER))


def png_logo(name: str = "Крепкие кости") -> bytes:
    out = io.BytesIO()
    make_logo(name).save(out, "PNG")
    return out.getvalue()


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return (struct.pack(">I", len(data)) + kind + data
            + struct.pack(">I", zlib.crc32(kind + data)))


def png_bomb(width: int = 50_000, height: int = 50_000) -> bytes:
    """A PNG of a few hundred bytes that says it has 2.5 gigapixels."""
    return (b"\x89PNG\r\n\x1a\n"
            + png_chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
            + png_chunk(b"IDAT", zlib.compress(b"\0" * 100_000, 9)) + png_chunk(b"IEND", b""))


def add_logo(client, contest, data: bytes, name: str = "Фонд", filename: str = "logo.png",
             name_en: str = ""):
    return client.post(f"/calendar/back/partners?contest={contest.id}", data={
        "name_ru": name, "name_en": name_en, "logo": (io.BytesIO(data), filename)},
        content_type="multipart/form-data")


IMPRINT = {"publisher_ru": "Общество «Крепкие кости»", "publisher_en": "Strong Bones",
           "print_run": "5000", "printer_ru": "Типография «Печатный двор», Тверь",
           "printer_en": "", "order_number": "12/7", "signed_on": "2026-11-15"}


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.JUROR])
def test_only_organizers_set_the_back_page(client, make, login, contest, role):
    assert client.get("/calendar/back").status_code == 302  # to the sign-in page
    region = make.region("RU-TA")
    login(make.user(role, region=region) if role is Role.COORDINATOR else make.user(role))
    assert client.get(f"/calendar/back?contest={contest.id}").status_code in (403, 404)
    for url in ("/calendar/back/imprint", "/calendar/back/partners",
                "/calendar/back/partners/1/remove"):
        assert client.post(f"{url}?contest={contest.id}", data=IMPRINT).status_code in (403, 404)
    assert db.session.scalar(select(CalendarImprint)) is None


def test_the_back_page_asks_for_a_csrf_token(other_app, contest):
    """Checked before anything else (tests/test_security.py checks every POST route)."""
    app = other_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    for url in ("/calendar/back/imprint", "/calendar/back/partners"):
        response = client.post(f"{url}?contest={contest.id}", data=IMPRINT)
        assert response.status_code == 400
    assert db.session.scalar(select(CalendarImprint)) is None


def test_an_organizer_saves_the_imprint(client, organizer, contest):
    page = client.get(f"/calendar/back?contest={contest.id}")
    assert page.status_code == 200 and "Выходные сведения" in page.data.decode()
    response = client.post(f"/calendar/back/imprint?contest={contest.id}", data=IMPRINT)
    assert response.status_code == 302
    row = wall_calendar.imprint(contest)
    assert (row.print_run, row.order_number, row.signed_on) == (5000, "12/7",
                                                                date(2026, 11, 15))
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "calendar.imprint"))
    spec = wall_calendar.to_spec(contest, None, Options(), allow_gaps=True)
    assert spec.back.imprint.print_run == 5000
    # The English edition writes an untranslated printer in Latin letters.
    assert spec.back.imprint.printer.en == latin(IMPRINT["printer_ru"]) != IMPRINT["printer_ru"]
    assert spec.back.imprint.publisher.en == "Strong Bones"
    # Saved again with a part emptied: the row is replaced, not doubled.
    client.post(f"/calendar/back/imprint?contest={contest.id}", data={**IMPRINT,
                                                                      "print_run": ""})
    assert db.session.scalar(select(CalendarImprint)).print_run is None
    assert len(db.session.scalars(select(CalendarImprint)).all()) == 1


@pytest.mark.parametrize("run", ["99999999999999999999999", "10000001", "0", "-5", "пять",
                                 "1e9", "5 000"])
def test_a_wrong_print_run_is_refused_in_words(client, organizer, contest, run):
    response = client.post(f"/calendar/back/imprint?contest={contest.id}",
                           data={**IMPRINT, "print_run": run})
    assert response.status_code == 422
    page = response.data.decode()
    assert "Исправьте отмеченные поля" in page or "отмечен" in page
    assert wall_calendar.imprint(contest) is None


def test_markup_and_line_breaks_in_the_imprint(client, organizer, contest):
    client.post(f"/calendar/back/imprint?contest={contest.id}", data={
        **IMPRINT, "publisher_ru": "<script>alert(1)</script>\r\nООО  «Ромашка»\u2028",
        "order_number": "12\n7"})
    row = wall_calendar.imprint(contest)
    assert row.publisher_ru == "<script>alert(1)</script> ООО «Ромашка»"  # one line, as text
    assert row.order_number == "12 7"
    page = client.get(f"/calendar/back?contest={contest.id}").data.decode()
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;" in page
    # The calendar builder takes it: one line, no control characters.
    spec = wall_calendar.to_spec(contest, None, Options(), allow_gaps=True)
    assert spec.back.imprint.order_number == "12 7"


def test_an_organizer_adds_and_removes_a_logo(client, organizer, contest):
    response = add_logo(client, contest, png_logo(), name="<b>Фонд</b>\nздоровья")
    assert response.status_code == 302
    row = db.session.scalar(select(CalendarPartner))
    assert row.name_ru == "<b>Фонд</b> здоровья"
    store = storage()
    with Image.open(io.BytesIO(store.read(row.logo_key))) as logo:
        assert logo.format == "JPEG" and logo.mode == "RGB"
        assert all(channel > 250 for channel in logo.getpixel((1, 1)))  # transparency: white
        assert not logo.getexif() and "exif" not in logo.info
    thumb = client.get(f"/calendar/back/partners/{row.id}/logo.jpg")
    assert thumb.headers["Content-Type"] == "image/jpeg"
    page = client.get(f"/calendar/back?contest={contest.id}").data.decode()
    assert "&lt;b&gt;Фонд&lt;/b&gt; здоровья" in page and "<b>Фонд</b>" not in page
    spec = wall_calendar.to_spec(contest, None, Options(partners=("Без логотипа",)),
                                 allow_gaps=True)
    assert [p.logo is not None for p in spec.back.partners] == [True, False]
    assert spec.back.partners[0].name.en == latin("<b>Фонд</b> здоровья")
    keys = (row.logo_key, row.thumbnail_key)
    response = client.post(f"/calendar/back/partners/{row.id}/remove?contest={contest.id}")
    assert response.status_code == 302
    assert db.session.scalar(select(CalendarPartner)) is None
    assert not any(store.exists(key) for key in keys)
    again = client.post(f"/calendar/back/partners/{row.id}/remove?contest={contest.id}")
    assert again.status_code == 302  # said on the page, never a 500


def test_a_jpeg_logo_keeps_no_metadata(client, organizer, contest):
    image = make_logo("Партнёр").convert("RGB")
    exif = Image.Exif()
    exif[0x010F] = "Phone maker"  # Make
    exif[0x8825] = {2: (55.0, 45.0, 0.0)}  # GPS latitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes(), quality=90)
    assert add_logo(client, contest, out.getvalue(), filename="logo.jpg").status_code == 302
    stored = storage().read(db.session.scalar(select(CalendarPartner)).logo_key)
    assert b"Phone maker" not in stored and b"Exif" not in stored


@pytest.mark.parametrize("data, filename, words", [
    (b"<html><script>alert(1)</script></html>", "logo.png", "не изображение"),
    (b"%PDF-1.4 not a logo", "logo.pdf", "Файлы PDF не принимаются"),
    (b"", "logo.png", "Выберите"),
    (png_bomb(), "bomb.png", "пиксел"),
    (png_bomb(60, 40), "tiny.png", ""),
])
def test_a_logo_the_calendar_cannot_use_is_refused(client, organizer, contest, data, filename,
                                                   words):
    response = add_logo(client, contest, data, filename=filename)
    assert response.status_code == 422
    assert words.lower() in response.data.decode().lower()
    assert db.session.scalar(select(CalendarPartner)) is None
    assert not list(storage().keys("calendar"))


def test_a_logo_over_5_mb_is_refused(client, organizer, contest):
    noise = Image.effect_noise((2400, 2000), 80).convert("RGB")
    out = io.BytesIO()
    noise.save(out, "PNG")
    assert len(out.getvalue()) > 5 * 1024 * 1024
    response = add_logo(client, contest, out.getvalue())
    response.request.input_stream.close()  # the test client's spooled body, left unread
    assert response.status_code == 413  # refused as it arrives, before Pillow sees it
    assert "отправьте файл поменьше" in response.data.decode().lower()
    assert db.session.scalar(select(CalendarPartner)) is None


def test_at_most_twelve_logos(client, organizer, contest):
    logo = png_logo()
    for n in range(wall_calendar.MAX_LOGOS):
        assert add_logo(client, contest, logo, name=f"Партнёр {n}").status_code == 302
    response = add_logo(client, contest, logo, name="Тринадцатый")
    assert response.status_code == 422
    assert "не больше 12" in response.data.decode()
    assert len(wall_calendar.partners(contest)) == wall_calendar.MAX_LOGOS


def test_the_exported_calendar_prints_logos_and_imprint(client, make, organizer, contest):
    region = make.region("RU-TA")
    drawings = [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                           size=(2480, 1754)) for age in [5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                                           15, 16, 9]]
    for slot, entry in zip(wall_calendar.SLOTS, drawings, strict=True):
        wall_calendar.assign(contest, region, slot, entry)
    wall_calendar.suggest_facts(contest, region)
    db.session.commit()
    client.post(f"/calendar/back/imprint?contest={contest.id}", data=IMPRINT)
    add_logo(client, contest, png_logo("Крепкие кости"))
    add_logo(client, contest, png_logo("Фонд здоровья"), name="Фонд здоровья")
    response = client.post(f"/calendar/export?contest={contest.id}&region={region.id}", data={
        "language": "ru", "page_format": "A4", "orientation": "portrait", "bleed_mm": "3",
        "max_per_region": "2", "output": "rgb"})
    assert response.status_code == 302
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.DONE, job.error
    export = db.session.scalar(select(CalendarExport))
    pdf = PdfReader(io.BytesIO(storage().read(export.pdf_key)))
    back = " ".join(pdf.pages[13].extract_text().replace("\u00a0", " ").split())
    for words in ("Тираж 5 000 экз.", "Заказ № 12/7", "Подписано в печать 15.11.2026",
                  "Типография: Типография «Печатный двор», Тверь"):
        assert words in back, back
    logos = [p for p in export.report["pages"][13]["images"] if p["what"].startswith("logo")]
    assert len(logos) == 2
