"""Outgoing email: through SMTP when ``MAIL_SERVER`` is set, otherwise into ``instance/outbox/``
so that a local installation never loses a message and a developer can read it."""

import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from flask import current_app


def outbox() -> Path:
    return Path(current_app.config.get("OUTBOX_FOLDER")
                or Path(current_app.instance_path) / "outbox")


def send(to: str, subject: str, body: str) -> None:
    """Send a plain-text message; failures are logged, never shown to the family as an error."""
    if not to:
        return
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="contest.local")
    message.set_content(body, cte="quoted-printable")
    if not config.get("MAIL_SERVER"):
        folder = outbox()
        folder.mkdir(parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_") + ".eml"
        (folder / name).write_bytes(bytes(message))
        return
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send mail to %s", to)
