"""How long families' contacts are kept: an edition's setting, the nightly purge of the job
worker's periodic tasks (run here with a fixed clock), its command, and the privacy notice."""

from datetime import date, datetime

import pytest
from sqlalchemy import select

from contest import entries, jobs
from contest.entries.privacy import add_months
from contest.extensions import db
from contest.judging.models import StageResult
from contest.models import AuditLog, Award, Contest, EntryStatus, Phase, Role

from .test_organizer import contest_form

PUBLISHED = datetime(2027, 3, 10, 12, 0)


@pytest.fixture
def published(make):
    """An edition whose national results were published on 10 March 2027, with a winner, a
    finalist and an entry that won nothing; contacts kept 6 months."""
    contest = make.contest(year=2027, phase=Phase.SUBMISSIONS_OPEN)
    winner, finalist, other = (make.entry(contest, status=EntryStatus.ACCEPTED) for _ in range(3))
    winner.award, finalist.award = Award.WINNER, Award.FINALIST
    contest.phase = Phase.CALENDAR
    db.session.add(StageResult(stage_id=contest.national_stage.id, version="test", data={},
                               published_at=PUBLISHED))
    db.session.commit()
    return contest, winner, finalist, other


@pytest.mark.parametrize("day, months, expected", [
    (date(2027, 3, 10), 6, date(2027, 9, 10)),
    (date(2027, 8, 31), 6, date(2028, 2, 29)),  # a shorter month: its last day
    (date(2027, 12, 15), 1, date(2028, 1, 15)),
    (date(2027, 1, 31), 60, date(2032, 1, 31)),
])
def test_months_are_added_as_a_calendar_does(day, months, expected):
    assert add_months(day, months) == expected


def test_the_purge_is_a_periodic_task_of_the_worker(app):
    task = jobs.PERIODIC["purge-contacts"]
    assert task.when == "17 3 * * *"
    huey = app.extensions["huey"]
    due = {t.name for t in huey.read_periodic(datetime(2027, 9, 10, 3, 17))}
    assert "periodic-purge-contacts" in due
    assert "periodic-purge-contacts" not in {
        t.name for t in huey.read_periodic(datetime(2027, 9, 10, 3, 18))}
    with pytest.raises(ValueError):
        jobs.periodic("typo", hours="3")


def test_contacts_of_non_winners_are_purged_once_the_period_ends(published):
    contest, winner, finalist, other = published
    assert entries.contacts_purged_on(contest) == date(2027, 9, 10)
    assert jobs.run_periodic("purge-contacts", datetime(2027, 9, 9, 23, 59)) == "nothing due"
    assert other.guardian_email and other.contacts_purged_at is None

    assert jobs.run_periodic("purge-contacts", datetime(2027, 9, 10, 3, 17)) == "2027: 1 entries"
    assert other.guardian_email == "" and other.guardian_phone == "" and other.contacts_purged_at
    assert winner.guardian_email and finalist.guardian_email  # contacted about the awards
    logged = db.session.scalars(select(AuditLog).where(
        AuditLog.action == "contest.purge_contacts")).all()
    assert [(r.details["entries"], r.details["scheduled"]) for r in logged] == [(1, True)]

    # The next night finds nothing left: no purge, no new log row.
    assert jobs.run_periodic("purge-contacts", datetime(2027, 9, 11, 3, 17)) == "nothing due"
    assert len(db.session.scalars(select(AuditLog).where(
        AuditLog.action == "contest.purge_contacts")).all()) == 1


def test_the_period_is_the_editions_own(published):
    contest, _winner, _finalist, other = published
    contest.contacts_kept_months = 12
    db.session.commit()
    assert jobs.run_periodic("purge-contacts", datetime(2027, 9, 10, 3, 17)) == "nothing due"
    assert other.guardian_email
    assert jobs.run_periodic("purge-contacts", datetime(2028, 3, 10, 3, 17)) == "2027: 1 entries"


def test_nothing_is_purged_before_the_national_results_are_published(make):
    contest = make.contest(year=2027, phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest)
    assert entries.contacts_purged_on(contest) is None
    assert jobs.run_periodic("purge-contacts", datetime(2040, 1, 1)) == "nothing due"
    assert entry.guardian_email


def test_the_worker_runs_the_task_in_a_context_of_its_own(app, published, monkeypatch):
    """The function huey's scheduler calls (immediate in tests) purges what is due by the
    clock, here a fixed one."""
    _contest, _winner, _finalist, other = published
    monkeypatch.setattr(jobs, "utcnow", lambda: datetime(2027, 9, 10, 3, 17))
    app.extensions["periodic"]["purge-contacts"]()
    db.session.expire_all()
    assert other.guardian_email == "" and other.contacts_purged_at


def test_the_commands_list_and_run_the_periodic_tasks(runner, published, monkeypatch):
    monkeypatch.setattr(jobs, "utcnow", lambda: datetime(2027, 9, 10, 3, 17))
    listed = runner.invoke(args=["jobs", "periodic"])
    assert listed.exit_code == 0 and "purge-contacts\t17 3 * * *" in listed.output
    ran = runner.invoke(args=["jobs", "run-periodic", "purge-contacts"])
    assert ran.exit_code == 0 and "purge-contacts: 2027: 1 entries" in ran.output
    assert runner.invoke(args=["jobs", "run-periodic", "nothing"]).exit_code == 2


def test_the_organizer_sets_the_period_and_the_notice_states_it(client, make, login):
    login(make.user(Role.ORGANIZER))
    client.post("/organizer/contests/new", data=contest_form(contacts_kept_months="9"))
    contest = db.session.scalar(select(Contest))
    assert contest.contacts_kept_months == 9
    refused = client.post(f"/organizer/contests/{contest.id}/edit",
                          data=contest_form(contacts_kept_months="0")).data.decode()
    assert "От 1 до 60 месяцев" in refused and contest.contacts_kept_months == 9
    page = client.get(f"/organizer/contests/{contest.id}").data.decode()
    assert "через 9 месяцев после публикации" in page
    contest.phase = Phase.SUBMISSIONS_OPEN  # the edition families see
    db.session.commit()
    notice = client.get("/privacy").data.decode()
    assert "Через 9 месяцев после публикации" in notice


def test_the_organizer_sees_the_day_the_contacts_go(client, make, login, published):
    contest = published[0]
    login(make.user(Role.ORGANIZER))
    page = client.get(f"/organizer/contests/{contest.id}").data.decode()
    assert "через 6 месяцев после публикации" in page and "10 сентября 2027" in page
