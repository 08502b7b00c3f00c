"""A child's data and a family's consent: the tracking code stays private, the family sees its
own entry in full only from the browser that sent it, and the staff's notes stay with the staff.
"""

import email
import email.policy
import io
import logging
import time
import zipfile
from pathlib import Path

import pytest
from flask_babel import force_locale
from itsdangerous import TimestampSigner
from pypdf import PdfReader
from sqlalchemy import select

from contest import audit, consents, entries
from contest.codes import format_code, redact
from contest.entries import family
from contest.extensions import db
from contest.judging.operations.pool import in_pool
from contest.models import (
    CalendarExport,
    Entry,
    EntryStatus,
    Job,
    JobStatus,
    Phase,
    Role,
    StageStatus,
)
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


# --- the family's requests from the status page ---------------------------------------------


def mails(app) -> list:
    folder = Path(app.config["OUTBOX_FOLDER"])
    found = sorted(folder.glob("*.eml"), key=lambda p: p.stat().st_mtime_ns) if folder.exists() else []
    return [email.message_from_bytes(p.read_bytes(), policy=email.policy.default) for p in found]


def text(message) -> str:
    return message.get_body(preferencelist=("plain",)).get_content()


def confirmation_link(app) -> str:
    """The path of the link in the newest message that holds one."""
    for message in reversed(mails(app)):
        for line in text(message).splitlines():
            if "/status/confirm/" in line:
                return "/" + line.strip().split("/", 3)[3]
    raise AssertionError("no confirmation link was mailed")


def actions(entry: Entry) -> list[str]:
    return [row.action for row in audit.about_entry(entry)]


def test_withdraw_by_the_mailed_link(app, client, make, contest, login):
    entry = make.entry(contest, guardian_email="anna@example.org")
    response = client.post(f"/status/{entry.code}/withdraw")
    assert response.status_code == 302
    assert "a•••@example.org" in client.get(response.headers["Location"]).data.decode()
    assert entry.status is EntryStatus.RECEIVED  # nothing until the link is opened
    message = mails(app)[-1]
    assert message["To"] == "anna@example.org"
    assert "Подтвердите" in message["Subject"] and entry.code not in message["Subject"]
    link = confirmation_link(app)
    page = client.get(link)
    assert page.status_code == 200 and "Отозвать рисунок" in page.data.decode()
    assert entry.status is EntryStatus.RECEIVED  # a GET changes nothing (mail scanners open links)
    assert client.post(link).status_code == 302
    assert entry.status is EntryStatus.WITHDRAWN
    assert actions(entry)[-2:] == ["entry.family_request", "entry.withdraw"]
    assert client.post(link).status_code == 410  # a used link fails
    assert "уже использована" in client.get(link).data.decode()
    login(make.user(Role.COORDINATOR, region=entry.stage.region))
    queue = client.get(f"/coordinator/?stage={entry.stage_id}&status=all").data.decode()
    assert "Отозвана семьёй" in queue
    with pytest.raises(entries.ModerationClosed):
        entries.moderate(entry, EntryStatus.ACCEPTED)


def test_a_withdrawn_drawing_is_in_no_jury_pool(make, contest):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    stage = entry.stage
    assert entry.id in pool_ids(stage)
    family.carry_out(family.Request(entry, family.WITHDRAW, {}))
    assert entry.id not in pool_ids(stage)
    assert entries.status_counts(contest.id, stage.id)[EntryStatus.WITHDRAWN] == 1
    # The child may send another drawing: a withdrawn one does not count against the limit.
    again = make.details(make.region("RU-MOW"), child_first_name=entry.child_first_name,
                         child_last_name=entry.child_last_name, age=entry.age)
    entries.check(contest, again, None)


def pool_ids(stage) -> set[int]:
    return set(db.session.scalars(select(Entry.id).where(in_pool(stage))))


def test_withdrawal_is_refused_once_judging_opens(app, client, make, contest):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    entry.stage.status = StageStatus.JUDGING_OPEN
    db.session.commit()
    page = client.get(f"/status/{entry.code}").data.decode()
    assert "больше нельзя отозвать" in page and f"/status/{entry.code}/withdraw" not in page
    client.post(f"/status/{entry.code}/withdraw")
    assert mails(app) == [] or all("/status/confirm/" not in text(m) for m in mails(app))
    assert entry.status is EntryStatus.ACCEPTED
    assert "больше нельзя отозвать" in client.get(f"/status/{entry.code}").data.decode()


def test_a_link_made_before_judging_opened_fails_after(app, client, make, contest):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    client.post(f"/status/{entry.code}/withdraw")
    link = confirmation_link(app)
    entry.stage.status = StageStatus.JUDGING_OPEN
    db.session.commit()
    assert client.post(link).status_code == 410
    assert entry.status is EntryStatus.ACCEPTED


def test_change_the_consents_by_the_link(app, client, make, contest):
    entry = make.entry(contest)  # the factory's families agreed to everything
    client.post(f"/status/{entry.code}/consents", data={"consents-print": "y"})  # show_name unticked
    link = confirmation_link(app)
    assert "Имя ребёнка рядом с рисунком" in client.get(link).data.decode()
    assert entry.consent("show_name")
    client.post(link)
    assert not entry.consent("show_name") and entry.consent("print")
    row = next(c for c in entry.consents if c.kind == "show_name")
    assert row.version == consents.SHOW_NAME.version
    last = audit.about_entry(entry)[-1]
    assert last.action == "entry.consent_change"
    assert last.details == {"kind": "show_name", "after": False, "version": "2026-1",
                            "via": "email"}
    assert client.post(link).status_code == 410


def test_the_same_consents_are_no_change(app, client, make, contest):
    entry = make.entry(contest)
    response = client.post(f"/status/{entry.code}/consents", data={"consents-print": "y", "consents-show_name": "y"},
                           follow_redirects=True)
    assert "менять нечего" in response.data.decode()
    assert mails(app) == []


def test_print_withdrawn_after_an_export_is_shown_to_organizers(app, client, make, login):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    contest.phase = Phase.CALENDAR
    export = CalendarExport(contest_id=contest.id, version=1, language="ru", page_format="A4",
                            report={"pages": [{"images": [{"source": f"entry-{entry.id}.jpg"}]}]})
    other = CalendarExport(contest_id=contest.id, version=2, language="ru", page_format="A4",
                           report={"pages": [{"images": [{"source": "entry-999999.jpg"}]}]})
    db.session.add_all([export, other])
    db.session.commit()
    client.post(f"/status/{entry.code}/consents", data={"consents-show_name": "y"})  # print unticked
    client.post(confirmation_link(app))
    assert not entry.consent("print")
    last = audit.about_entry(entry)[-1]
    assert (last.action, last.details["exports"]) == ("entry.consent_change", [export.id])
    login(make.user(Role.ORGANIZER))
    page = client.get(f"/calendar?contest={contest.id}").data.decode()
    assert "Согласие на печать отозвано после выгрузки" in page
    assert f"Рисунок №{entry.id}" in page and "v1" in page
    log = client.get("/organizer/audit").data.decode()
    assert "Согласие изменено семьёй" in log


def test_erase_by_the_link(app, client, make, contest):
    entry = make.entry(contest)
    client.post(f"/status/{entry.code}/erase")
    link = confirmation_link(app)
    assert client.get(link).status_code == 200
    response = client.post(link)
    assert response.status_code == 200 and "удалены" in response.data.decode()
    assert entry.personal_data_erased_at is not None and entry.child_first_name == ""
    assert {"entry.family_erase", "entry.erase_personal_data"} <= set(actions(entry))
    assert client.get(f"/status/{entry.code}").status_code == 404
    assert client.post(link).status_code == 410


def test_tampered_expired_and_foreign_links_fail(app, client, make, contest, monkeypatch):
    entry = make.entry(contest)
    client.post(f"/status/{entry.code}/withdraw")
    link = confirmation_link(app)
    head, token = link.rsplit("/", 1)
    payload, rest = token.split(".", 1)
    tampered = f"{head}/{payload[:-2]}{'A' if payload[-2] != 'A' else 'B'}{payload[-1]}.{rest}"
    assert client.post(tampered).status_code == 410
    assert "недействительна" in client.get(tampered).data.decode()
    # A link made four days ago (the signature's own timestamp, not the test's clock).
    monkeypatch.setattr(TimestampSigner, "get_timestamp",
                        lambda self: int(time.time()) - 4 * 86400)
    old = family._token(family.Request(entry, family.WITHDRAW, {}))
    monkeypatch.undo()
    assert client.post(f"/status/confirm/{old}").status_code == 410
    assert "истёк" in client.get(f"/status/confirm/{old}").data.decode()
    assert entry.status is EntryStatus.RECEIVED
    # A link signed with another key (another installation) means nothing here.
    with app.test_request_context():
        app.secret_key, key = "another-secret-key", app.secret_key
        forged = family._token(family.Request(entry, family.WITHDRAW, {}))
        app.secret_key = key
    assert client.post(f"/status/confirm/{forged}").status_code == 410
    assert client.post(link).status_code == 302 and entry.status is EntryStatus.WITHDRAWN


def test_without_an_email_the_childs_names_confirm(app, client, make, contest):
    entry = make.entry(contest, guardian_email="", guardian_phone="+7 900 123-45-67",
                       child_first_name="Ёжик", child_last_name="Петров")
    page = client.get(f"/status/{entry.code}").data.decode()
    assert 'name="withdraw-child_last_name"' in page and 'id="erase-child_last_name"' in page
    wrong = client.post(f"/status/{entry.code}/withdraw",
                        data={"withdraw-child_first_name": "Ёжик",
                              "withdraw-child_last_name": "Иванов"},
                        follow_redirects=True)
    assert "не те имя и фамилия" in wrong.data.decode()
    assert entry.status is EntryStatus.RECEIVED
    response = client.post(f"/status/{entry.code}/withdraw",
                           data={"withdraw-child_first_name": " ежик ",
                                 "withdraw-child_last_name": "ПЕТРОВ"})
    assert response.status_code == 302 and entry.status is EntryStatus.WITHDRAWN
    last = audit.about_entry(entry)[-1]
    assert (last.action, last.details["via"]) == ("entry.withdraw", "names")
    assert mails(app) == []


def test_a_family_that_wrote_in_english_gets_english(app, client, make, contest):
    entry = make.entry(contest, locale="en")
    client.post(f"/status/{entry.code}/erase")
    message = mails(app)[-1]
    assert message["Subject"] == "Confirm: erase the child's data"
    assert "To confirm, open this link within 3 days" in text(message)


def test_requests_are_throttled(other_app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest)
    client = other_app(RATELIMIT_ENABLED=True).test_client()
    codes = [client.post(f"/status/{entry.code}/consents").status_code for _ in range(11)]
    assert codes[:10] == [302] * 10 and codes[10] == 429


def test_mail_subjects_hold_no_code(app, client, make, contest):
    """Subjects show in inbox lists, phone notifications and the organizers' messages page."""
    entry = sent(client, make)  # the receipt
    entries.moderate(entry, EntryStatus.NEEDS_PHOTO, "Размыто")  # news about it
    db.session.commit()  # as the coordinator's request does
    messages = mails(app)
    assert [m["Subject"] for m in messages] == ["Ваш рисунок получен", "Новости о вашем рисунке"]
    assert format_code(entry.code) in text(messages[0])
