"""Organizers set who signs an edition's certificates, their signatures and the logo; every
certificate prints them (checked with poppler's pdftotext and by looking at a rendered page)."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageDraw
from sqlalchemy import select

from contest import certificates
from contest.extensions import db
from contest.models import AuditLog, Contest, EntryStatus, Phase, Role

from .factories import jpeg
from .test_english_title import pdf_text


def signature_png() -> bytes:
    """A signature as a scan gives it, with a camera's metadata that must not be kept."""
    image = Image.new("RGB", (600, 200), "white")
    ImageDraw.Draw(image).line([(40, 150), (150, 40), (220, 160), (330, 50), (560, 120)],
                               fill=(10, 20, 90), width=9)
    exif = Image.Exif()
    exif[0x010F] = "SecretCam"  # Make
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif)
    return out.getvalue()


def people_form(**overrides):
    data = {
        "s0_name": "Иванов Пётр", "s0_title_ru": "Председатель оргкомитета",
        "s0_title_en": "Chair of the organizing committee",
        "s0_image": (io.BytesIO(signature_png()), "sign.png"),
        "s1_name": "Орлова Анна", "s1_title_ru": "Главный врач", "s1_title_en": "Chief physician",
        "s2_name": "", "s2_title_ru": "", "s2_title_en": "",
        "logo": (io.BytesIO(jpeg((800, 300), seed=3, exif=b"Exif\x00\x00")), "logo.jpg"),
    }
    data.update(overrides)
    return data


@pytest.fixture
def edition(make, login):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    login(make.user(Role.ORGANIZER))
    return contest


def url(contest):
    return f"/organizer/contests/{contest.id}/certificates"


def test_signatures_and_logo_are_printed(app, client, make, edition):
    response = client.post(url(edition), data=people_form(), content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()[-2000:]
    contest = db.session.get(Contest, edition.id)
    people = contest.certificate_signatories
    assert [p["name"] for p in people] == ["Иванов Пётр", "Орлова Анна"]
    assert people[0]["signature"] and not people[1]["signature"] and contest.certificate_logo
    for key in (people[0]["signature"], contest.certificate_logo):
        stored = Path(app.config["UPLOAD_FOLDER"], key).read_bytes()
        with Image.open(io.BytesIO(stored)) as image:
            assert image.format == "JPEG" and not image.getexif()
        assert b"SecretCam" not in stored
    assert db.session.scalar(select(AuditLog).where(
        AuditLog.action == "contest.certificate_people"))
    page = client.get(url(edition)).data.decode()
    assert 'value="Иванов Пётр"' in page and "Подпись загружена" in page

    entry = make.entry(contest, status=EntryStatus.ACCEPTED, child_first_name="Маша",
                       child_last_name="Иванова", title="Зима", title_en="Winter")
    russian = pdf_text(certificates.render([entry], "ru"))
    for text in ("Иванов Пётр", "Председатель оргкомитета", "Орлова Анна", "Главный врач"):
        assert text in russian
    assert "Региональный координатор" not in russian
    english = pdf_text(certificates.render([entry], "en"))
    for text in ("Ivanov Pyotr", "Chair of the organizing committee", "Orlova Anna",
                 "Chief physician", "Masha Ivanova"):
        assert text in english
    assert not any("а" <= ch <= "я" for ch in english.lower())
    with_images = certificates.render([entry], "ru")
    contest.certificate_logo, contest.certificate_signatories = "", []
    assert len(with_images) > len(certificates.render([entry], "ru")) + 5000  # images in


def test_without_signatories_the_lines_are_labelled_by_role(make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    text = pdf_text(certificates.render([entry], "ru"))
    assert "Председатель оргкомитета" in text and "Региональный координатор" in text


def test_hostile_input_is_text_or_refused(app, client, edition):
    data = people_form(s0_name="<b>Иванов</b>\r\nПётр", s0_image=(io.BytesIO(b""), ""),
                       logo=(io.BytesIO(b""), ""))
    assert client.post(url(edition), data=data).status_code == 302
    contest = db.session.get(Contest, edition.id)
    assert contest.certificate_signatories[0]["name"] == "<b>Иванов</b> Пётр"
    assert "&lt;b&gt;Иванов" in client.get(url(edition)).data.decode()

    huge = client.post(url(edition), data=people_form(s1_name="Я" * 5000))
    assert huge.status_code == 422 and "120" in huge.data.decode()
    not_image = client.post(url(edition), data=people_form(
        s0_image=(io.BytesIO(b"<?php system($_GET['x']); ?>"), "sign.png")))
    assert not_image.status_code == 422
    nameless = client.post(url(edition), data=people_form(s1_name=""))
    assert nameless.status_code == 422
    assert "Укажите имя того, кто подписывает" in nameless.data.decode()
    db.session.expire_all()
    assert db.session.get(Contest, edition.id).certificate_signatories[0]["name"] == \
        "<b>Иванов</b> Пётр"  # refused changes changed nothing


def test_a_removed_signature_and_logo_leave_storage(app, client, edition):
    client.post(url(edition), data=people_form())
    contest = db.session.get(Contest, edition.id)
    keys = [contest.certificate_signatories[0]["signature"], contest.certificate_logo]
    data = people_form(s0_drop="y", drop_logo="y", s0_image=(io.BytesIO(b""), ""),
                       logo=(io.BytesIO(b""), ""))
    assert client.post(url(edition), data=data).status_code == 302
    db.session.expire_all()
    contest = db.session.get(Contest, edition.id)
    assert contest.certificate_signatories[0]["signature"] == "" and not contest.certificate_logo
    assert not any(Path(app.config["UPLOAD_FOLDER"], key).exists() for key in keys)


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.JUROR])
def test_only_organizers_set_them(client, make, login, role):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    login(make.user(role, region=make.region()) if role is Role.COORDINATOR else make.user(role))
    assert client.get(url(contest)).status_code == 403
    assert client.post(url(contest), data=people_form()).status_code == 403
    assert db.session.get(Contest, contest.id).certificate_signatories == []
