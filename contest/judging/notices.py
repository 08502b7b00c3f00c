"""Messages to jurors: added to a stage, judging opens, a reminder before the deadline when
sheets are missing (the worker's daily task, or a coordinator's button), results published.

Jurors have no language of their own: they are written to in the default language.
"""

from __future__ import annotations

from datetime import date, datetime

from flask import current_app, url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from .. import jobs, mail
from ..extensions import db
from ..models import Message, Stage, StageKind, StageStatus, User
from . import reminders
from .operations.pool import progress


def deadline(stage: Stage) -> date:
    """The last day of the stage's judging, as the contest published it."""
    contest = stage.contest
    return (contest.regional_judging_until if stage.kind is StageKind.REGIONAL
            else contest.national_judging_until)


def juror_added(stage: Stage, juror: User) -> None:
    """A juror joins a stage's jury (an existing account; a new one gets its invitation)."""
    _send(stage, juror, "juror_added", _l("You are on the jury: %(stage)s", stage=stage.name))


def judging_opened(stage: Stage) -> None:
    """Judging opens: each juror learns how many drawings wait, the deadline and the link."""
    for juror in stage.jurors:
        _send(stage, juror, "judging_open",
              _l("Judging is open: %(stage)s", stage=stage.name))


def remind(stage: Stage, jurors: list[User] | None = None, topic: str = "") -> int:
    """Remind the stage's jurors with sheets missing (or those of ``jurors``); returns how
    many were reminded. Flushes; the messages leave with the caller's commit. ``topic``
    marks the daily task's reminders, so it sends each once."""
    if stage.status is not StageStatus.JUDGING_OPEN:
        return 0
    count = 0
    for juror in jurors if jurors is not None else stage.jurors:
        done = progress(stage, juror)
        if juror.active and done.done < done.total:
            _send(stage, juror, "reminder",
                  _l("Reminder: drawings wait for your scores (%(stage)s)", stage=stage.name),
                  missing=done.total - done.done, topic=topic or _topic(stage))
            count += 1
    return count


def stage_published(stage: Stage) -> None:
    """The results of a stage are out: a note to each of its jurors."""
    with mail.links():
        results_url = url_for("judging.public_results", year=stage.contest.year,
                              _external=True)
    for juror in stage.jurors:
        _send(stage, juror, "stage_published",
              _l("Results published: %(stage)s", stage=stage.name), results_url=results_url)


@jobs.periodic("juror-reminders", hour="6", minute="5")
def daily_reminders(now: datetime) -> str:
    """Every morning: remind, once, the jurors of open stages whose deadline is near
    (``Contest.juror_reminder_days``) and who still have sheets to fill."""
    reminded_total = 0
    zone = current_app.config["BABEL_DEFAULT_TIMEZONE"]
    for stage in db.session.scalars(select(Stage).where(
            Stage.status == StageStatus.JUDGING_OPEN).order_by(Stage.id)):
        end = deadline(stage)
        if reminders.window(end, stage.contest.juror_reminder_days) is None:
            continue  # reminders are off for this edition
        jurors = {j.id: j for j in stage.jurors if j.active}
        missing = {}
        for juror in jurors.values():
            done = progress(stage, juror)
            missing[juror.id] = done.total - done.done
        already = _reminded(stage, end)
        chosen = reminders.jurors_to_remind(
            end, stage.contest.juror_reminder_days, missing,
            {j for j, u in jurors.items() if u.email.lower() in already}, now, zone)
        reminded_total += remind(stage, [jurors[j] for j in chosen],
                                 topic=_window_topic(stage, end))
    return f"{reminded_total} jurors reminded"


def _reminded(stage: Stage, end: date) -> set[str]:
    """The addresses already sent the automatic reminder for this stage and deadline."""
    return set(db.session.scalars(select(func.lower(Message.recipient)).where(
        Message.kind == "reminder", Message.topic == _window_topic(stage, end))))


def _window_topic(stage: Stage, end: date) -> str:
    # The deadline names the window: moved, the reminder is due again for the new one.
    return f"stage:{stage.id}:until:{end.isoformat()}"


def _topic(stage: Stage) -> str:
    return f"stage:{stage.id}"


def _send(stage: Stage, juror: User, kind: str, subject, topic: str = "", **context) -> None:
    if not juror.active:
        return
    with mail.links():
        assigned = progress(stage, juror)
        mail.compose(juror.email, kind, kind, subject, topic=topic or _topic(stage), juror=juror,
                     stage=stage, contest=stage.contest, deadline=deadline(stage),
                     drawings=assigned.total,
                     jury_url=url_for("judging.jury_stage", stage_id=stage.id, _external=True),
                     **context)
