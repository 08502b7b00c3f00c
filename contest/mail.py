"""Outgoing e-mail: decided in the request, delivered by the job worker.

``send`` (or ``compose``, which renders a message from templates) records a ``Message`` row
and returns at once; when the request commits, the row's delivery is queued
(``deliver_message``, a task of ``contest.jobs``). The worker hands the message to the SMTP
server of ``MAIL_SERVER`` (STARTTLS or SSL), or, without one, writes it to
``instance/outbox/`` so that a local installation never loses a message. A try that fails is
tried again later (``MAIL_MAX_ATTEMPTS`` tries, each wait ``MAIL_RETRY_SECONDS`` times four
the previous); the last failure is logged and shown on the organizers' messages page. A slow
or dead mail server therefore never holds up a page nor loses a message.

What is kept: the content (subject, bodies, attachment; children's names are in some) only
until the mail server took the message; a failed message keeps it ``MAIL_FAILED_KEEP_DAYS``
so an organizer can send it again, then it is erased. The row keeps kind, recipient,
language, state and times for the messages page.

No header is ever built from what a visitor typed: the subject is the app's own text, and a
recipient address with a line break or another control character is refused before any
message is made.
"""

from __future__ import annotations

import html
import os
import re
import smtplib
import ssl
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from datetime import datetime, timedelta
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from email_validator import EmailNotValidError, validate_email
from flask import current_app, has_request_context, render_template, url_for
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from sqlalchemy import event, func, select, update

from . import jobs
from .config import DEFAULT_LANGUAGE, LANGUAGES
from .extensions import db
from .models import Message, MessageStatus, utcnow
from .text import has_line_break
from .uploads import files
from .uploads.storage import PendingFiles

# What each kind of message is, for the messages page.
KINDS = {
    "notice": _l("Notice"),
    "receipt": _l("Receipt of a drawing"),
    "status": _l("Status of a drawing"),
    "invitation": _l("Invitation"),
    "password_reset": _l("Password link"),
    "codes": _l("Lost tracking codes"),
    "results": _l("Results for a family"),
    "juror_added": _l("Juror added to a stage"),
    "judging_open": _l("Judging opens"),
    "reminder": _l("Reminder to a juror"),
    "stage_published": _l("Stage published, to a juror"),
    "batch_codes": _l("A school's list of codes"),
    "family_request": _l("A family's request to confirm"),
}

_PENDING = "mail_pending"  # session.info: messages to queue when the transaction commits
_ATTACHMENTS = "mail_attachments"  # session.info: their attachments, pending until then
_URL = re.compile(r"https?://[^\s<>\"']+")


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


def send(to: str, subject: str, body: str, *, html_body: str = "", kind: str = "notice",
         language: str = DEFAULT_LANGUAGE, attachment: tuple[str, bytes] | None = None,
         topic: str = "") -> Message | None:
    """Queue a message (plain text, and HTML when given); None if it cannot be sent.

    The message leaves when the caller's transaction commits; failures are retried and
    then shown to the organizers, never raised: whatever the message was about has already
    happened, and the person must not be told otherwise. ``attachment`` is (file name,
    content).
    """
    if not to:
        return None
    if not deliverable(to) or has_line_break(subject):
        current_app.logger.warning("Mail not sent: unusable recipient or subject")
        return None
    message = Message(kind=kind, topic=topic, recipient=to.strip(), language=language,
                      subject=subject,
                      body_text=body, body_html=html_body, next_attempt_at=utcnow())
    db.session.add(message)
    db.session.flush()
    if attachment is not None:
        name, content = attachment
        message.attachment_key = f"mail/{message.id}/{_safe_name(name)}"
        message.attachment_name = _safe_name(name)
        # pending until the message's row is committed (see ``uploads.PendingFiles``)
        attachments = db.session.info.setdefault(_ATTACHMENTS, PendingFiles(files.storage()))
        attachments.put(message.attachment_key, content)
    db.session.info.setdefault(_PENDING, []).append(message.id)
    return message


def compose(to: str, kind: str, template: str, subject, language: str | None = None,
            attachment: tuple[str, bytes] | None = None, topic: str = "",
            **context) -> Message | None:
    """Render ``mail/<template>.txt`` in ``language`` (the text part; the HTML part is the
    same text in the contest's layout, its addresses as links) and queue it with ``send``.

    ``subject`` is a lazy string, made in the message's language. Outside a request (the
    CLI, a job), links point to ``PUBLIC_URL``.
    """
    if not to:
        return None
    with links():
        return _compose(to, kind, template, subject, language, attachment, topic, context)


@contextmanager
def links() -> Iterator[None]:
    """Where ``url_for(..., _external=True)`` works: the request, else ``PUBLIC_URL``."""
    if has_request_context():
        yield
        return
    with current_app.test_request_context(base_url=current_app.config["PUBLIC_URL"]):
        yield


def _compose(to, kind, template, subject, language, attachment, topic,
             context) -> Message | None:
    language = language if language in LANGUAGES else DEFAULT_LANGUAGE
    with force_locale(language):
        from .contests import current_contest

        if "contest" not in context:
            context["contest"] = current_contest()
        context["privacy_url"] = url_for("submit.privacy", _external=True)
        text = "\n\n".join(render_template(name, **context).strip()
                           for name in (f"mail/{template}.txt", "mail/footer.txt"))
        text = re.sub(r"\n{3,}", "\n\n", text) + "\n"
        body_html = render_template("mail/layout.html", paragraphs=_paragraphs(text),
                                    subject=str(subject), language=language)
        return send(to, str(subject), text, html_body=body_html, kind=kind, language=language,
                    attachment=attachment, topic=topic)


def _paragraphs(text: str) -> list[Markup]:
    """The text's paragraphs as HTML: escaped, line breaks kept, addresses as links."""
    result = []
    for block in text.split("\n\n"):
        escaped = html.escape(block.strip())
        linked = _URL.sub(lambda m: f'<a href="{m[0]}">{m[0]}</a>', escaped)
        result.append(Markup(linked.replace("\n", "<br>\n")))
    return [p for p in result if p]


def _safe_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "_", name)[:100] or "attachment"


# --- queueing when the request commits --------------------------------------------------------


@event.listens_for(db.session, "after_commit")
def _queue_committed(session) -> None:
    attachments = session.info.pop(_ATTACHMENTS, None)
    if attachments is not None:
        attachments.settle()
    pending = session.info.pop(_PENDING, [])
    for message_id in pending:
        try:
            jobs.enqueue("deliver_message", message_id)
        except jobs.QueueUnavailable:
            # The row waits in the database; the watchman sends it when the queue is back.
            current_app.logger.warning("Message %s waits: the queue cannot be reached",
                                       message_id)


@event.listens_for(db.session, "after_rollback")
def _forget_rolled_back(session) -> None:
    session.info.pop(_PENDING, None)
    attachments = session.info.pop(_ATTACHMENTS, None)
    if attachments is not None:
        attachments.undo()


# --- delivery (in the job worker) -----------------------------------------------------------


def retry_delay(attempts: int) -> int:
    """Seconds before the next try, after ``attempts`` failed ones: 1, 4, 16, 64… times
    ``MAIL_RETRY_SECONDS``."""
    return current_app.config["MAIL_RETRY_SECONDS"] * 4 ** max(attempts - 1, 0)


@jobs.task("deliver_message")
def deliver(message_id: int, now: datetime | None = None) -> None:
    """One try of a message, if it is waiting and due (a message queued twice finds it
    taken). Claims the row with one conditional update, so two workers never both send."""
    now = now or utcnow()
    claimed = db.session.execute(
        update(Message).where(Message.id == message_id,
                              Message.status == MessageStatus.QUEUED,
                              Message.next_attempt_at <= now)
        .values(status=MessageStatus.SENDING, attempts=Message.attempts + 1,
                next_attempt_at=now))
    db.session.commit()
    if claimed.rowcount != 1:
        return
    message = db.session.get(Message, message_id)
    try:
        transmit(message)
    except (OSError, smtplib.SMTPException) as error:
        _failed_try(message, error, now)
    else:
        message.status = MessageStatus.SENT
        message.sent_at = utcnow()
        message.last_error = ""
        _erase_content(message)
    db.session.commit()


def _failed_try(message: Message, error: Exception, now: datetime) -> None:
    config = current_app.config
    message.last_error = (f"{type(error).__name__}: {error}")[:500]
    # A refusal of the address itself (5xx for every recipient) will not get better.
    permanent = isinstance(error, smtplib.SMTPRecipientsRefused) and all(
        code >= 500 for code, _ in error.recipients.values())
    if permanent or message.attempts >= config["MAIL_MAX_ATTEMPTS"]:
        message.status = MessageStatus.FAILED
        message.failed_at = now
        current_app.logger.error("Message %s (%s) failed after %s tries: %s", message.id,
                                 message.kind, message.attempts, message.last_error)
        return
    delay = retry_delay(message.attempts)
    message.status = MessageStatus.QUEUED
    message.next_attempt_at = now + timedelta(seconds=delay)
    current_app.logger.warning("Message %s: try %s failed (%s); next in %s s", message.id,
                               message.attempts, message.last_error, delay)
    db.session.commit()
    with suppress(jobs.QueueUnavailable):  # else the watchman sends it when it is due
        jobs.enqueue("deliver_message", message.id, delay=delay)


def transmit(message: Message) -> None:
    """Hand the message to the mail server, or write it to the outbox without one."""
    config = current_app.config
    email = build(message)
    if not config.get("MAIL_SERVER"):
        folder = outbox()
        folder.mkdir(mode=0o700, parents=True, exist_ok=True)
        name = email["Message-ID"].strip("<>").replace("@", "_") + ".eml"
        # The outbox holds families' addresses: readable by the app's user only.
        descriptor = os.open(folder / name, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(descriptor, "wb") as file:
            file.write(bytes(email))
        return
    host, port = config["MAIL_SERVER"], config["MAIL_PORT"]
    timeout = config["MAIL_TIMEOUT_SECONDS"]
    if config.get("MAIL_USE_SSL"):
        smtp = smtplib.SMTP_SSL(host, port, timeout=timeout,
                                context=ssl.create_default_context())
    else:
        smtp = smtplib.SMTP(host, port, timeout=timeout)
    with smtp:
        if config.get("MAIL_USE_TLS") and not config.get("MAIL_USE_SSL"):
            smtp.starttls(context=ssl.create_default_context())
        if config.get("MAIL_USERNAME"):
            smtp.login(config["MAIL_USERNAME"], config["MAIL_PASSWORD"])
        smtp.send_message(email)


def build(message: Message) -> EmailMessage:
    """The MIME message: plain text, with an HTML alternative and an attachment if any."""
    config = current_app.config
    email = EmailMessage()
    email["From"] = config["MAIL_SENDER"]
    email["To"] = message.recipient
    if config.get("MAIL_REPLY_TO"):
        email["Reply-To"] = config["MAIL_REPLY_TO"]
    email["Subject"] = message.subject
    email["Message-ID"] = make_msgid(domain=config["MAIL_SENDER"].rpartition("@")[2]
                                     or "contest.local")
    email.set_content(message.body_text, cte="quoted-printable")
    if message.body_html:
        email.add_alternative(message.body_html, subtype="html", cte="quoted-printable")
    if message.attachment_key:
        content = files.storage().read(message.attachment_key)
        maintype, subtype = _content_type(message.attachment_name).split("/")
        email.add_attachment(content, maintype=maintype, subtype=subtype,
                             filename=message.attachment_name)
    email["Content-Language"] = message.language  # set_content drops Content-* headers
    return email


def _content_type(name: str) -> str:
    if name.endswith(".csv"):
        return "text/csv"
    if name.endswith(".xlsx"):
        return "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return "application/octet-stream"


def _erase_content(message: Message) -> None:
    if message.attachment_key:
        files.storage().delete_prefix(f"mail/{message.id}")
    message.subject = message.body_text = message.body_html = ""
    message.attachment_key = ""
    message.content_erased_at = utcnow()


def send_again(message: Message) -> bool:
    """Queue a failed message for a new round of tries (an organizer's button); False if
    its content has been erased. Flushes; it leaves when the request commits."""
    if message.status is not MessageStatus.FAILED or message.content_erased_at:
        return False
    message.status = MessageStatus.QUEUED
    message.attempts = 0
    message.failed_at = None
    message.next_attempt_at = utcnow()
    db.session.flush()
    db.session.info.setdefault(_PENDING, []).append(message.id)
    return True


@jobs.recovery
def recover(now: datetime | None = None) -> dict[str, int]:
    """The watchman's part for messages: a try whose worker died goes back to the queue, a
    due message no queue holds (lost with a Redis, or queued while the queue was down) is
    sent again, and failed messages' content is erased after ``MAIL_FAILED_KEEP_DAYS``."""
    config = current_app.config
    now = now or utcnow()
    stale = now - timedelta(seconds=config["JOBS_STALE_SECONDS"])
    requeued = db.session.execute(
        update(Message).where(Message.status == MessageStatus.SENDING,
                              Message.next_attempt_at < stale)
        .values(status=MessageStatus.QUEUED)).rowcount  # overdue: sent again just below
    db.session.commit()
    overdue = db.session.scalars(select(Message.id).where(
        Message.status == MessageStatus.QUEUED, Message.next_attempt_at < stale)
        .order_by(Message.id).limit(500)).all()
    resent = 0
    for message_id in overdue:
        try:
            jobs.enqueue("deliver_message", message_id)
        except jobs.QueueUnavailable:
            break
        resent += 1
    expired = now - timedelta(days=config["MAIL_FAILED_KEEP_DAYS"])
    erased = 0
    for message in db.session.scalars(select(Message).where(
            Message.status == MessageStatus.FAILED, Message.failed_at < expired,
            Message.content_erased_at.is_(None))):
        _erase_content(message)
        erased += 1
    db.session.commit()
    return {"messages_requeued": requeued, "messages_resent": resent,
            "messages_erased": erased}


def sent_recently(address: str, kind: str, hours: int) -> int:
    """Messages of ``kind`` queued for ``address`` in the last ``hours`` (for quotas)."""
    return db.session.scalar(select(func.count(Message.id)).where(
        func.lower(Message.recipient) == address.strip().lower(), Message.kind == kind,
        Message.created_at >= utcnow() - timedelta(hours=hours)))


def newest(status: MessageStatus | None, page: int, size: int) -> tuple[list[Message], bool]:
    """One page of the messages (of one ``status``, or all), newest first, and whether older
    ones follow (the organizers' messages page)."""
    query = select(Message).order_by(Message.id.desc())
    if status is not None:
        query = query.where(Message.status == status)
    rows = list(db.session.scalars(query.offset((page - 1) * size).limit(size + 1)))
    return rows[:size], len(rows) > size


def status_counts() -> dict[MessageStatus, int]:
    return dict(db.session.execute(select(Message.status, func.count(Message.id))
                                   .group_by(Message.status)).all())
