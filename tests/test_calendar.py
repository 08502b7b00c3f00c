"""Assembling a calendar, checking the selection rules, exporting a print-ready PDF."""

import io
import json
from datetime import date

import pytest
from pypdf import PdfReader
from sqlalchemy import event, select

from calendar_builder import Transfer
from contest import wall_calendar
from contest.errors import RuleError
from contest.extensions import db
from contest.models import (
    AuditLog,
    CalendarExport,
    CalendarSlot,
    EntryStatus,
    Fact,
    Job,
    JobStatus,
    Phase,
    Role,
)
from contest.wall_calendar import Options


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def drawings(make, contest):
    """Thirteen accepted drawings in Tatarstan, sharp enough for A4, all age categories."""
    ages = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 9]
    return [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                       size=(2480, 1754)) for age in ages]


def fill(contest, region, drawings):
    for slot, entry in zip(wall_calendar.SLOTS, drawings, strict=True):
        wall_calendar.assign(contest, region, slot, entry)
    wall_calendar.suggest_facts(contest, region)


def test_assign_moves_a_drawing_between_pages(make, contest, drawings):
    region = make.region("RU-TA")
    wall_calendar.assign(contest, region, 1, drawings[0])
    wall_calendar.assign(contest, region, 2, drawings[1])
    wall_calendar.assign(contest, region, 2, drawings[0])  # moves; January gets February's
    pages = wall_calendar.board(contest, region)
    assert (pages[1].entry_id, pages[2].entry_id) == (drawings[1].id, drawings[0].id)
    other = make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED)
    with pytest.raises(RuleError):
        wall_calendar.assign(contest, region, 3, other)  # not a candidate of this region


def test_facts_are_suggested_without_repeats(make, contest, drawings):
    region = make.region("RU-TA")
    assert wall_calendar.suggest_facts(contest, region) == 12
    chosen = [p.fact_id for s, p in wall_calendar.board(contest, region).items() if s]
    assert len(set(chosen)) == 12


def test_rules(make, contest, drawings):
    region = make.region("RU-TA")
    rules = {c.key: c for c in wall_calendar.check(contest, region, Options())}
    assert not rules["complete"].ok and len(rules["complete"].slots) == 13
    fill(contest, region, drawings)
    rules = {c.key: c for c in wall_calendar.check(contest, region, Options())}
    assert all(c.ok for c in rules.values()), [c.message for c in rules.values() if not c.ok]
    # no consent to print, the same child twice, a small photo: each is caught
    drawings[3].consents[2].granted = False
    contest.entries_per_child = 2
    twin = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=drawings[4].age,
                      child_first_name=drawings[4].child_first_name, size=(600, 450))
    twin.child_first_name = drawings[4].child_first_name + " "  # spaces do not hide a child
    db.session.commit()
    wall_calendar.assign(contest, region, 5, twin)
    rules = {c.key: c for c in wall_calendar.check(contest, region, Options())}
    assert not rules["consent"].ok and rules["consent"].slots == (3,)
    assert not rules["consent"].overridable
    assert "Выберите другой рисунок" in rules["consent"].no_exception
    assert not rules["resolution"].ok and rules["resolution"].slots == (5,)
    assert not rules["one_per_child"].ok and rules["one_per_child"].slots == (4, 5)


def test_a_panorama_does_not_suit_the_page(make, contest, drawings):
    region = make.region("RU-TA")
    fill(contest, region, drawings)
    panorama = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(3600, 900))
    wall_calendar.assign(contest, region, 7, panorama)
    rules = {c.key: c for c in wall_calendar.check(contest, region, Options())}
    assert not rules["orientation"].ok and rules["orientation"].slots == (7,)


def test_export_a_regional_calendar(client, make, login, contest, drawings):
    region = make.region("RU-TA")
    login(make.user(Role.COORDINATOR, region=region))
    for slot, entry in zip(wall_calendar.SLOTS, drawings, strict=True):
        client.post("/calendar/assign", data={"slot": slot, "entry": entry.id})
    client.post("/calendar/suggest-facts")
    page = client.get("/calendar").data.decode()
    assert "✗" not in page
    assert client.get("/calendar/preview/3.png").headers["Content-Type"] == "image/png"
    response = client.post("/calendar/export", data={
        "language": "ru", "page_format": "A4", "orientation": "portrait", "bleed_mm": "3",
        "max_per_region": "2"})
    job = db.session.scalar(select(Job))
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert job.status is JobStatus.DONE, job.error
    assert job.message == "Превью страниц для сайта"  # progress in the user's language
    export = db.session.scalar(select(CalendarExport))
    assert export.version == 1 and len(export.preview_keys) == 14
    with client.get(f"/calendar/exports/{export.id}/{export.pdf_key.rsplit('/', 1)[1]}") as pdf:
        reader = PdfReader(io.BytesIO(pdf.data))
    assert len(reader.pages) == 14
    assert reader.metadata["/Author"].startswith("Общественная организация пациентов")
    trim = [round(float(v) / 72 * 25.4, 1) for v in reader.pages[1].trimbox]
    bleed = [round(float(v) / 72 * 25.4, 1) for v in reader.pages[1].bleedbox]
    assert (trim[2] - trim[0], trim[3] - trim[1]) == (210.0, 297.0)
    assert (bleed[2] - bleed[0], bleed[3] - bleed[1]) == (216.0, 303.0)
    assert "Январь" in reader.pages[1].extract_text() or "январь" in reader.pages[1].extract_text().lower()
    preflight = client.get(f"/calendar/exports/{export.id}/preflight.json")
    assert len(preflight.json["pages"]) == 14
    assert preflight.json["pages"][1]["images"][0]["source"] == f"entry-{drawings[1].id}.jpg"
    text = preflight.data.decode() + client.get(
        f"/calendar/exports/{export.id}/preflight.txt").data.decode()
    assert not any(e.code in text for e in drawings)  # a tracking code opens a family's page
    assert "/tmp" not in text and "uploads" not in text
    assert client.get(f"/calendar/exports/{export.id}/../../secret").status_code == 404
    # The default file is PDF/X-4, identified and checked.
    assert export.output == "pdfx4"
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-4"
    assert preflight.json["passed"] and preflight.json["prepress"]["standard"] == "PDF/X-4"


def test_export_cmyk_for_uncoated_paper(client, make, login, contest, drawings):
    region = make.region("RU-TA")
    fill(contest, region, drawings)
    login(make.user(Role.COORDINATOR, region=region))
    page = client.get("/calendar").data.decode()
    assert "PDF/X-1a, CMYK: мелованная бумага" in page
    assert 'checked id="output-1" name="output" type="radio" value="pdfx4"' in page
    client.post("/calendar/export", data={
        "language": "ru", "page_format": "A4", "orientation": "portrait", "bleed_mm": "3",
        "max_per_region": "2", "output": "uncoated"})
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.DONE, job.error
    export = db.session.scalar(select(CalendarExport))
    assert export.output == "uncoated" and export.pdf_key.endswith("-uncoated.pdf")
    with client.get(f"/calendar/exports/{export.id}/{export.pdf_key.rsplit('/', 1)[1]}") as pdf:
        reader = PdfReader(io.BytesIO(pdf.data))
    intent = reader.trailer["/Root"]["/OutputIntents"][0].get_object()
    assert intent["/OutputConditionIdentifier"] == "FOGRA29"
    assert reader.metadata["/GTS_PDFXConformance"] == "PDF/X-1a:2003"
    prepress = export.report["prepress"]
    assert export.report["passed"] and prepress["ink_limit"] == 260
    assert len(prepress["ink"]) == 14 and max(p["max_percent"] for p in prepress["ink"]) <= 261
    text = client.get(f"/calendar/exports/{export.id}/preflight.txt").data.decode()
    assert "PDF/X-1a:2003 for FOGRA29" in text and "[ok] black text" in text
    assert len(export.preview_keys) == 14  # soft proofs
    page = client.get("/calendar").data.decode()
    assert "PDF/X-1a, немелованная бумага" in page and "проверка пройдена" in page
    assert "превью: цветопроба" in page


def test_a_broken_rule_needs_an_organizers_reason(client, make, login, contest, drawings):
    region = make.region("RU-TA")
    fill(contest, region, drawings[:12] + [drawings[0]])  # the cover's drawing repeated: 12 pages
    wall_calendar.assign(contest, region, 12, None)
    data = {"region": region.id, "language": "en", "page_format": "A4",
            "orientation": "portrait", "bleed_mm": "3", "max_per_region": "2"}
    login(make.user(Role.COORDINATOR, region=region))
    response = client.post("/calendar/export", data={**data, "override_complete": "coordinators cannot"},
                           follow_redirects=True)
    assert db.session.scalar(select(Job)) is None
    assert "может сделать только организатор" in response.data.decode()
    login(make.user(Role.ORGANIZER))
    response = client.post("/calendar/export", data=data, follow_redirects=True)
    assert "Страницы без рисунка" in response.data.decode()
    assert db.session.scalar(select(Job)) is None


def test_overridden_rule_is_logged(make, contest, drawings):
    region = make.region("RU-TA")
    fill(contest, region, drawings)
    panorama = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(3600, 900))
    wall_calendar.assign(contest, region, 7, panorama)
    with pytest.raises(RuleError):
        wall_calendar.start_export(contest, region, Options(), {}, None)
    job = wall_calendar.start_export(contest, region, Options(language="en"),
                                     {"orientation": "The artist's wish: small is fine"}, None)
    assert job.status is JobStatus.DONE, job.error
    log = db.session.scalar(select(AuditLog).where(AuditLog.action == "calendar.override"))
    assert log.details["reason"] == "The artist's wish: small is fine"
    export = db.session.scalar(select(CalendarExport))
    assert export.overrides[0]["rule"] == "orientation" and export.language == "en"
    assert json.dumps(export.report)


@pytest.fixture
def writes(app):
    """Every INSERT, UPDATE and DELETE sent to the database from now on, in order."""
    seen = []

    def record(conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().split(None, 1)[0].upper() in ("INSERT", "UPDATE", "DELETE"):
            seen.append(statement)

    event.listen(db.engine, "before_cursor_execute", record)
    yield seen
    event.remove(db.engine, "before_cursor_execute", record)


@pytest.mark.parametrize("url", ["/calendar", "/calendar/preview/0.png",
                                 "/calendar/preview/4.png"])
def test_looking_at_the_calendar_writes_nothing(client, make, login, contest, drawings, writes,
                                                url):
    region = make.region("RU-TA")
    login(make.user(Role.COORDINATOR, region=region))
    wall_calendar.assign(contest, region, 4, drawings[0])
    db.session.execute(db.delete(CalendarSlot).where(CalendarSlot.slot != 4))
    db.session.commit()  # a board with one page stored, the others never touched
    writes.clear()
    response = client.get(url)
    assert response.status_code == 200 and writes == []
    assert db.session.scalar(select(db.func.count(CalendarSlot.id))) == 1
    if url == "/calendar":  # the pages not stored are shown, empty
        page = response.data.decode()
        assert page.count('class="page-slot empty"') == 12 and 'id="slot-12"' in page


@pytest.mark.parametrize("role", [None, Role.JUROR])
def test_calendar_is_for_organizers_and_coordinators(client, make, login, contest, role):
    if role:
        login(make.user(role))
    assert client.get("/calendar").status_code == (302 if role is None else 403)


def test_coordinator_only_their_region(client, make, login, contest):
    login(make.user(Role.COORDINATOR, region=make.region("RU-KDA")))  # not in the contest
    assert client.get("/calendar").status_code == 404
    login(make.user(Role.COORDINATOR, region=make.region("RU-TA")))
    other = make.region("RU-MOW")
    page = client.get(f"/calendar?region={other.id}").data.decode()
    assert "Республика Татарстан" in page  # the region asked for is ignored


def test_cover_and_back_page_of_the_national_calendar(app):
    from contest import demo
    from contest.models import Award, Contest, Entry

    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(700, 500), judged_per_region=5)
    judged = db.session.scalar(select(Contest).where(Contest.phase == Phase.CALENDAR))
    spec = wall_calendar.to_spec(judged, None, Options(), allow_gaps=True, kind="preview")
    assert spec.year == judged.year + 1
    assert spec.cover.title.get("ru") == "Крепкие кости с детства"  # no "— 2026" on a 2027 calendar
    assert str(judged.year) in spec.cover.subtitle.get("ru")
    assert spec.back.about.get("ru").count(str(judged.year)) == 1  # "(2026 год)" once
    winners = db.session.scalars(select(Entry).where(Entry.contest_id == judged.id,
                                                     Entry.award == Award.WINNER)).all()
    printable = [e for e in winners if e.consent("print")]
    assert len(spec.back.winners) == len(printable) > 0  # every winner, not just the 13 pages
    caption = spec.back.winners[0].caption
    assert caption.town.get("en").isascii() and not caption.town.get("ru").isascii()


def library(*months):
    """A facts library of one fact per item, tied to that month (None: untied), in order."""
    rows = [Fact(text_ru=f"Факт {n}", source_ru="IOF", position=n, month=month)
            for n, month in enumerate(months)]
    db.session.add_all(rows)
    db.session.commit()
    return rows


def fact_ids(contest, region):
    return {s: p.fact_id for s, p in wall_calendar.board(contest, region).items() if s}


def test_a_fact_tied_to_october_goes_to_october(make, contest):
    region = make.region("RU-TA")
    october, *untied = library(10, *[None] * 12)  # first in the library, yet not January's
    assert wall_calendar.suggest_facts(contest, region) == 12
    pages = fact_ids(contest, region)
    assert pages[10] == october.id and pages[1] == untied[0].id and pages[11] == untied[9].id
    assert len(set(pages.values())) == 12


def test_a_tied_fact_does_not_push_out_a_months_fact(make, contest):
    region = make.region("RU-TA")
    october, *untied = library(10, *[None] * 12)
    wall_calendar.set_fact(contest, region, 10, untied[5])
    assert wall_calendar.suggest_facts(contest, region) == 11
    pages = fact_ids(contest, region)
    assert pages[10] == untied[5].id and october.id not in pages.values()  # 11 untied were enough
    assert len(set(pages.values())) == 12


def test_tied_facts_serve_other_months_only_when_untied_ones_run_out(make, contest):
    region = make.region("RU-TA")
    october, second_october, march, *untied = library(10, 10, 3, *[None] * 9)
    assert wall_calendar.suggest_facts(contest, region) == 12
    pages = fact_ids(contest, region)
    assert (pages[3], pages[10]) == (march.id, october.id)
    others = [pages[m] for m in (1, 2, 4, 5, 6, 7, 8, 9, 11)]
    assert others == [f.id for f in untied] and pages[12] == second_october.id


def test_a_kept_back_name_stays_masked_in_print(make, contest, drawings, tmp_path):
    from PIL import Image

    region = make.region("RU-TA")
    fill(contest, region, drawings)
    signed = drawings[1]  # January's
    signed.jury_masks = [[0.0, 0.0, 0.25, 0.25]]
    signed.consents[[c.kind for c in signed.consents].index("show_name")].granted = False
    db.session.commit()
    spec = wall_calendar.to_spec(contest, region, Options(), link_into=tmp_path)
    january = spec.months[0].drawing
    assert january.name == f"entry-{signed.id}.jpg" and not january.is_symlink()
    with Image.open(january) as image:
        assert image.getpixel((5, 5)) == (128, 128, 128)  # the signature's corner, masked
    assert spec.months[1].drawing.is_symlink()  # the others print as they are


def test_the_live_preview_shows_a_kept_back_signature_masked(make, contest, drawings):
    from contest import entries

    region = make.region("RU-TA")
    fill(contest, region, drawings)
    signed = drawings[1]
    signed.consents[[c.kind for c in signed.consents].index("show_name")].granted = False
    entries.set_masks(signed, [(0.0, 0.0, 0.25, 0.25)])
    assert wall_calendar.preview_png(contest, region, Options(), 1).startswith(b"\x89PNG")
    spec = wall_calendar.to_spec(contest, region, Options(), allow_gaps=True, kind="preview")
    assert spec.months[0].drawing.name == "jury.jpg"


# --- days off: a year whose decree the builder does not know --------------------------------


@pytest.fixture
def contest_2027(make):
    """The 2027 contest illustrates the 2028 calendar, whose decree ``holidays`` lacks."""
    return make.contest(year=2027, phase=Phase.SUBMISSIONS_OPEN)


def test_a_year_without_its_decree_says_where_to_enter_it(client, make, login, contest_2027):
    drawings = [make.entry(contest_2027, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                           size=(2480, 1754)) for age in [5, 6, 7, 8, 9, 10, 11, 12, 13, 14,
                                                          15, 16, 9]]
    region = make.region("RU-TA")
    fill(contest_2027, region, drawings)
    rules = {c.key: c for c in wall_calendar.check(contest_2027, region, Options())}
    assert not rules["days_off"].ok
    assert "2028" in rules["days_off"].message
    login(make.user(Role.ORGANIZER))
    page = client.get(f"/calendar?contest={contest_2027.id}&region={region.id}").data.decode()
    assert "/organizer/days-off/2028" in page
    assert "Постановление о переносе выходных дней в 2028 году ещё не известно" in page
    data = {"contest": contest_2027.id, "region": region.id, "language": "ru",
            "page_format": "A4", "orientation": "portrait", "bleed_mm": "3",
            "max_per_region": "2"}
    client.post("/calendar/export", data=data)
    assert db.session.scalar(select(Job)) is None
    # An organizer may print the public holidays and the Labour Code's transfers alone.
    client.post("/calendar/export", data={**data, "override_days_off": "Decree not out yet"})
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.DONE, job.error
    export = db.session.scalar(select(CalendarExport))
    with client.get(f"/calendar/exports/{export.id}/{export.pdf_key.rsplit('/', 1)[1]}") as pdf:
        november = PdfReader(io.BytesIO(pdf.data)).pages[11].extract_text()
    november = november.replace("\u00a0", " ").replace("-\n", "").replace("\n", " ")
    assert "День народного единства (выходной)" in november


def test_an_organizer_enters_the_decree(client, make, login, contest_2027):
    login(make.user(Role.COORDINATOR, region=make.region("RU-TA")))
    assert client.get("/organizer/days-off/2028").status_code == 403
    login(make.user(Role.ORGANIZER))
    page = client.get("/organizer/days-off/2028").data.decode()
    assert "Выходные дни в 2028 году" in page
    assert "понедельник, 6 ноября 2028" in page  # art. 112: Unity Day falls on a Saturday
    rows = {"transfers-0-moved_from": "2028-01-01", "transfers-0-day_off": "2028-05-02",
            "transfers-1-moved_from": "2028-01-02", "transfers-1-day_off": "2028-12-29"}
    refused = client.post("/organizer/days-off/2028", data={
        "reference": "Постановление Правительства РФ", **rows,
        "transfers-2-moved_from": "2028-03-01", "transfers-2-day_off": "2028-03-02",
        "transfers-3-moved_from": "2028-06-03"})
    assert refused.status_code == 422
    text = refused.data.decode()
    assert "из субботы или воскресенья на рабочий день" in text
    assert "Укажите оба дня или ни одного." in text
    assert wall_calendar.decree(2028) is None
    saved = client.post("/organizer/days-off/2028", data={
        "reference": "Постановление Правительства РФ от 01.10.2027 № 1", **rows},
        follow_redirects=True)
    assert "Постановление о 2028 годе сохранено" in saved.data.decode()
    assert wall_calendar.decree_transfers(2028) == (
        Transfer(date(2028, 1, 1), date(2028, 5, 2)), Transfer(date(2028, 1, 2),
                                                               date(2028, 12, 29)))
    assert "2 мая" in saved.data.decode()
    assert db.session.scalar(select(AuditLog).where(AuditLog.action == "calendar.decree"))
    region = make.region("RU-TA")
    rules = {c.key: c for c in wall_calendar.check(contest_2027, region, Options())}
    assert rules["days_off"].ok
    assert wall_calendar.to_spec(contest_2027, region, Options(),
                                 allow_gaps=True).transfers == wall_calendar.decree_transfers(2028)


def test_soft_drawings_warn_and_blurred_ones_cannot_be_overridden(make, contest, drawings):
    region = make.region("RU-TA")
    fill(contest, region, drawings)
    soft = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(1500, 1060))
    wall_calendar.assign(contest, region, 3, soft)
    rules = {c.key: c for c in wall_calendar.check(contest, region, Options())}
    assert rules["soft"].ok and rules["soft"].warning and rules["soft"].slots == (3,)
    assert wall_calendar.MIN_DPI == 150 and wall_calendar.GOOD_DPI == 250
    blurred = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, size=(800, 565))
    wall_calendar.assign(contest, region, 3, blurred)
    checks = wall_calendar.check(contest, region, Options())
    rules = {c.key: c for c in checks}
    assert not rules["resolution"].ok and not rules["resolution"].overridable
    assert wall_calendar.failing(checks, {"resolution": "print it anyway"}) == [
        rules["resolution"]]
