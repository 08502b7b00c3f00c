"""What the juries record: score sheets and their marks, assignments, computed results.

A stage's status and settings live on ``Stage`` and awards on ``Entry`` (``contest.models``);
everything here belongs to one stage, so an entry has one sheet per juror in each stage
that judges it (its region's, then the national one if it goes on).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from ..extensions import db
from ..models import Entry, Stage, User, utcnow


class Sheet(db.Model):
    """One juror's score sheet for one entry in one stage."""

    id: Mapped[int] = mapped_column(primary_key=True)
    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"))
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"), index=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"))
    comment: Mapped[str] = mapped_column(Text, default="")
    complete: Mapped[bool] = mapped_column(default=False)  # every criterion marked
    # their own child or pupil: the entry goes without this juror's marks
    conflict: Mapped[bool] = mapped_column(default=False)
    conflict_note: Mapped[str] = mapped_column(String(300), default="")
    calendar_candidate: Mapped[bool] = mapped_column(default=False)  # national jurors only
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    marks: Mapped[list[Mark]] = relationship(back_populates="sheet", cascade="all, delete-orphan",
                                             lazy="selectin")
    entry: Mapped[Entry] = relationship()
    juror: Mapped[User] = relationship()

    __table_args__ = (UniqueConstraint("stage_id", "juror_id", "entry_id"),)

    def mark(self, criterion_id: int) -> int | None:
        return next((m.value for m in self.marks if m.criterion_id == criterion_id), None)


class Mark(db.Model):
    """A juror's mark on one criterion; the contest's scale bounds it."""

    sheet_id: Mapped[int] = mapped_column(ForeignKey("sheet.id", ondelete="CASCADE"),
                                          primary_key=True)
    criterion_id: Mapped[int] = mapped_column(ForeignKey("criterion.id", ondelete="CASCADE"),
                                              primary_key=True)
    value: Mapped[int]

    sheet: Mapped[Sheet] = relationship(back_populates="marks")


class Assignment(db.Model):
    """An entry a juror is asked to score, when the stage sets a number of jurors per entry."""

    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"),
                                          primary_key=True)
    juror_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"),
                                          primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"),
                                          primary_key=True)


class Placement(db.Model):
    """An entry's line in a stage's computed results (``results.EntryResult``), for paging.

    Computed when judging closes; ``finalist_override`` is a staff decision (with its reason,
    also in the audit log) that beats the computed ``finalist``. Reopening judging keeps the
    rows holding a decision, and closing again applies the decision to the new results.
    """

    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"),
                                          primary_key=True)
    entry_id: Mapped[int] = mapped_column(ForeignKey("entry.id", ondelete="CASCADE"),
                                          primary_key=True)
    category_id: Mapped[int] = mapped_column(ForeignKey("age_category.id"))
    rank: Mapped[int]
    raw_rank: Mapped[int | None]
    jurors: Mapped[int]
    raw_mean: Mapped[float | None]
    adjusted_mean: Mapped[float | None]
    computed_finalist: Mapped[bool]
    close_call: Mapped[bool]
    decided_by: Mapped[str | None] = mapped_column(String(16))
    conflicts: Mapped[int]
    sheets: Mapped[list] = mapped_column(JSON)
    finalist_override: Mapped[bool | None]
    override_reason: Mapped[str] = mapped_column(Text, default="")

    entry: Mapped[Entry] = relationship()

    __table_args__ = (Index("ix_placement_stage_category_rank", "stage_id", "category_id", "rank"),)

    @property
    def finalist(self) -> bool:
        return self.computed_finalist if self.finalist_override is None else self.finalist_override


class StageResult(db.Model):
    """A stage's computed results as stored by ``results.StageResults.to_dict``.

    Replaced while judging may still reopen; frozen once ``published_at`` is set, together
    with the final list of finalists (overrides included).
    """

    stage_id: Mapped[int] = mapped_column(ForeignKey("stage.id", ondelete="CASCADE"),
                                          primary_key=True)
    version: Mapped[str] = mapped_column(String(16))
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Large (every sheet of every entry): loaded only when asked for; pages read ``Placement``
    # and ``jurors``, the jurors' leniency (``data["jurors"]``) kept apart for them.
    data: Mapped[dict] = mapped_column(JSON, deferred=True)
    jurors: Mapped[list] = mapped_column(JSON, default=list)
    finalists: Mapped[list] = mapped_column(JSON, default=list)
    published_at: Mapped[datetime | None]

    stage: Mapped[Stage] = relationship()
