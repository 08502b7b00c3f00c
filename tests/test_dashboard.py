"""The organizer's dashboard: the current edition's deadlines, each region's moderation backlog
and each jury's progress, per juror, with the reminder button; the report's own figures."""

import re

from contest import report
from contest.extensions import db
from contest.models import Message, Phase, Role

from .factories import judging_stage, score


def test_the_dashboard_shows_backlog_and_jury_progress(client, make, login):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    make.entry(contest, "RU-TA")  # waits for Tatarstan's coordinator
    contest, stage, drawings, jurors = judging_stage(make, entries=3, contest=contest)
    score(stage, jurors[0], drawings[0], 8, 7, 9)
    score(stage, jurors[0], drawings[1], 5, 6, 7)
    login(make.user(Role.ORGANIZER))
    page = client.get("/organizer/").data.decode()
    assert "Крайние сроки" in page or "Сроки" in page
    figures, stages = report.overview(contest)
    moscow = next(o for o in stages if o.stage.id == stage.id)
    assert (moscow.figures.entries, moscow.figures.accepted) == (3, 3)
    assert (moscow.sheets_done, moscow.sheets_total, moscow.jurors_behind) == (2, 9, 3)
    assert figures.totals.waiting == 1 and figures.totals.entries == 4
    assert "2 из 9" in page and jurors[0].name in page
    assert re.search(r"не хватает\s+1", page)  # the first juror has one left
    # the same figures as the yearly report
    assert report.yearly_figures(contest).totals.entries == figures.totals.entries


def test_the_reminder_button_comes_back_to_the_dashboard(client, make, login):
    contest, stage, drawings, jurors = judging_stage(make, entries=2)
    login(make.user(Role.ORGANIZER))
    page = client.get("/organizer/").data.decode()
    assert f"/stages/{stage.id}/remind" in page
    response = client.post(f"/stages/{stage.id}/remind", data={"next": "/organizer/"})
    assert response.status_code == 302 and response.location.endswith("/organizer/")
    reminders = db.session.query(Message).filter_by(kind="reminder").count()
    assert reminders == 3  # one per juror still scoring
    response = client.post(f"/stages/{stage.id}/remind", data={"next": "https://evil.example/"})
    assert not response.location.startswith("https://evil.example")


def test_the_dashboard_without_any_contest(client, make, login):
    login(make.user(Role.ORGANIZER))
    assert client.get("/organizer/").status_code == 200
