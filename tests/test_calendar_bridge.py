"""The app lays the calendar out once per request and once per export, through the
library's public plan."""

import pytest
from sqlalchemy import select

import calendar_builder
from contest import wall_calendar
from contest.extensions import db
from contest.models import EntryStatus, Job, JobStatus, Phase, Role
from contest.wall_calendar import Options

EXPORT_FORM = {"language": "ru", "page_format": "A4", "orientation": "portrait",
               "bleed_mm": "3", "max_per_region": "2", "output": "rgb"}


@pytest.fixture
def layouts(monkeypatch):
    """One item per time the calendar is laid out from now on: the specification's drawings."""
    made = []
    real = calendar_builder.plan.calendar_layout

    def counted(spec, pixels, fonts):
        made.append(spec.drawings)
        return real(spec, pixels, fonts)

    monkeypatch.setattr(calendar_builder.plan, "calendar_layout", counted)
    return made


@pytest.fixture
def region_calendar(make, client, login):
    """Tatarstan's calendar with all thirteen pages filled, its coordinator signed in."""
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    region = make.region("RU-TA")
    drawings = [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                           size=(1754, 1240)) for age in range(4, 17)]
    for slot, entry in zip(wall_calendar.SLOTS, drawings, strict=True):
        wall_calendar.assign(contest, region, slot, entry)
    wall_calendar.suggest_facts(contest, region)
    login(make.user(Role.COORDINATOR, region=region))
    return contest, region, drawings


def test_the_board_and_a_preview_lay_the_calendar_out_once_each(client, region_calendar,
                                                               layouts):
    assert client.get("/calendar").status_code == 200
    assert len(layouts) == 1
    assert client.get("/calendar/preview/5.png").data.startswith(b"\x89PNG")
    assert len(layouts) == 2


def test_an_export_lays_the_calendar_out_once_in_the_request_and_once_in_the_job(
        client, region_calendar, layouts):
    response = client.post("/calendar/export", data=EXPORT_FORM)
    job = db.session.scalar(select(Job))
    assert response.status_code == 302 and job.status is JobStatus.DONE, job.error
    # The queue runs the job inside the request in tests: the request's check, then the job's
    # build (from the drawings linked as entry-<id>.jpg in its own folder).
    assert len(layouts) == 2
    assert all(path.name.startswith("entry-") for path in layouts[1])
    assert not any(path.name.startswith("entry-") for path in layouts[0])


def test_the_check_reads_dpi_and_share_from_the_plan(region_calendar):
    contest, region, _drawings = region_calendar
    plan = wall_calendar.plan(contest, region, Options())
    placed = wall_calendar.placements(contest, region, Options())
    assert sorted(placed) == list(wall_calendar.SLOTS)
    for slot, (dpi, share) in placed.items():
        drawing = plan.pages[slot].drawing()
        assert (dpi, share) == (round(drawing.dpi), round(drawing.share, 3))
        # 1754 pixels across a drawing of about 186 mm: about 240 dpi, never more than 300.
        assert wall_calendar.MIN_DPI < dpi < 300
