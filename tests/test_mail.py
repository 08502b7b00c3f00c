"""Messages: queued with the request, delivered by the job worker to a real SMTP server
(aiosmtpd, started by the tests), tried again while it is down, then failed and shown."""

import email
import email.policy
import logging
import os
import shutil
import ssl
import stat
import time
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from contest import mail, notifications
from contest.codes import format_code
from contest.extensions import db
from contest.models import Message, MessageStatus, Phase, Role


def _outbox(app) -> list[email.message.EmailMessage]:
    return [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)
            for f in sorted(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))]


def test_outbox_without_smtp_once_the_transaction_commits(app):
    mail.send("mama@example.org", "Тема", "Здравствуйте!")
    assert not Path(app.config["OUTBOX_FOLDER"]).exists()  # nothing leaves before the commit
    db.session.commit()
    (message,) = _outbox(app)
    assert message["Subject"] == "Тема" and message.get_content().strip() == "Здравствуйте!"
    row = db.session.scalar(select(Message))
    assert row.status is MessageStatus.SENT and row.attempts == 1


def test_a_rolled_back_message_is_never_sent(app, smtp):
    mail.send("mama@example.org", "Тема", "Здравствуйте!")
    db.session.rollback()
    db.session.commit()
    assert smtp.received == [] and db.session.scalar(select(Message)) is None


def test_a_receipt_reaches_the_smtp_server_as_text_and_html(app, make, smtp):
    app.config.update(MAIL_SENDER="contest@bones.example", MAIL_REPLY_TO="help@bones.example")
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, guardian_email="mama@example.org")
    notifications.submitted(entry)
    db.session.commit()
    (message,) = smtp.received
    assert smtp.envelopes == [("contest@bones.example", ["mama@example.org"])]
    assert message["Reply-To"] == "help@bones.example"
    assert message.get_content_type() == "multipart/alternative"
    text, html = smtp.text(message), smtp.html(message)
    code = format_code(entry.code)
    assert code not in message["Subject"] and code in text and code in html  # subject: previews
    public = app.config["PUBLIC_URL"]
    assert contest.title_ru in text and f"{public}/privacy" in text
    assert f'<a href="{public}/status/{entry.code}">' in html
    row = db.session.scalar(select(Message))
    assert (row.status, row.kind, row.language) == (MessageStatus.SENT, "receipt", "ru")
    # Sent: the content (the code, which opens the status page) is no longer kept.
    assert (row.subject, row.body_text, row.body_html) == ("", "", "")
    assert row.content_erased_at is not None


def test_english_for_a_family_that_wrote_in_english(app, make, smtp):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN, title_en="Strong bones 2026")
    entry = make.entry(contest, guardian_email="mum@example.org", locale="en")
    notifications.submitted(entry)
    db.session.commit()
    (message,) = smtp.received
    assert message["Subject"].startswith("Your drawing has been received")
    assert "Strong bones 2026" in smtp.text(message) and message["Content-Language"] == "en"


def test_a_dead_server_is_tried_again_then_the_message_fails_and_is_shown(
        app, make, smtp, client, login, caplog):
    """The request is not held up; each try waits longer; the last failure is logged and
    on the organizers' page; once the server is back, "send again" delivers it."""
    smtp.stop()
    app.config["MAIL_MAX_ATTEMPTS"] = 3
    mail.send("papa@example.org", "Статус", "Рисунок принят.", kind="status")
    db.session.commit()
    row = db.session.scalar(select(Message))
    assert (row.status, row.attempts) == (MessageStatus.QUEUED, 1)
    assert "ConnectionRefusedError" in row.last_error
    first_wait = row.next_attempt_at - row.created_at
    mail.deliver(row.id, now=row.next_attempt_at - timedelta(seconds=1))  # not yet due
    db.session.refresh(row)
    assert row.attempts == 1
    mail.deliver(row.id, now=row.next_attempt_at)
    db.session.refresh(row)
    assert (row.status, row.attempts) == (MessageStatus.QUEUED, 2)
    assert row.next_attempt_at - row.created_at > first_wait * 4
    with caplog.at_level(logging.ERROR):
        mail.deliver(row.id, now=row.next_attempt_at)
    db.session.refresh(row)
    assert (row.status, row.attempts) == (MessageStatus.FAILED, 3)
    assert f"Message {row.id} (status) failed after 3 tries" in caplog.text
    assert row.body_text == "Рисунок принят."  # kept for "send again"

    login(make.user(Role.ORGANIZER))
    page = client.get("/organizer/messages?state=failed").data.decode()
    assert "p•••@example.org" in page and "papa@" not in page and "Статус рисунка" in page
    smtp.start()
    assert client.post(f"/organizer/messages/{row.id}/again").status_code == 302
    db.session.refresh(row)
    assert row.status is MessageStatus.SENT
    (message,) = smtp.to("papa@example.org")
    assert smtp.text(message).strip() == "Рисунок принят."


def row_wait(app) -> int:
    return app.config["MAIL_RETRY_SECONDS"] + 1


def test_a_message_the_queue_lost_is_sent_by_the_watchman(app, smtp):
    smtp.stop()
    mail.send("papa@example.org", "Статус", "Рисунок принят.")
    db.session.commit()
    row = db.session.scalar(select(Message))
    smtp.start()
    # Time passes (the scheduled try is in no queue here: tests run the queue in the request).
    row.next_attempt_at -= timedelta(seconds=row_wait(app) + app.config["JOBS_STALE_SECONDS"])
    db.session.commit()
    counts = mail.recover()
    assert counts["messages_resent"] == 1
    db.session.refresh(row)
    assert row.status is MessageStatus.SENT and len(smtp.received) == 1


def test_a_message_is_sent_once_even_if_queued_twice(app, smtp):
    message = mail.send("mama@example.org", "Тема", "Текст")
    db.session.commit()
    mail.deliver(message.id)
    mail.deliver(message.id)
    assert len(smtp.received) == 1


def test_a_try_whose_worker_died_is_queued_again(app, smtp):
    message = mail.send("mama@example.org", "Тема", "Текст")
    db.session.flush()
    message.status = MessageStatus.SENDING  # as a worker killed mid-send leaves it
    message.next_attempt_at -= timedelta(seconds=app.config["JOBS_STALE_SECONDS"] + 1)
    db.session.info.pop("mail_pending")
    db.session.commit()
    counts = mail.recover()
    assert counts["messages_requeued"] == 1 and len(smtp.received) == 1


def test_a_failed_messages_content_is_erased_after_some_days(app, smtp):
    smtp.stop()
    app.config["MAIL_MAX_ATTEMPTS"] = 1
    message = mail.send("mama@example.org", "Тема", "Ребёнок Иван")
    db.session.commit()
    assert message.status is MessageStatus.FAILED
    assert mail.recover(now=message.failed_at + timedelta(days=6))["messages_erased"] == 0
    later = message.failed_at + timedelta(days=app.config["MAIL_FAILED_KEEP_DAYS"], hours=1)
    assert mail.recover(now=later)["messages_erased"] == 1
    assert message.body_text == "" and not mail.send_again(message)


def test_the_messages_page_is_for_organizers(client, login, make):
    login(make.user(Role.COORDINATOR, region=make.region()))
    assert client.get("/organizer/messages").status_code in (403, 404)


def test_an_attachment_goes_with_the_message_and_is_removed(app, smtp):
    mail.send("school@example.org", "Коды", "Список во вложении.", kind="batch_codes",
              attachment=("codes.csv", b"code\nAB12-CD34\n"))
    db.session.commit()
    (message,) = smtp.received
    (part,) = list(message.iter_attachments())
    assert part.get_filename() == "codes.csv" and part.get_content_type() == "text/csv"
    assert b"AB12-CD34" in part.get_payload(decode=True)
    assert not any(Path(app.config["UPLOAD_FOLDER"], "mail").glob("*/*"))


def test_a_recipient_that_could_add_headers_is_refused(app, caplog):
    assert not mail.send("mama@example.org\r\nBcc: all@example.org", "Тема", "Текст")
    assert not mail.send("mama@example.org, papa@example.org", "Тема", "Текст")
    assert not mail.send("mama@example.org", "Тема\nBcc: all@example.org", "Текст")
    db.session.commit()
    assert not Path(app.config["OUTBOX_FOLDER"]).exists()
    assert "Mail not sent" in caplog.text


def test_the_outbox_is_private(app):
    assert mail.send("mama@example.org", "Тема", "Здравствуйте!")
    db.session.commit()
    folder = Path(app.config["OUTBOX_FOLDER"])
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert {stat.S_IMODE(os.stat(f).st_mode) for f in folder.iterdir()} == {0o600}


def test_a_receipt_holds_only_the_contests_text_and_the_code(app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, title="Купите дешёвые часы на spam.example",
                       guardian_name="Посетите spam.example", child_first_name="Спам",
                       guardian_email="victim@example.org")
    notifications.submitted(entry)
    db.session.commit()
    (message,) = _outbox(app)
    body = message.get_body(preferencelist=("plain",)).get_content()
    html = message.get_body(preferencelist=("html",)).get_content()
    assert format_code(entry.code) not in message["Subject"]  # subjects show in previews
    assert format_code(entry.code) in body
    assert contest.title_ru in body
    assert "spam" not in (body + html + message["Subject"]).lower() and "Спам" not in body


def test_one_address_gets_a_few_receipts_a_day(app, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    app.config["MAIL_RECEIPTS_PER_DAY"] = 3
    for n in range(5):
        notifications.submitted(make.entry(contest, guardian_email="victim@example.org",
                                           child_first_name=f"Ребёнок{n}"))
    notifications.submitted(make.entry(contest, guardian_email="other@example.org"))
    db.session.commit()
    sent = [m["To"] for m in _outbox(app)]
    assert sorted(sent) == ["other@example.org"] + ["victim@example.org"] * 3



@pytest.fixture
def tls(tmp_path, monkeypatch):
    """A server certificate the app trusts (as it trusts a real server's through the system's
    authorities), and the server's TLS context."""
    if not shutil.which("openssl"):
        pytest.skip("the openssl command makes the test certificate")
    from .smtp import self_signed_certificate

    cert, key = self_signed_certificate(tmp_path)
    create = ssl.create_default_context

    def trusting(*args, **kwargs):
        context = create(*args, **kwargs)
        context.load_verify_locations(cafile=str(cert))
        return context

    monkeypatch.setattr(ssl, "create_default_context", trusting)
    server = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server.load_cert_chain(str(cert), str(key))
    return server


def _accept_contest_login(server, session, envelope, mechanism, auth_data):
    from aiosmtpd.smtp import AuthResult

    return AuthResult(success=(auth_data.login, auth_data.password) == (b"contest", b"s3cret"))


@pytest.mark.parametrize("mode", ["starttls", "ssl"])
def test_starttls_or_ssl_with_a_login(app, tls, mode):
    from .smtp import Mailbox

    mailbox = Mailbox()
    if mode == "starttls":
        mailbox.start(tls_context=tls, require_starttls=True,
                      authenticator=_accept_contest_login, auth_require_tls=True)
    else:
        # (aiosmtpd does not count implicit TLS as TLS for AUTH: the socket is TLS anyway)
        mailbox.start(ssl_context=tls, authenticator=_accept_contest_login,
                      auth_require_tls=False)
    try:
        app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=mailbox.port,
                          MAIL_USE_TLS=mode == "starttls", MAIL_USE_SSL=mode == "ssl",
                          MAIL_USERNAME="contest", MAIL_PASSWORD="s3cret")
        message = mail.send("mama@example.org", "Тема", "Здравствуйте!")
        db.session.commit()
        assert message.status is MessageStatus.SENT, message.last_error
        assert len(mailbox.received) == 1
    finally:
        mailbox.stop()


def test_deleting_a_familys_contacts_deletes_its_address_from_the_messages_log(app, make):
    from contest.entries import purge_contacts

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, guardian_email="mama@example.org")
    kept = make.entry(contest, guardian_email="winner@example.org")
    notifications.submitted(entry)
    notifications.submitted(kept)
    db.session.commit()
    purge_contacts(contest, {kept.id})
    recipients = sorted(db.session.scalars(select(Message.recipient)))
    assert recipients == ["", "winner@example.org"]


def _wait_for(condition, what: str, polls: int = 1500):
    for _ in range(polls):  # 0.02 s apart: a patient limit on a busy machine, not a timing
        db.session.expire_all()
        if value := condition():
            return value
        time.sleep(0.02)
    raise AssertionError(f"gave up waiting for {what}")


def test_a_real_worker_tries_again_until_the_server_is_back(other_app, smtp):
    """Through the real queue and its consumer: the first try fails on a dead server, the
    next one (scheduled in the queue) reaches it once it is back."""
    app = other_app(JOBS_IMMEDIATE=False, MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port,
                    MAIL_RETRY_SECONDS=1)
    smtp.stop()
    consumer = app.extensions["huey"].create_consumer(workers=1, worker_type="thread",
                                                      periodic=False)
    consumer.start()
    try:
        with app.app_context():
            message_id = mail.send("papa@example.org", "Статус", "Рисунок принят.").id
            db.session.commit()
            _wait_for(lambda: db.session.get(Message, message_id).last_error, "a failed try")
            assert db.session.get(Message, message_id).status is not MessageStatus.SENT
            smtp.start()
            _wait_for(lambda: db.session.get(Message, message_id).status is MessageStatus.SENT,
                      "the next try")
            assert db.session.get(Message, message_id).attempts >= 2
    finally:
        consumer.stop(graceful=True)
    assert [m["To"] for m in smtp.received] == ["papa@example.org"]
