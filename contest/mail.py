"""Outgoing email: through SMTP when ``MAIL_SERVER`` is set, otherwise into ``instance/outbox/``
so that a local installation never loses a message and a developer can read it.

No header is ever built from what a visitor typed: the subject is the app's own text, and a
recipient address with a line break or another control character is refused before any
message is made.
"""

import os
import smtplib
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app

from .text import has_line_break


def outbox() -> Path:
    return Path(current_app.config.get("OUTBOX_FOLDER")
                or Path(current_app.instance_path) / "outbox")


def deliverable(address: str) -> bool:
    """Whether ``address`` is one e-mail address that can safely go in a ``To`` header."""
    if not address or has_line_break(address) or "," in address:
        return False
    try:
        validate_email(address, check_deliverability=False)
    except EmailNotValidError:
        return False
    return True


def send(to: str, subject: str, body: str) -> bool:
    """Send a plain-text message; returns whether it was sent (or written to the outbox).

    Failures are logged, never raised: whatever the message was about has already happened,
    and the person must not be told otherwise.
    """
    if not to:
        return False
    if not deliverable(to) or has_line_break(subject):
        current_app.logger.warning("Mail not sent: unusable recipient or subject")
        return False
    config = current_app.config
    message = EmailMessage()
    message["From"] = config["MAIL_SENDER"]
    message["To"] = to
    message["Subject"] = subject
    message["Message-ID"] = make_msgid(domain="contest.local")
    message.set_content(body, cte="quoted-printable")
    if not config.get("MAIL_SERVER"):
        folder = outbox()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = message["Message-ID"].strip("<>").replace("@", "_") + ".eml"
        # The outbox holds families' addresses: readable by the app's user only.
        descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(bytes(message))
        return True
    try:
        with smtplib.SMTP(config["MAIL_SERVER"], config["MAIL_PORT"], timeout=10) as smtp:
            if config.get("MAIL_USE_TLS"):
                smtp.starttls()
            if config.get("MAIL_USERNAME"):
                smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
            smtp.send_message(message)
    except (OSError, smtplib.SMTPException):
        current_app.logger.exception("Could not send mail to %s", to)
        return False
    return True
