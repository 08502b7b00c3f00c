"""Jurors hear of their work by e-mail (a real SMTP server): added to a stage, judging opens,
reminded before the deadline when sheets are missing (a pure rule with a fixed clock, the
worker's daily task, a coordinator's button)."""

from datetime import date, datetime, timedelta

import pytest
from flask_babel import force_locale, format_date

from contest import jobs
from contest.extensions import db
from contest.judging import operations
from contest.judging.reminders import jurors_to_remind
from contest.models import Role, StageStatus

from .factories import judging_stage, score

MOSCOW = "Europe/Moscow"
DEADLINE = date(2027, 5, 31)


@pytest.mark.parametrize("now, expected", [
    (datetime(2027, 5, 27, 20, 59), []),  # 23:59 in Moscow, the day before the window
    (datetime(2027, 5, 27, 21, 0), [1, 3]),  # midnight in Moscow: the window's first day
    (datetime(2027, 5, 31, 20, 59), [1, 3]),  # the deadline's last minute
    (datetime(2027, 6, 1, 9, 0), []),  # too late
])
def test_who_is_reminded_when(now, expected):
    missing = {1: 4, 2: 0, 3: 1, 4: 2}  # juror 2 has finished
    assert jurors_to_remind(DEADLINE, 3, missing, {4}, now, MOSCOW) == expected


def test_no_reminders_when_the_edition_wants_none():
    assert jurors_to_remind(DEADLINE, 0, {1: 5}, set(), datetime(2027, 5, 31, 9), MOSCOW) == []


def test_judging_opens_with_a_message_to_each_juror(app, make, smtp):
    contest, stage, entries, jurors = judging_stage(make, open_judging=False)
    smtp.received.clear()
    operations.change_status(stage, StageStatus.JUDGING_OPEN)
    db.session.commit()
    assert sorted(m["To"] for m in smtp.received) == sorted(j.email for j in jurors)
    text = smtp.text(smtp.received[0])
    assert smtp.received[0]["Subject"] == "Оценка открыта: Москва"
    assert "3 рисунка ждут ваших оценок" in text
    with force_locale("ru"):
        assert format_date(contest.regional_judging_until, "long") in text
    assert f"/jury/{stage.id}/" in text


def test_a_juror_added_to_a_stage_is_told(app, make, smtp):
    contest, stage, entries, jurors = judging_stage(make)
    newcomer = make.user(Role.JUROR, email="new@example.org")
    smtp.received.clear()
    operations.add_juror(stage, newcomer)
    db.session.commit()
    (message,) = smtp.received
    assert message["To"] == "new@example.org" and "Москва" in message["Subject"]
    assert "3 рисунка ждут ваших оценок" in smtp.text(message)


def test_the_daily_task_reminds_once_those_with_sheets_missing(app, make, smtp):
    contest, stage, (a, b, c), (done, half, idle) = judging_stage(make)
    for entry in (a, b, c):
        score(stage, done, entry, 5, 5, 5)
    score(stage, half, a, 5, 5, 5)
    deadline = contest.regional_judging_until
    smtp.received.clear()
    early = datetime.combine(deadline - timedelta(days=5), datetime.min.time())
    assert jobs.run_periodic("juror-reminders", early) == "0 jurors reminded"
    due = datetime.combine(deadline - timedelta(days=2), datetime.min.time()).replace(hour=6)
    assert jobs.run_periodic("juror-reminders", due) == "2 jurors reminded"
    assert sorted(m["To"] for m in smtp.received) == sorted([half.email, idle.email])
    reminder = {m["To"]: smtp.text(m) for m in smtp.received}
    assert "2 ваших рисунка ещё ждут" in reminder[half.email]
    assert jobs.run_periodic("juror-reminders", due + timedelta(days=1)) == "0 jurors reminded"
    assert len(smtp.received) == 2


def test_a_coordinators_button_reminds_now(app, make, client, login, smtp):
    contest, stage, entries, jurors = judging_stage(make)
    login(make.user(Role.COORDINATOR, region=stage.region))
    smtp.received.clear()
    page = client.get(f"/stages/{stage.id}").data.decode()
    assert "Напомнить жюри сейчас" in page
    response = client.post(f"/stages/{stage.id}/remind")
    assert response.status_code == 302
    assert sorted(m["To"] for m in smtp.received) == sorted(j.email for j in jurors)


def test_a_juror_cannot_press_the_button(app, make, client, login, smtp):
    contest, stage, entries, jurors = judging_stage(make)
    login(jurors[0])
    smtp.received.clear()
    assert client.post(f"/stages/{stage.id}/remind").status_code in (403, 404)
    assert smtp.received == []
