# Over 400 lines: one typed table per model, in the one module the migrations match.
"""The contest's data: editions, regions, stages, categories, criteria, people and the audit log.

Typed SQLAlchemy 2.0 models. Every schema change comes with an Alembic migration
(``contest/migrations``); ``tests/test_migrations.py`` checks that they match.
"""

from __future__ import annotations

import enum
import secrets
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from flask_babel import lazy_gettext as _l
from flask_login import UserMixin
from sqlalchemy import (
    JSON,
    CheckConstraint,
    Enum,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from .config import DEFAULT_LANGUAGE
from .extensions import db
from .i18n import language
from .rules import (
    CONTACTS_KEPT_MONTHS,
    MAX_CONTACTS_KEPT_MONTHS,
    MIN_JURORS_PER_ENTRY,
    OLDEST_AGE,
    YOUNGEST_AGE,
)


def utcnow() -> datetime:
    return datetime.now(UTC).replace(tzinfo=None)


def new_session_token() -> str:
    return secrets.token_urlsafe(32)


def _enum(cls: type[enum.Enum]) -> Enum:
    # Store the readable value, and as VARCHAR + CHECK so adding a phase needs no ALTER TYPE.
    return Enum(cls, values_callable=lambda e: [m.value for m in e], native_enum=False,
                length=32, validate_strings=True)


class Localized:
    """Models whose texts exist in Russian (required) and English (optional)."""

    def local(self, field: str) -> str:
        """The field in the current language, falling back to Russian."""
        if language() == "en":
            english = getattr(self, f"{field}_en", None)
            if english:
                return english
        return getattr(self, f"{field}_ru") or ""


class Phase(enum.Enum):
    """The life of a contest edition, in order."""

    DRAFT = "draft"
    SUBMISSIONS_OPEN = "submissions_open"
    REGIONAL_JUDGING = "regional_judging"
    NATIONAL_JUDGING = "national_judging"
    CALENDAR = "calendar"
    CLOSED = "closed"

    @property
    def label(self) -> str:
        return str(PHASE_LABELS[self])

    @property
    def index(self) -> int:
        return list(Phase).index(self)


PHASE_LABELS = {
    Phase.DRAFT: _l("Draft"),
    Phase.SUBMISSIONS_OPEN: _l("Submissions open"),
    Phase.REGIONAL_JUDGING: _l("Regional judging"),
    Phase.NATIONAL_JUDGING: _l("National judging"),
    Phase.CALENDAR: _l("Calendar"),
    Phase.CLOSED: _l("Closed"),
}


class Role(enum.Enum):
    ORGANIZER = "organizer"
    COORDINATOR = "coordinator"
    JUROR = "juror"

    @property
    def label(self) -> str:
        return str(ROLE_LABELS[self])


ROLE_LABELS = {
    Role.ORGANIZER: _l("Organizer"),
    Role.COORDINATOR: _l("Regional coordinator"),
    Role.JUROR: _l("Juror"),
}


class StageKind(enum.Enum):
    REGIONAL = "regional"
    NATIONAL = "national"


class StageStatus(enum.Enum):
    """The life of a jury stage, in order (see ``contest.judging.operations``)."""

    MODERATION = "moderation"
    JUDGING_OPEN = "judging_open"
    JUDGING_CLOSED = "judging_closed"
    PUBLISHED = "published"

    @property
    def label(self) -> str:
        return str(STAGE_STATUS_LABELS[self])


STAGE_STATUS_LABELS = {
    StageStatus.MODERATION: _l("Preparing"),
    StageStatus.JUDGING_OPEN: _l("Judging open"),
    StageStatus.JUDGING_CLOSED: _l("Judging closed"),
    StageStatus.PUBLISHED: _l("Results published"),
}


class Region(Localized, db.Model):
    """A subject of the Russian Federation, identified by its ISO 3166-2 code."""

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(8), unique=True)
    name_ru: Mapped[str] = mapped_column(String(120))
    name_en: Mapped[str] = mapped_column(String(120))

    @property
    def name(self) -> str:
        return self.local("name")


class Contest(Localized, db.Model):
    """One yearly edition of the contest, as published by the methodical centre."""

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    title_ru: Mapped[str] = mapped_column(String(200))
    title_en: Mapped[str] = mapped_column(String(200), default="")
    theme_ru: Mapped[str] = mapped_column(String(300))
    theme_en: Mapped[str] = mapped_column(String(300), default="")
    motto_ru: Mapped[str] = mapped_column(String(300), default="")
    motto_en: Mapped[str] = mapped_column(String(300), default="")
    rules_ru: Mapped[str] = mapped_column(Text, default="")
    rules_en: Mapped[str] = mapped_column(Text, default="")
    submissions_open_on: Mapped[date]
    submissions_close_on: Mapped[date]
    regional_judging_until: Mapped[date]
    national_judging_until: Mapped[date]
    results_on: Mapped[date]
    age_reference_date: Mapped[date]
    scale_min: Mapped[int] = mapped_column(default=1)
    scale_max: Mapped[int] = mapped_column(default=10)
    entries_per_child: Mapped[int] = mapped_column(default=1)
    # jurors with sheets missing are reminded this many days before their stage's deadline
    juror_reminder_days: Mapped[int] = mapped_column(default=3, server_default="3")
    # How long the families' contacts of entries that won nothing are kept once the national
    # results are published; then the periodic purge deletes them (``entries.privacy``), and
    # the privacy notice states the period.
    contacts_kept_months: Mapped[int] = mapped_column(default=CONTACTS_KEPT_MONTHS,
                                                      server_default=str(CONTACTS_KEPT_MONTHS))
    phase: Mapped[Phase] = mapped_column(_enum(Phase), default=Phase.DRAFT)
    # Who signs the edition's certificates and its logo on them (``signatories``): a list of
    # {name, title_ru, title_en, signature (a storage key or "")}, and a storage key or "".
    certificate_signatories: Mapped[list] = mapped_column(JSON, default=list,
                                                          server_default="[]")
    certificate_logo: Mapped[str] = mapped_column(String(120), default="", server_default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    age_categories: Mapped[list[AgeCategory]] = relationship(
        back_populates="contest", cascade="all, delete-orphan",
        order_by="AgeCategory.min_age")
    criteria: Mapped[list[Criterion]] = relationship(
        back_populates="contest", cascade="all, delete-orphan",
        order_by="Criterion.position, Criterion.id")
    stages: Mapped[list[Stage]] = relationship(
        back_populates="contest", cascade="all, delete-orphan", order_by="Stage.id")

    __table_args__ = (
        CheckConstraint("scale_min < scale_max", name="scale_order"),
        CheckConstraint("entries_per_child >= 1", name="entries_per_child_positive"),
        CheckConstraint(f"contacts_kept_months >= 1 AND contacts_kept_months <= "
                        f"{MAX_CONTACTS_KEPT_MONTHS}", name="contacts_kept_months_range"),
    )

    @property
    def title(self) -> str:
        return self.local("title")

    @property
    def regional_stages(self) -> list[Stage]:
        return [s for s in self.stages if s.kind is StageKind.REGIONAL]

    @property
    def national_stage(self) -> Stage | None:
        return next((s for s in self.stages if s.kind is StageKind.NATIONAL), None)

    @property
    def regions(self) -> list[Region]:
        return sorted((s.region for s in self.regional_stages), key=lambda r: r.name)

    @property
    def deadlines(self) -> list[tuple[str, date]]:
        """The published dates, in order, with their labels."""
        return [
            (_l("Submissions open"), self.submissions_open_on),
            (_l("Submission deadline"), self.submissions_close_on),
            (_l("Regional judging ends"), self.regional_judging_until),
            (_l("National judging ends"), self.national_judging_until),
            (_l("Results announced"), self.results_on),
        ]


class AgeCategory(Localized, db.Model):
    """An age band; a child's category follows from their age on the contest's reference date."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    name_ru: Mapped[str] = mapped_column(String(100))
    name_en: Mapped[str] = mapped_column(String(100), default="")
    min_age: Mapped[int]
    max_age: Mapped[int]

    contest: Mapped[Contest] = relationship(back_populates="age_categories")

    __table_args__ = (CheckConstraint("min_age <= max_age", name="age_order"),)

    @property
    def name(self) -> str:
        return self.local("name")


class Criterion(Localized, db.Model):
    """A scoring criterion; a juror marks each on the contest's scale."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    name_ru: Mapped[str] = mapped_column(String(150))
    name_en: Mapped[str] = mapped_column(String(150), default="")
    description_ru: Mapped[str] = mapped_column(Text, default="")
    description_en: Mapped[str] = mapped_column(Text, default="")
    weight: Mapped[Decimal] = mapped_column(Numeric(6, 2))
    position: Mapped[int] = mapped_column(default=0)

    contest: Mapped[Contest] = relationship(back_populates="criteria")

    __table_args__ = (CheckConstraint("weight > 0", name="weight_positive"),)

    @property
    def name(self) -> str:
        return self.local("name")


class Stage(db.Model):
    """A regional stage (one per participating region) or the national stage of a contest."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    kind: Mapped[StageKind] = mapped_column(_enum(StageKind))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    finalists_per_category: Mapped[int] = mapped_column(default=3)
    status: Mapped[StageStatus] = mapped_column(_enum(StageStatus), default=StageStatus.MODERATION)
    # None: every juror scores every entry; else each entry goes to this many jurors
    jurors_per_entry: Mapped[int | None]

    contest: Mapped[Contest] = relationship(back_populates="stages")
    region: Mapped[Region | None] = relationship()
    jurors: Mapped[list[User]] = relationship(secondary="stage_juror", order_by="User.name",
                                              back_populates="juror_stages")

    __table_args__ = (
        UniqueConstraint("contest_id", "region_id"),
        CheckConstraint("(kind = 'national') = (region_id IS NULL)", name="national_has_no_region"),
        CheckConstraint("finalists_per_category >= 0", name="finalists_not_negative"),
        CheckConstraint(f"jurors_per_entry IS NULL OR jurors_per_entry >= {MIN_JURORS_PER_ENTRY}",
                        name="at_least_three_jurors_per_entry"),
    )

    @property
    def name(self) -> str:
        return self.region.name if self.region else str(_l("National stage"))


class StageJuror(db.Model):
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"),
                                          primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                         primary_key=True)


class User(UserMixin, db.Model):
    """A person who signs in: an organizer, a region's coordinator or a juror.

    Parents and schools submit without an account: they follow their entry by its code.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    password_hash: Mapped[str] = mapped_column(String(256))
    role: Mapped[Role] = mapped_column(_enum(Role))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    active: Mapped[bool] = mapped_column(default=True)
    must_change_password: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # Every session and "keep me signed in" cookie carries it (``get_id``); a new one ends them
    # all at once (``accounts.end_sessions``).
    session_token: Mapped[str] = mapped_column(String(64), default=new_session_token)
    # The last invitation to choose a password, and when the person chose one through it.
    invited_at: Mapped[datetime | None]
    invitation_accepted_at: Mapped[datetime | None]

    region: Mapped[Region | None] = relationship()
    juror_stages: Mapped[list[Stage]] = relationship(secondary="stage_juror",
                                                     back_populates="jurors")

    __table_args__ = (
        CheckConstraint("(role = 'coordinator') = (region_id IS NOT NULL)",
                        name="coordinator_has_region"),
    )

    @property
    def is_active(self) -> bool:  # Flask-Login refuses sessions of deactivated accounts
        return self.active

    def get_id(self) -> str:
        """Flask-Login's alternative id, what a sign-in's session and remember-me cookie hold:
        the account, its session token and when it signed in (``accounts.user_for_session``)."""
        return f"{self.id}:{self.session_token}:{int(time.time())}"

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password)

    def check_password(self, password: str) -> bool:
        return check_password_hash(self.password_hash, password)


class AuditLog(db.Model):
    """Who changed what and when: every organizer, coordinator and jury decision."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    contest_id: Mapped[int | None] = mapped_column(
        ForeignKey("contest.id", ondelete="CASCADE"), index=True)
    action: Mapped[str] = mapped_column(String(64))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[int | None]
    details: Mapped[dict] = mapped_column(JSON, default=dict)
    # The signed-in person's network address (behind a proxy, as TRUSTED_PROXIES reads it).
    address: Mapped[str | None] = mapped_column(String(45))

    user: Mapped[User | None] = relationship()


class EntryStatus(enum.Enum):
    """Where an entry stands in moderation."""

    RECEIVED = "received"
    ACCEPTED = "accepted"
    NEEDS_PHOTO = "needs_photo"
    REJECTED = "rejected"
    # The family took the drawing back before judging: out of moderation and every jury.
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        return str(ENTRY_STATUS_LABELS[self])


ENTRY_STATUS_LABELS = {
    EntryStatus.RECEIVED: _l("Received, waiting for moderation"),
    EntryStatus.ACCEPTED: _l("Accepted"),
    EntryStatus.NEEDS_PHOTO: _l("Needs a better photo"),
    EntryStatus.REJECTED: _l("Rejected"),
    EntryStatus.WITHDRAWN: _l("Withdrawn by the family"),
}


class Award(enum.Enum):
    """What published results gave an entry: a place in the national final, or a win."""

    FINALIST = "finalist"
    WINNER = "winner"


AWARD_LABELS = {
    Award.FINALIST: _l("Finalist: goes on to the national stage"),
    Award.WINNER: _l("Winner"),
}


@dataclass(frozen=True)
class PublicStatus:
    key: str
    label: str


class Entry(db.Model):
    """One child's drawing in one contest, with what the family told us about it.

    Personal fields (names, contacts, birth date, institution) are shown only to the
    region's coordinator and the organizers; see ``access.can_see_personal_data``.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id"), index=True)
    age_category_id: Mapped[int] = mapped_column(ForeignKey("age_category.id"))
    status: Mapped[EntryStatus] = mapped_column(_enum(EntryStatus), default=EntryStatus.RECEIVED,
                                                index=True)
    # Written for the family: shown on the status page and in the e-mail.
    status_reason: Mapped[str] = mapped_column(Text, default="")
    # The coordinator's own note for the staff: never shown to the family.
    moderation_note: Mapped[str] = mapped_column(Text, default="", server_default="")

    child_first_name: Mapped[str] = mapped_column(String(100))
    child_last_name: Mapped[str] = mapped_column(String(100))
    birth_date: Mapped[date | None]
    age: Mapped[int]
    town: Mapped[str] = mapped_column(String(120))
    institution: Mapped[str] = mapped_column(String(250), default="")
    teacher: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(String(200))
    # The family's own English title, for the English pages, calendar and certificates
    # (``i18n.drawing_title``); empty when they gave none.
    title_en: Mapped[str] = mapped_column(String(200), default="", server_default="")
    description: Mapped[str] = mapped_column(Text, default="")
    guardian_name: Mapped[str] = mapped_column(String(200))
    guardian_email: Mapped[str] = mapped_column(String(254), default="")
    guardian_phone: Mapped[str] = mapped_column(String(40), default="")
    locale: Mapped[str] = mapped_column(String(5), default=DEFAULT_LANGUAGE)

    image_key: Mapped[str] = mapped_column(String(120))
    image_sha256: Mapped[str] = mapped_column(String(64))
    image_format: Mapped[str] = mapped_column(String(16))
    image_bytes: Mapped[int]
    width: Mapped[int]
    height: Mapped[int]
    effective_dpi: Mapped[int]
    rotation: Mapped[int] = mapped_column(default=0)
    jury_masks: Mapped[list] = mapped_column(JSON, default=list)
    # Set only when a stage's results are published (``contest.judging.operations``)
    award: Mapped[Award | None] = mapped_column(_enum(Award), index=True)
    calendar_candidate: Mapped[bool] = mapped_column(default=False)

    submitted_at: Mapped[datetime] = mapped_column(default=utcnow)
    submitted_via: Mapped[str] = mapped_column(String(16), default="form")
    personal_data_erased_at: Mapped[datetime | None]
    contacts_purged_at: Mapped[datetime | None]
    # when the family last sent a better photo, until the coordinator decides on it
    new_photo_at: Mapped[datetime | None]
    # when a juror said the drawing reached them sideways, until the coordinator clears it
    sideways_at: Mapped[datetime | None]
    # Any change to the row: the yearly report's cached figures are as new as the newest.
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow,
                                                 server_default=func.now())
    # The one-time key of the form that sent it: a resent form finds its entry (None: a batch,
    # the demo, an archive, or an entry older than the key).
    submission_key: Mapped[str | None] = mapped_column(String(32), unique=True)
    # The one-time key of the school's batch form that sent it, shared by the batch's entries:
    # a resent batch finds them all (None: a single drawing, the demo, an archive, older).
    batch_key: Mapped[str | None] = mapped_column(String(32), index=True)

    contest: Mapped[Contest] = relationship()
    stage: Mapped[Stage] = relationship()
    age_category: Mapped[AgeCategory] = relationship()
    consents: Mapped[list[Consent]] = relationship(back_populates="entry",
                                                   cascade="all, delete-orphan")

    __table_args__ = (
        UniqueConstraint("contest_id", "image_sha256"),
        CheckConstraint(f"age >= {YOUNGEST_AGE} AND age <= {OLDEST_AGE}", name="age_range"),
        # the coordinator's list: a region's entries by status, in the order they came
        Index("ix_entry_stage_status_submitted", "stage_id", "status", "submitted_at"),
        # the same-child check at submission: a region's entries of one age
        Index("ix_entry_stage_age", "stage_id", "age"),
        # the report's cache marker: the edition's newest change
        Index("ix_entry_contest_updated", "contest_id", "updated_at"),
    )

    @property
    def region(self) -> Region:
        return self.stage.region

    @property
    def public_status(self) -> PublicStatus:
        """What the family sees on the status page: published awards first."""
        if self.award is not None:
            return PublicStatus(self.award.value, str(AWARD_LABELS[self.award]))
        return PublicStatus(self.status.value, self.status.label)

    def consent(self, kind: str) -> bool:
        return any(c.kind == kind and c.granted for c in self.consents)


class Consent(db.Model):
    """A guardian's answer to one consent question, with the text version they saw."""

    id: Mapped[int] = mapped_column(primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    kind: Mapped[str] = mapped_column(String(32))
    version: Mapped[str] = mapped_column(String(32))
    granted: Mapped[bool]
    at: Mapped[datetime] = mapped_column(default=utcnow)

    entry: Mapped[Entry] = relationship(back_populates="consents")

    __table_args__ = (UniqueConstraint("entry_id", "kind"),)


class JobStatus(enum.Enum):
    QUEUED = "queued"
    RUNNING = "running"
    DONE = "done"
    FAILED = "failed"


class Job(db.Model):
    """Background work as the page sees it: progress, result file, error (see ``jobs``)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    status: Mapped[JobStatus] = mapped_column(_enum(JobStatus), default=JobStatus.QUEUED)
    contest_id: Mapped[int | None] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    params: Mapped[dict] = mapped_column(JSON, default=dict)
    done: Mapped[int] = mapped_column(default=0)
    total: Mapped[int] = mapped_column(default=0)
    message: Mapped[str] = mapped_column(String(200), default="")
    error: Mapped[str] = mapped_column(Text, default="")
    result_key: Mapped[str] = mapped_column(String(200), default="")
    result_name: Mapped[str] = mapped_column(String(200), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]
    # how many times a worker has taken the job; each try's writes are fenced by this number
    attempts: Mapped[int] = mapped_column(default=0, server_default="0")
    # the last sign of life of the worker on it (or when it was queued again)
    heartbeat_at: Mapped[datetime | None]
    # The entries whose data the result holds (names, drawings); None: not recorded (a job
    # from before they were). An erasure withdraws the results that hold the child's data.
    entry_ids: Mapped[list | None] = mapped_column(JSON)
    # When the result was withdrawn because a child's data in it was erased: no download.
    withdrawn_at: Mapped[datetime | None]

    @property
    def percent(self) -> int:
        if self.status is JobStatus.DONE:
            return 100
        # The last item done is not the job done (the file is still being written): 99 at most.
        return min(99, int(100 * self.done / self.total)) if self.total else 0


class MessageStatus(enum.Enum):
    QUEUED = "queued"  # waiting for its (next) try
    SENDING = "sending"  # a worker is handing it to the mail server
    SENT = "sent"
    FAILED = "failed"  # out of tries; logged and shown on the organizers' messages page

    @property
    def label(self) -> str:
        return str(MESSAGE_STATUS_LABELS[self])


MESSAGE_STATUS_LABELS = {
    MessageStatus.QUEUED: _l("Waiting"),
    MessageStatus.SENDING: _l("Sending"),
    MessageStatus.SENT: _l("Sent"),
    MessageStatus.FAILED: _l("Failed"),
}


class Message(db.Model):
    """One e-mail, from the moment it is decided until the mail server took it (see ``mail``).

    The content (subject, bodies, attachment) is kept only until the message is sent; a
    failed message keeps it for ``MAIL_FAILED_KEEP_DAYS`` so an organizer can send it again.
    What stays is what the messages page shows: kind, recipient, language, state, times.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # what the message is about, when its sender must know it was sent ("stage:12")
    topic: Mapped[str] = mapped_column(String(64), default="", server_default="")
    recipient: Mapped[str] = mapped_column(String(254), index=True)
    language: Mapped[str] = mapped_column(String(5), default=DEFAULT_LANGUAGE)
    status: Mapped[MessageStatus] = mapped_column(_enum(MessageStatus),
                                                  default=MessageStatus.QUEUED, index=True)
    subject: Mapped[str] = mapped_column(String(300), default="")
    body_text: Mapped[str] = mapped_column(Text, default="")
    body_html: Mapped[str] = mapped_column(Text, default="")
    # a file in storage sent with the message (a school's list of codes), removed once sent
    attachment_key: Mapped[str] = mapped_column(String(200), default="")
    attachment_name: Mapped[str] = mapped_column(String(200), default="")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[str] = mapped_column(String(500), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    # when the next try is due (queued), or when the running try began (sending)
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    failed_at: Mapped[datetime | None]
    content_erased_at: Mapped[datetime | None]


class Fact(Localized, db.Model):
    """A sourced fact about bone health, one per calendar month page; organizers edit them."""

    id: Mapped[int] = mapped_column(primary_key=True)
    text_ru: Mapped[str] = mapped_column(Text)
    text_en: Mapped[str] = mapped_column(Text, default="")
    source_ru: Mapped[str] = mapped_column(String(300))
    source_en: Mapped[str] = mapped_column(String(300), default="")
    active: Mapped[bool] = mapped_column(default=True)
    position: Mapped[int] = mapped_column(default=0)
    # the month whose page the fact belongs on (World Osteoporosis Day: October); None: any
    month: Mapped[int | None]

    __table_args__ = (CheckConstraint("month >= 1 AND month <= 12", name="month_range"),)

    @property
    def text(self) -> str:
        return self.local("text")


class CalendarSlot(db.Model):
    """One page of a calendar being assembled: the cover (0) or a month (1–12)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    # None: the national calendar; a region: that region's own calendar
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    slot: Mapped[int]
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("entry.id", ondelete="SET NULL"))
    fact_id: Mapped[int | None] = mapped_column(ForeignKey("fact.id", ondelete="SET NULL"))

    entry: Mapped[Entry | None] = relationship()
    fact: Mapped[Fact | None] = relationship()

    __table_args__ = (
        UniqueConstraint("contest_id", "region_id", "slot"),
        CheckConstraint("slot >= 0 AND slot <= 12", name="slot_range"),
    )


class CalendarImprint(db.Model):
    """The imprint (выходные сведения) an edition's calendars print at the foot of the back
    page: every part optional; the publisher falls back to the society's name."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"),
                                            unique=True)
    publisher_ru: Mapped[str] = mapped_column(String(300), default="")
    publisher_en: Mapped[str] = mapped_column(String(300), default="")
    print_run: Mapped[int | None]  # copies (тираж)
    printer_ru: Mapped[str] = mapped_column(String(300), default="")
    printer_en: Mapped[str] = mapped_column(String(300), default="")
    order_number: Mapped[str] = mapped_column(String(40), default="")
    signed_on: Mapped[date | None]  # passed for printing (подписано в печать)


class CalendarPartner(db.Model):
    """A partner an edition's calendars thank on the back page, with its logo: a JPEG made
    from the uploaded image's pixels by the upload pipeline (no metadata, transparency laid
    on white), under ``logo_key``, and a small copy for the settings page."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"),
                                            index=True)
    name_ru: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    logo_key: Mapped[str] = mapped_column(String(200))
    thumbnail_key: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class HolidayDecree(db.Model):
    """The government's decree moving the days off of one year, as an organizer entered it.

    The calendar of a year the ``holidays`` data does not cover prints its days off from
    this: the public holidays, these transfers, and the Labour Code's own (art. 112).
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    year: Mapped[int] = mapped_column(unique=True)
    # the decree's title as published, e.g. "Постановление Правительства РФ от … № …"
    reference: Mapped[str] = mapped_column(String(300))
    # [{"from": "2028-01-01", "to": "2028-05-02"}, ...]: a day off moved from a weekend day
    transfers: Mapped[list] = mapped_column(JSON, default=list)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))


class CalendarExport(db.Model):
    """A built calendar PDF kept in the contest's history, with its preflight and previews."""

    id: Mapped[int] = mapped_column(primary_key=True)
    contest_id: Mapped[int] = mapped_column(ForeignKey("contest.id", ondelete="CASCADE"))
    region_id: Mapped[int | None] = mapped_column(ForeignKey("region.id"))
    version: Mapped[int]
    job_id: Mapped[int | None] = mapped_column(ForeignKey("job.id", ondelete="SET NULL"))
    language: Mapped[str] = mapped_column(String(2))
    page_format: Mapped[str] = mapped_column(String(2))
    options: Mapped[dict] = mapped_column(JSON, default=dict)
    pdf_key: Mapped[str] = mapped_column(String(200), default="")
    # rgb, pdfx4, coated, uncoated (calendar_builder's OUTPUT_KINDS); older exports are RGB.
    output: Mapped[str] = mapped_column(String(16), default="pdfx4", server_default="rgb")
    report: Mapped[dict] = mapped_column(JSON, default=dict)
    preview_keys: Mapped[list] = mapped_column(JSON, default=list)
    overrides: Mapped[list] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    # The entries printed in it (pages and back page); None: not recorded (an older export,
    # whose preflight names its drawings). See ``Job.entry_ids``.
    entry_ids: Mapped[list | None] = mapped_column(JSON)
    # Withdrawn (files deleted) because a child's data in it was erased: it needs a rebuild.
    withdrawn_at: Mapped[datetime | None]

    region: Mapped[Region | None] = relationship()
