from sqlalchemy import func, select

from contest.extensions import db
from contest.models import Award, Contest, Entry, Phase, Region, Role, User


def test_regions_sync(runner):
    result = runner.invoke(args=["regions", "sync"])
    assert result.exit_code == 0 and "83 changed" in result.output
    assert db.session.scalar(select(func.count(Region.id))) == 83


def test_create_first_organizer(runner):
    result = runner.invoke(args=["users", "create", "--role", "organizer", "--email",
                                 "Boss@Example.org", "--name", "Boss", "--generate"])
    assert result.exit_code == 0, result.output
    user = db.session.scalar(select(User))
    assert (user.email, user.role, user.must_change_password) == ("boss@example.org", Role.ORGANIZER, True)
    password = result.output.split("with password ")[1].split()[0]
    assert user.check_password(password)
    again = runner.invoke(args=["users", "create", "--role", "organizer", "--email",
                                "boss@example.org", "--name", "Boss", "--password", "x" * 12])
    assert again.exit_code == 1
    assert "Учётная запись с такой почтой уже есть." in again.output  # the CLI speaks Russian


def test_coordinator_needs_a_known_region(runner):
    runner.invoke(args=["regions", "sync"])
    result = runner.invoke(args=["users", "create", "--role", "coordinator", "--email", "c@x.org",
                                 "--name", "C", "--region", "RU-XXX", "--password", "y" * 12])
    assert result.exit_code == 2 and "unknown region" in result.output
    result = runner.invoke(args=["users", "create", "--role", "coordinator", "--email", "c@x.org",
                                 "--name", "C", "--region", "ru-ta", "--password", "y" * 12])
    assert result.exit_code == 0
    assert db.session.scalar(select(User)).region.code == "RU-TA"


def test_demo_makes_a_living_contest(runner):
    result = runner.invoke(args=["demo", "--entries", "6"])
    assert result.exit_code == 0, result.output
    judged, current = db.session.scalars(select(Contest).order_by(Contest.year)).all()
    assert current.phase is Phase.SUBMISSIONS_OPEN and judged.phase is Phase.CALENDAR
    assert current.year == judged.year + 1
    for contest in (judged, current):
        assert len(contest.regional_stages) == 5 and len(contest.age_categories) == 3
        assert len(contest.criteria) == 4 and len(contest.national_stage.jurors) == 3
        assert all(len(s.jurors) == 3 for s in contest.regional_stages)
    assert db.session.scalar(select(func.count(Entry.id)).where(
        Entry.contest_id == current.id)) == 6
    winners = db.session.scalars(select(Entry).where(Entry.award == Award.WINNER)).all()
    assert len(winners) == 12 and all(w.contest_id == judged.id for w in winners)
    entry = db.session.scalar(select(Entry))
    assert max(entry.width, entry.height) == 3508  # A4 at 300 dpi
    assert runner.invoke(args=["demo", "--if-empty"]).output.startswith("The database already")
