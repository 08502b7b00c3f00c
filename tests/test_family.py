"""A child's data and a family's consent: the tracking code stays private, the family sees its
own entry in full only from the browser that sent it, and the staff's notes stay with the staff.
"""

import io
import logging
import zipfile
from pathlib import Path

import pytest
from flask_babel import force_locale
from pypdf import PdfReader
from sqlalchemy import select

from contest import consents, entries
from contest.codes import format_code, redact
from contest.entries import family
from contest.extensions import db
from contest.models import Entry, EntryStatus, Job, JobStatus, Phase, Role
from contest.uploads import files

from .factories import jpeg


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


def form(make, **overrides):
    data = {
        "region": make.region("RU-TA").id, "town": "Казань", "child_first_name": "Полина",
        "child_last_name": "Смирнова", "birth_date": "", "age": "9", "institution": "",
        "teacher": "", "title": "Рыба и молоко", "description": "",
        "guardian_name": "Смирнова Ольга", "guardian_email": "polina.mama@mail.ru",
        "guardian_phone": "", "consent_personal_data": "y", "consent_print": "y",
        "image": (io.BytesIO(jpeg(seed=7)), "drawing.jpg"),
    }
    data.update(overrides)
    return data


def sent(client, make) -> Entry:
    response = client.post("/submit", data=form(make), content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()[:1000]
    return db.session.scalar(select(Entry))


def stored(entry: Entry, kind: str) -> bytes:
    return files.storage().read(files.image_key(entry, kind))


def test_mask_email():
    assert family.mask_email("polina.mama@mail.ru") == "p•••@mail.ru"
    assert family.mask_email("") == ""


def test_the_done_page_in_full_only_for_the_browser_that_sent_it(app, client, make, contest):
    entry = sent(client, make)
    mine = client.get(f"/submit/done/{entry.code}").data.decode()
    assert "polina.mama@mail.ru" in mine and format_code(entry.code) in mine
    assert client.get(f"/status/{entry.code}/drawing.jpg?size=thumb").data == stored(entry, "thumb")

    stranger = app.test_client()  # a relative the code was shared with
    page = stranger.get(f"/submit/done/{entry.code}").data.decode()
    assert "p•••@mail.ru" in page and "polina.mama" not in page


def test_someone_else_with_the_code_gets_the_masked_drawing(app, client, make, contest, login):
    entry = sent(client, make)
    entries.set_masks(entry, [(0.1, 0.8, 0.3, 0.1)])  # the child's signature
    assert files.hides_signature(entry)
    stranger = app.test_client()
    assert stranger.get(f"/status/{entry.code}/drawing.jpg").data == stored(entry, "jury")
    assert stranger.get(f"/status/{entry.code}/drawing.jpg").data != stored(entry, "preview")
    assert stranger.get(f"/status/{entry.code}/drawing.jpg?size=thumb").data == stored(
        entry, "public")
    assert client.get(f"/status/{entry.code}/drawing.jpg").data == stored(entry, "preview")


def test_the_status_page_shows_the_reason_and_never_the_staffs_note(client, make, contest, login):
    entry = make.entry(contest)
    login(make.user(Role.COORDINATOR, region=entry.stage.region))
    response = client.post(f"/coordinator/entries/{entry.id}/moderate", data={
        "decision": "needs_photo", "reason": "Фотография размыта, пришлите резкую.",
        "note": "Мама звонила, грубила; проверить подпись."})
    assert response.status_code == 302
    assert entry.moderation_note == "Мама звонила, грубила; проверить подпись."
    assert "проверить подпись" in client.get(f"/coordinator/entries/{entry.id}").data.decode()
    client.get("/auth/logout")
    page = client.get(f"/status/{entry.code}").data.decode()
    assert "Фотография размыта" in page
    assert "грубила" not in page and "проверить подпись" not in page
    mails = [p.read_bytes() for p in Path(client.application.config["OUTBOX_FOLDER"]).iterdir()]
    assert mails and not any("грубила".encode() in m for m in mails)


def test_erasure_forgets_the_staffs_note(make, contest):
    entry = make.entry(contest)
    entries.moderate(entry, EntryStatus.ACCEPTED, note="Брат тоже участвует")
    entries.erase_personal_data(entry)
    assert entry.moderation_note == ""


def test_the_certificate_file_holds_no_code(client, make, contest):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    response = client.get(f"/status/{entry.code}/certificate.pdf")
    disposition = response.headers["Content-Disposition"]
    assert disposition == f"attachment; filename=certificate-{contest.year}.pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.data)).pages)
    metadata = str(PdfReader(io.BytesIO(response.data)).metadata)
    for form_of_code in (entry.code, format_code(entry.code)):
        assert form_of_code not in text and form_of_code not in metadata
        assert form_of_code.encode() not in response.data


def test_the_certificates_zip_names_no_code(client, make, contest, login):
    entry = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, institution="Школа № 5")
    login(make.user(Role.ORGANIZER))
    client.post("/certificates", data={"stage": "0", "language": "ru"})
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.DONE, job.error
    with client.get(client.get(f"/jobs/{job.id}.json").json["download"]) as download:
        assert entry.code not in download.headers["Content-Disposition"]
        archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert archive.namelist() == ["RU-TA/Казань_Школа_N_5.pdf"]
    assert entry.code.encode() not in archive.read("RU-TA/Казань_Школа_N_5.pdf")


def test_no_stored_file_is_named_by_the_code(app, client, make, contest):
    entry = sent(client, make)
    names = [str(p) for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*")]
    assert len(names) > 4 and not any(entry.code in name for name in names)
    entries.moderate(entry, EntryStatus.NEEDS_PHOTO, "Размыто")
    client.post(f"/status/{entry.code}/photo",
                data={"image": (io.BytesIO(jpeg(seed=8)), "better.jpg")})
    assert entry.status is EntryStatus.RECEIVED and entry.code not in entry.image_key


def test_no_log_line_holds_the_code(app, client, make, contest, caplog):
    caplog.set_level(logging.DEBUG)
    app.config["MAIL_RECEIPTS_PER_DAY"] = 0  # the receipt's refusal is logged
    entry = sent(client, make)
    for path in ("/submit/done/{}", "/status/{}", "/status/{}/drawing.jpg", "/status/{}/nothing"):
        client.get(path.format(entry.code))
    # What the development server and gunicorn write for each request.
    logging.getLogger("werkzeug").info('127.0.0.1 "GET /status/%s/drawing.jpg HTTP/1.1" 200',
                                       entry.code)
    logging.getLogger("gunicorn.access").info(
        '10.0.0.1 "GET /submit/done/%s HTTP/1.0" 200', format_code(entry.code).lower())
    app.logger.warning("Looked at /status/%s", entry.code)
    assert caplog.records and "/status/[code]/drawing.jpg" in caplog.text
    assert entry.code not in caplog.text
    assert format_code(entry.code).lower() not in caplog.text


def test_redact_keeps_other_paths():
    assert redact("GET /status HTTP/1.1") == "GET /status HTTP/1.1"
    assert redact("GET /gallery/2026 HTTP/1.1") == "GET /gallery/2026 HTTP/1.1"
    assert redact("GET /status/confirm/eyJ0.abc HTTP/1.1") == "GET /status/confirm/[code] HTTP/1.1"


# --- the privacy notice ---------------------------------------------------------------------


@pytest.mark.parametrize("lang, words", [
    ("ru", ["Политика конфиденциальности", "Кто что видит", "версия 2026-1", "удалить"]),
    ("en", ["Privacy notice", "Who sees what", "version 2026-1", "erased"]),
])
def test_the_privacy_notice_in_both_languages(client, lang, words):
    client.post("/language", data={"lang": lang, "next": "/"})
    page = client.get("/privacy").data.decode()
    for word in words:
        assert word in page
    for consent in consents.ALL:
        with force_locale(lang):
            assert str(consent.text) in page
        assert f'id="consent-{consent.kind}"' in page


def test_the_notice_is_linked_beside_every_consent_and_everywhere_families_go(client, make,
                                                                               contest):
    form_page = client.get("/submit").data.decode()
    for consent in consents.ALL:
        assert f'href="/privacy#consent-{consent.kind}"' in form_page
    assert 'href="/privacy#consents"' in client.get("/submit/batch").data.decode()
    assert 'href="/privacy"' in client.get("/").data.decode()  # the footer
    entry = make.entry(contest)
    assert 'href="/privacy"' in client.get(f"/status/{entry.code}").data.decode()
