"""Messages to families: SMTP when configured, the outbox folder otherwise."""

import email
import email.policy
from pathlib import Path

from contest import mail


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
