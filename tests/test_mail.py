"""Messages to families: SMTP when configured, the outbox folder otherwise."""

import email
import email.policy
from pathlib import Path

from contest import mail, notifications


class FakeSMTP:
    sent: list = []

    def __init__(self, host, port, timeout):
        self.host, self.port, self.calls = host, port, []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False

    def starttls(self):
        self.calls.append("starttls")

    def login(self, user, password):
        self.calls.append(("login", user, password))

    def send_message(self, message):
        FakeSMTP.sent.append((self.host, self.port, self.calls, message))


def test_outbox_without_smtp(app):
    mail.send("mama@example.org", "Тема", "Здравствуйте!")
    files = list(Path(app.config["OUTBOX_FOLDER"]).glob("*.eml"))
    message = email.message_from_bytes(files[0].read_bytes(), policy=email.policy.default)
    assert message["Subject"] == "Тема" and message.get_content().strip() == "Здравствуйте!"


def test_smtp_when_configured(app, monkeypatch):
    monkeypatch.setattr(mail.smtplib, "SMTP", FakeSMTP)
    app.config.update(MAIL_SERVER="smtp.example.org", MAIL_PORT=587, MAIL_USE_TLS=True,
                      MAIL_USERNAME="contest", MAIL_PASSWORD="secret")
    mail.send("papa@example.org", "Статус", "Рисунок принят.")
    host, port, calls, message = FakeSMTP.sent[-1]
    assert (host, port) == ("smtp.example.org", 587)
    assert calls == ["starttls", ("login", "contest", "secret")]
    assert message["To"] == "papa@example.org"
    assert not Path(app.config["OUTBOX_FOLDER"]).exists()


def test_smtp_failure_is_logged_not_raised(app, monkeypatch, caplog):
    class Down(FakeSMTP):
        def __init__(self, *args, **kwargs):
            raise OSError("connection refused")

    monkeypatch.setattr(mail.smtplib, "SMTP", Down)
    app.config["MAIL_SERVER"] = "smtp.example.org"
    mail.send("papa@example.org", "Статус", "Рисунок принят.")
    assert "Could not send mail" in caplog.text


def test_a_recipient_that_could_add_headers_is_refused(app, caplog):
    assert not mail.send("mama@example.org\r\nBcc: all@example.org", "Тема", "Текст")
    assert not mail.send("mama@example.org, papa@example.org", "Тема", "Текст")
    assert not mail.send("mama@example.org", "Тема\nBcc: all@example.org", "Текст")
    assert not Path(app.config["OUTBOX_FOLDER"]).exists()
    assert "Mail not sent" in caplog.text


def test_the_outbox_is_private(app):
    import os
    import stat

    assert mail.send("mama@example.org", "Тема", "Здравствуйте!")
    folder = Path(app.config["OUTBOX_FOLDER"])
    assert stat.S_IMODE(os.stat(folder).st_mode) == 0o700
    assert {stat.S_IMODE(os.stat(f).st_mode) for f in folder.iterdir()} == {0o600}


def test_a_receipt_holds_only_the_contests_text_and_the_code(app, make):
    from contest.codes import format_code
    from contest.models import Phase

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, title="Купите дешёвые часы на spam.example",
                       guardian_name="Посетите spam.example", child_first_name="Спам",
                       guardian_email="victim@example.org")
    notifications.submitted(entry)
    (file,) = Path(app.config["OUTBOX_FOLDER"]).glob("*.eml")
    message = email.message_from_bytes(file.read_bytes(), policy=email.policy.default)
    body = message.get_content()
    assert format_code(entry.code) in message["Subject"] and format_code(entry.code) in body
    assert contest.title_ru in body
    assert "spam" not in (body + message["Subject"]).lower() and "Спам" not in body


def test_one_address_gets_a_few_receipts_a_day(app, make):
    from contest.models import Phase

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    app.config["MAIL_RECEIPTS_PER_DAY"] = 3
    for n in range(5):
        notifications.submitted(make.entry(contest, guardian_email="victim@example.org",
                                           child_first_name=f"Ребёнок{n}"))
    notifications.submitted(make.entry(contest, guardian_email="other@example.org"))
    sent = [email.message_from_bytes(f.read_bytes(), policy=email.policy.default)["To"]
            for f in Path(app.config["OUTBOX_FOLDER"]).glob("*.eml")]
    assert sorted(sent) == ["other@example.org"] + ["victim@example.org"] * 3
