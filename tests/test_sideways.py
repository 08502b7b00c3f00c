"""A juror flags a drawing that reached them sideways; the region's coordinator sees it in the
list's "needs attention" and on the entry's page, turns the drawing and clears the flag."""

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.judging.models import Assignment
from contest.models import AuditLog, Entry, Role

from .factories import judging_stage


@pytest.fixture
def world(make):
    contest, stage, entries, jurors = judging_stage(make, jurors=4)
    _, ta_stage, ta_entries, ta_jurors = judging_stage(make, region_code="RU-TA",
                                                        contest=contest)
    for entry in entries:  # sharp enough: only the flag can ask for attention
        entry.effective_dpi = 300
    db.session.commit()
    return dict(stage=stage, entry=entries[0], other=entries[1], juror=jurors[0],
                jurors=jurors, ta_juror=ta_jurors[0], ta_stage=ta_stage,
                coordinator=make.user(Role.COORDINATOR, region=make.region("RU-MOW")),
                ta_coordinator=make.user(Role.COORDINATOR, region=make.region("RU-TA")),
                organizer=make.user(Role.ORGANIZER))


def flag_url(w, entry=None):
    return f"/jury/{w['stage'].id}/entries/{(entry or w['entry']).id}/sideways"


def test_a_juror_flags_and_the_coordinator_turns_and_clears(client, login, world):
    entry = world["entry"]
    login(world["juror"])
    sheet = client.get(f"/jury/{world['stage'].id}/entries/{entry.id}").data.decode()
    assert flag_url(world) in sheet
    response = client.post(flag_url(world))
    assert response.status_code == 302
    assert db.session.get(Entry, entry.id).sideways_at is not None
    sheet = client.get(response.location).data.decode()
    assert "Координатору сообщили" in sheet and flag_url(world) not in sheet
    assert client.post(flag_url(world)).status_code == 302  # twice: still one flag, one row
    assert len(db.session.scalars(select(AuditLog).where(
        AuditLog.action == "entry.sideways")).all()) == 1

    login(world["coordinator"])
    listing = client.get(f"/coordinator/?stage={world['stage'].id}&status=all&flag=attention")
    page = listing.data.decode()
    assert f"/coordinator/entries/{entry.id}\"" in page
    assert f"/coordinator/entries/{world['other'].id}\"" not in page
    assert "Боком, по словам члена жюри" in page
    page = client.get(f"/coordinator/entries/{entry.id}").data.decode()
    assert "снять отметку" in page.lower() and "/rotate" in page  # turning allowed in judging
    width, height = entry.width, entry.height
    assert client.post(f"/coordinator/entries/{entry.id}/rotate",
                       data={"degrees": "90"}).status_code == 302
    db.session.refresh(entry)
    assert (entry.width, entry.height, entry.rotation) == (height, width, 90)
    assert client.post(f"/coordinator/entries/{entry.id}/sideways/clear").status_code == 302
    db.session.refresh(entry)
    assert entry.sideways_at is None
    # Without a flag, judging keeps the drawing as it is.
    assert client.post(f"/coordinator/entries/{entry.id}/rotate",
                       data={"degrees": "90"}).status_code == 409
    assert "/rotate" not in client.get(f"/coordinator/entries/{entry.id}").data.decode()


def test_only_a_juror_asked_to_score_the_drawing_may_flag_it(client, login, world):
    stage = world["stage"]
    with db.session.no_autoflush:
        stage.jurors_per_entry = 3
        db.session.add_all(Assignment(stage_id=stage.id, juror_id=juror.id,
                                      entry_id=world["entry"].id)
                           for juror in world["jurors"][:3])
    db.session.commit()
    login(world["jurors"][3])  # on the jury, but not asked to score this drawing
    assert client.post(flag_url(world)).status_code == 404
    login(world["ta_juror"])  # another region's jury
    assert client.post(flag_url(world)).status_code == 404
    for staff in ("coordinator", "organizer"):
        login(world[staff])
        assert client.post(flag_url(world)).status_code == 403
    assert db.session.get(Entry, world["entry"].id).sideways_at is None
    login(world["juror"])
    assert client.post(flag_url(world)).status_code == 302


def test_only_the_regions_staff_clear_the_flag(client, login, world):
    entry = world["entry"]
    login(world["juror"])
    client.post(flag_url(world))
    url = f"/coordinator/entries/{entry.id}/sideways/clear"
    login(world["ta_coordinator"])
    assert client.post(url).status_code == 404
    login(world["juror"])
    assert client.post(url).status_code == 403
    assert db.session.get(Entry, entry.id).sideways_at is not None
    login(world["organizer"])
    assert client.post(url).status_code == 302
    assert db.session.get(Entry, entry.id).sideways_at is None
