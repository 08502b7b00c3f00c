"""A family's consent is a hard rule of the calendar: a drawing without consent to print is
never placed, exported or overridden, and a child's name without consent is never printed."""

import io
import re

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from contest import jobs, wall_calendar
from contest.contests import RuleError
from contest.extensions import db
from contest.models import AuditLog, CalendarExport, EntryStatus, Job, JobStatus, Phase, Role
from contest.wall_calendar import PLACEHOLDER, Options

from .test_calendar import fill

EXPORT = {"language": "ru", "page_format": "A4", "orientation": "portrait", "bleed_mm": "3",
          "max_per_region": "2"}


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def region(make):
    return make.region("RU-TA")


@pytest.fixture
def drawings(make, contest, region):
    ages = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 9]
    return [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                       size=(2480, 1754)) for age in ages]


def refuse(entry, kind):
    entry.consents[[c.kind for c in entry.consents].index(kind)].granted = False
    db.session.commit()


@pytest.fixture
def refused(make, contest, drawings):
    """A fourteenth drawing whose family did not agree to printing."""
    entry = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(2480, 1754),
                       title="Без согласия")
    refuse(entry, "print")
    return entry


def test_a_drawing_without_print_consent_is_never_placed(contest, region, drawings, refused):
    fill(contest, region, drawings)
    with pytest.raises(RuleError, match="did not allow printing|не разрешила печатать"):
        wall_calendar.assign(contest, region, 0, refused)
    assert wall_calendar.board(contest, region)[0].entry_id == drawings[0].id  # unchanged
    db.session.rollback()  # the view does this; the refusal changed nothing anyway
    assert not db.session.scalars(select(AuditLog).where(
        AuditLog.action == "calendar.assign", AuditLog.details["entry"].as_integer()
        == refused.id)).all()


@pytest.mark.parametrize("role", [Role.ORGANIZER, Role.COORDINATOR])
def test_the_page_refuses_it_in_plain_words(client, make, login, contest, region, drawings,
                                            refused, role):
    fill(contest, region, drawings)
    login(make.user(role, region=region if role is Role.COORDINATOR else None))
    response = client.post("/calendar/assign", data={
        "slot": 0, "entry": refused.id, "region": region.id, "contest": contest.id},
        follow_redirects=True)
    assert response.status_code == 200
    text = response.data.decode()
    assert "Семья не разрешила печатать «Без согласия»" in text
    assert "никто не может сделать исключение" in text
    assert wall_calendar.board(contest, region)[0].entry_id == drawings[0].id
    # The candidate list says why it cannot be used, and no page's menu offers it.
    assert "Семья не разрешила печатать этот рисунок" in text
    assert not re.search(f'<option value="{refused.id}"[^>]*>«Без согласия»', text)
    assert 'data-print="0"' in text and 'draggable="false"' in text


def test_consent_cannot_be_overridden_by_anyone(client, make, login, contest, region, drawings):
    fill(contest, region, drawings)
    refuse(drawings[0], "print")  # the cover's family withdrew consent after it was placed
    checks = {c.key: c for c in wall_calendar.check(contest, region, Options())}
    assert not checks["consent"].ok and not checks["consent"].overridable
    assert checks["consent"].slots == (0,)
    with pytest.raises(RuleError):
        wall_calendar.start_export(contest, region, Options(), {"consent": "any reason"}, None)
    login(make.user(Role.ORGANIZER))
    page = client.get(f"/calendar?region={region.id}&contest={contest.id}").data.decode()
    assert 'name="override_consent"' not in page
    assert "эту страницу нельзя напечатать" in page  # the page itself is flagged
    response = client.post("/calendar/export", data={
        **EXPORT, "region": region.id, "contest": contest.id,
        "override_consent": "Written consent received by post"}, follow_redirects=True)
    assert db.session.scalar(select(Job)) is None
    assert db.session.scalar(select(CalendarExport)) is None
    assert not db.session.scalars(select(AuditLog).where(
        AuditLog.action == "calendar.override")).all()
    assert "Нет согласия на печать: Обложка." in response.data.decode()
    assert "никто не может сделать исключение" in response.data.decode()


def test_a_withdrawn_consent_is_never_exported(contest, region, drawings, tmp_path):
    fill(contest, region, drawings)
    refuse(drawings[5], "print")  # May's family withdrew consent after it was placed
    # The preview and the checks show the placeholder, not the drawing, and no caption...
    spec = wall_calendar.to_spec(contest, region, Options(), allow_gaps=True, kind="preview")
    assert spec.months[4].drawing == PLACEHOLDER and spec.months[4].caption.first_name.ru == ""
    assert all(w.caption.first_name.ru != drawings[5].child_first_name
               for w in spec.back.winners)
    assert 5 not in wall_calendar.placements(contest, region, Options())
    # ...and a print refuses: a calendar with a blank page is no calendar.
    with pytest.raises(RuleError, match="май|May"):
        wall_calendar.to_spec(contest, region, Options(), link_into=tmp_path)
    assert f"entry-{drawings[5].id}.jpg" not in {p.name for p in tmp_path.iterdir()}


def test_an_export_queued_before_the_withdrawal_fails_and_says_why(contest, region, drawings):
    fill(contest, region, drawings)
    refuse(drawings[5], "print")
    # As if the rules were checked before the family withdrew and the job ran after it.
    job = jobs.start("calendar", None, contest.id, region_id=region.id,
                     options=wall_calendar.options_params(Options()), overrides=[], back="")
    assert job.status is JobStatus.FAILED
    assert "Семья не разрешила печатать рисунок" in job.error and "май" in job.error
    assert db.session.scalar(select(CalendarExport)) is None


def test_no_name_in_any_caption_without_name_consent(client, make, login, contest, region,
                                                     drawings):
    for entry in drawings[:3]:  # the cover, January and February
        refuse(entry, "show_name")
    for n, entry in enumerate(drawings):
        entry.child_first_name = f"Имя{n:02d}"
        entry.award = None
    db.session.commit()
    fill(contest, region, drawings)
    spec = wall_calendar.to_spec(contest, region, Options(), allow_gaps=True)
    assert spec.cover.caption.first_name.ru == ""
    assert [m.caption.first_name.ru for m in spec.months[:2]] == ["", ""]
    assert spec.months[2].caption.first_name.ru == "Имя03"  # a consented name is printed
    login(make.user(Role.ORGANIZER))
    response = client.post("/calendar/export", data={
        **EXPORT, "region": region.id, "contest": contest.id})
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.DONE, (job.error, response.status_code)
    export = db.session.scalar(select(CalendarExport))
    with client.get(f"/calendar/exports/{export.id}/{export.pdf_key.rsplit('/', 1)[1]}") as pdf:
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.data)).pages)
    assert "Имя03" in text  # the text is readable: an absent name is really absent
    for entry in drawings[:3]:
        assert entry.child_first_name not in text


def test_a_stale_page_or_a_made_up_slot_is_explained_not_a_bare_400(client, make, login,
                                                                     contest, region, drawings):
    fill(contest, region, drawings)
    login(make.user(Role.ORGANIZER))
    other = make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED)  # not a candidate here
    scope = {"region": region.id, "contest": contest.id}
    response = client.post("/calendar/assign", data={"slot": 3, "entry": other.id, **scope},
                           follow_redirects=True)
    assert response.status_code == 200
    assert "Рисунка с таким номером нет" in response.data.decode()
    for slot in (13, -1, 99999999999, "x"):
        response = client.post("/calendar/assign", data={"slot": slot, "entry": "", **scope},
                               follow_redirects=True)
        assert response.status_code == 200 and "Такой страницы в календаре нет" in \
            response.data.decode()
        response = client.post("/calendar/fact", data={"slot": slot, "fact": "", **scope},
                               follow_redirects=True)
        assert response.status_code == 200 and "Такой страницы в календаре нет" in \
            response.data.decode()
