"""Erasing a child's data reaches every artefact that holds it: the drawing's files, calendar
pages, calendar exports (PDF, preflight, previews), certificates and their ZIPs."""

import io
import zipfile
from datetime import datetime, timedelta

import pytest
from flask import url_for
from pypdf import PdfReader
from sqlalchemy import select

from contest import demo, entries, jobs, wall_calendar
from contest.extensions import db
from contest.models import (
    AuditLog,
    Award,
    CalendarExport,
    CalendarSlot,
    Contest,
    Entry,
    EntryStatus,
    Job,
    JobStatus,
    Message,
    MessageStatus,
    Phase,
    Role,
    User,
)
from contest.uploads import files
from contest.uploads.files import ENTRY_FILES

from .factories import _password_hash


def pdf_text(data: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


def download(client, url: str) -> bytes:
    with client.get(url) as response:  # a stored file is streamed: close it
        assert response.status_code == 200, url
        return response.data


def zip_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "\n".join(pdf_text(archive.read(name)) for name in archive.namelist())


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def organizer(make, login):
    return login(make.user(Role.ORGANIZER))


def test_the_drawing_files_are_gone_and_no_route_serves_them(client, make, contest, organizer):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    prefix, store = entry.image_key, files.storage()
    assert client.get(f"/media/entries/{entry.id}/preview.jpg").status_code == 200
    entries.erase_personal_data(entry)
    assert not store.path(prefix).exists()  # the whole folder: masked copies and all
    for kind in ("print", "preview", "thumb", "jury", "public"):
        assert client.get(f"/media/entries/{entry.id}/{kind}.jpg").status_code == 404
    row = db.session.scalar(select(AuditLog).where(
        AuditLog.action == "entry.erase_personal_data"))
    assert row.details["by"] == "staff" and row.object_id == entry.id


def test_erasure_on_the_familys_request_is_logged_as_theirs(make, contest):
    entry = make.entry(contest)
    entries.erase_personal_data(entry, by="family")
    row = db.session.scalar(select(AuditLog).where(
        AuditLog.action == "entry.erase_personal_data"))
    assert row.details["by"] == "family"
    with pytest.raises(ValueError):
        entries.erase_personal_data(entry, by="somebody")


def test_the_familys_certificate_is_no_longer_made(client, make, contest):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED, child_first_name="Зоряна")
    url = f"/status/{entry.code}/certificate.pdf"
    assert "Зоряна" in pdf_text(client.get(url).data)
    entries.erase_personal_data(entry)
    assert client.get(url).status_code == 404


def test_a_certificate_zip_holding_the_child_is_withdrawn(client, make, contest, organizer):
    erased = make.entry(contest, status=EntryStatus.ACCEPTED, child_first_name="Зоряна",
                        child_last_name="Неповторимова")
    kept = make.entry(contest, status=EntryStatus.ACCEPTED, child_first_name="Остап")
    other_region = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED)
    form = {"stage": erased.stage_id, "language": "ru"}
    client.post(f"/certificates?contest={contest.id}", data=form)
    client.post(f"/certificates?contest={contest.id}",
                data={**form, "stage": other_region.stage_id})
    made, elsewhere = db.session.scalars(select(Job).order_by(Job.id)).all()
    assert made.status is JobStatus.DONE and sorted(made.entry_ids) == [erased.id, kept.id]
    text = zip_text(download(client, f"/jobs/{made.id}/download"))
    assert "Зоряна Неповторимова" in text and "Остап" in text

    entries.erase_personal_data(erased)
    response = client.get(f"/jobs/{made.id}/download")
    assert response.status_code == 410 and "удалены данные ребёнка" in response.data.decode()
    assert not files.storage().exists(made.result_key)
    assert "нужна пересборка" in client.get(f"/jobs/{made.id}").data.decode()
    assert client.get(f"/jobs/{made.id}.json").json["download"] is None
    assert download(client, f"/jobs/{elsewhere.id}/download")  # the child is not in it

    client.post(f"/certificates?contest={contest.id}", data=form)
    again = db.session.scalars(select(Job).order_by(Job.id.desc())).first()
    text = zip_text(download(client, f"/jobs/{again.id}/download"))
    assert "Остап" in text and "Зоряна" not in text and "Неповторимова" not in text


def test_a_job_that_finishes_after_the_erasure_fails_instead_of_publishing(
        monkeypatch, client, make, contest, organizer):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)

    def handler(job, progress):
        job.entry_ids = [entry.id]
        key = f"{jobs.output_prefix(job)}/result.txt"
        files.storage().put(key, entry.child_first_name.encode())
        entries.erase_personal_data(entry)  # meanwhile, on another page
        return key, "result.txt"

    monkeypatch.setitem(jobs.HANDLERS, "erased-meanwhile", handler)
    job = jobs.start("erased-meanwhile", None, contest.id)
    assert job.status is JobStatus.FAILED and "удалены" in job.error
    assert not files.storage().exists(f"{jobs.output_prefix(job)}/result.txt")


# --- the calendar -------------------------------------------------------------------------


@pytest.fixture
def drawings(make, contest):
    """Thirteen accepted drawings in Tatarstan, sharp enough for A4, all age categories."""
    ages = [5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 9]
    return [make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, age=age,
                       size=(2480, 1754), child_first_name=f"Ребёнок{n}Имя")
            for n, age in enumerate(ages)]


EXPORT = {"language": "ru", "page_format": "A4", "orientation": "portrait", "bleed_mm": "3",
          "max_per_region": "2"}


def test_a_calendar_export_with_the_drawing_is_withdrawn_and_the_board_works(
        client, make, login, contest, drawings):
    region = make.region("RU-TA")
    login(make.user(Role.COORDINATOR, region=region))
    for slot, entry in zip(wall_calendar.SLOTS, drawings, strict=True):
        wall_calendar.assign(contest, region, slot, entry)
    wall_calendar.suggest_facts(contest, region)
    client.post("/calendar/export", data=EXPORT)
    export = db.session.scalar(select(CalendarExport))
    assert export.entry_ids == sorted(e.id for e in drawings)
    pdf_name = export.pdf_key.rsplit("/", 1)[1]
    erased = drawings[1]  # January
    assert "Ребёнок1Имя" in pdf_text(client.get(f"/calendar/exports/{export.id}/{pdf_name}").data)
    job = db.session.get(Job, export.job_id)

    entries.erase_personal_data(erased)
    assert export.withdrawn_at is not None and job.withdrawn_at is not None
    names = [pdf_name, "preflight.json", "preflight.txt",
             *(k.rsplit("/", 1)[1] for k in export.preview_keys)]
    for name in names:
        response = client.get(f"/calendar/exports/{export.id}/{name}")
        assert response.status_code == 410, name
        assert "пересборка" in response.data.decode()
    assert not files.storage().path(export.pdf_key.rsplit("/", 1)[0]).exists()
    assert client.get(f"/jobs/{job.id}/download").status_code == 410

    page = client.get("/calendar")
    assert page.status_code == 200
    text = page.data.decode()
    assert "нужна пересборка" in text and "Ребёнок1Имя" not in text
    assert f"/calendar/exports/{export.id}/" not in text  # no link to a withdrawn file
    assert wall_calendar.board(contest, region)[1].entry is None  # January is empty again
    for slot in wall_calendar.SLOTS:
        assert client.get(f"/calendar/preview/{slot}.png").status_code == 200
    assert erased.id not in wall_calendar.printed_entries(contest, region)


def make_export(contest, region=None, entry_ids=None, report=None) -> CalendarExport:
    """A kept export row with files, as an export job leaves it."""
    export = CalendarExport(contest_id=contest.id, region_id=region.id if region else None,
                            version=1, language="ru", page_format="A4",
                            entry_ids=entry_ids, report=report or {})
    db.session.add(export)
    db.session.flush()
    prefix = f"jobs/test-{export.id}"
    export.pdf_key, export.preview_keys = f"{prefix}/calendar.pdf", [f"{prefix}/page-01.png"]
    for key in (export.pdf_key, *export.preview_keys):
        files.storage().put(key, b"made")
    db.session.commit()
    return export


def test_only_the_exports_holding_the_child_are_withdrawn(make, contest):
    entry, other = make.entry(contest), make.entry(contest)
    listed = make_export(contest, entry_ids=[entry.id, other.id])
    without = make_export(contest, entry_ids=[other.id])
    # Older exports have no list: the preflight names the drawings; if it names none, the
    # export cannot tell and is withdrawn.
    named = make_export(contest, report={"pages": [{"images": [
        {"source": f"entry-{entry.id}.jpg"}]}]})
    others = make_export(contest, report={"pages": [{"images": [
        {"source": f"entry-{other.id}.jpg"}]}]})
    unknown = make_export(contest)
    other_edition = make_export(make.contest(year=2030), entry_ids=[entry.id])
    entries.erase_personal_data(entry)
    withdrawn = {e.id for e in db.session.scalars(select(CalendarExport).where(
        CalendarExport.withdrawn_at.is_not(None)))}
    assert withdrawn == {listed.id, named.id, unknown.id}
    store = files.storage()
    assert not store.exists(listed.pdf_key) and not store.exists(unknown.preview_keys[0])
    assert store.exists(without.pdf_key) and store.exists(others.pdf_key)
    assert store.exists(other_edition.pdf_key)
    row = db.session.scalar(select(AuditLog).where(
        AuditLog.action == "entry.erase_personal_data"))
    assert sorted(row.details["exports_withdrawn"]) == sorted(withdrawn)


def test_older_certificate_batches_without_a_list_are_withdrawn(make, contest):
    entry = make.entry(contest)
    job = Job(kind="certificates", contest_id=contest.id, status=JobStatus.DONE,
              result_key="jobs/old/certificates.zip", result_name="certificates.zip")
    db.session.add(job)
    db.session.commit()
    files.storage().put(job.result_key, b"PK")
    entries.erase_personal_data(entry)
    assert job.withdrawn_at is not None and not files.storage().exists(job.result_key)


# --- every page after an erasure, for everyone ----------------------------------------------

FIRST, LAST = "Зоряна", "Неповторимова"


@pytest.fixture
def erased_winner(app, make):
    """The demo's judged edition, one of its national winners on both calendars and in a
    certificate batch and a kept export, then erased. Returns (contest, entry, its images)."""
    demo.load(entries_count=2, echo=lambda _: None, drawing_size=(700, 500), judged_per_region=5)
    contest = db.session.scalar(select(Contest).where(Contest.phase == Phase.CALENDAR))
    entry = next(e for e in db.session.scalars(select(Entry).where(
        Entry.contest_id == contest.id, Entry.award == Award.WINNER))
        if e.consent("show_name") and e.consent("print"))
    entry.child_first_name, entry.child_last_name = FIRST, LAST
    db.session.commit()
    wall_calendar.assign(contest, None, 0, entry)
    wall_calendar.assign(contest, entry.stage.region, 0, entry)
    organizer = db.session.scalar(select(User).where(User.role == Role.ORGANIZER))
    jobs.start("certificates", organizer.id, contest.id, language="ru")
    make_export(contest, entry_ids=[entry.id])
    store = files.storage()
    images = {store.read(f"{entry.image_key}/{name}") for name in ENTRY_FILES
              if store.exists(f"{entry.image_key}/{name}")}
    entries.erase_personal_data(entry)
    return contest, entry, images


def _values(contest, entry) -> dict[str, list]:
    export = db.session.scalar(select(CalendarExport))
    return {
        "entry_id": [entry.id], "contest_id": [contest.id], "year": [contest.year],
        "stage_id": [entry.stage_id, contest.national_stage.id],
        "job_id": list(db.session.scalars(select(Job.id))), "export_id": [export.id],
        "name": [export.pdf_key.rsplit("/", 1)[1], "preflight.json", "page-01.png"],
        "slot": [0, 1], "code": [entry.code], "kind": ["print", "preview", "thumb", "jury"],
        "fmt": ["csv", "xlsx", "pdf"], "fact_id": [1], "key": ["none"], "token": ["none"],
    }


def _urls(app, values: dict[str, list], query: str) -> list[str]:
    """Every page one can GET, from the URL map, with each value of its arguments."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "GET" not in rule.methods or rule.endpoint == "static":
            continue
        combos = [{}]
        for name in sorted(rule.arguments):  # an argument the walk does not know: 1
            combos = [{**c, name: v} for c in combos for v in values.get(name, [1])]
        with app.test_request_context():
            urls += [url_for(rule.endpoint, **c) for c in combos]
    return [url + query for url in sorted(set(urls))]


def _text(response) -> str:
    kind = response.mimetype
    if kind == "application/pdf":
        return pdf_text(response.data)
    if kind.endswith("spreadsheetml.sheet"):
        with zipfile.ZipFile(io.BytesIO(response.data)) as book:
            return "".join(book.read(n).decode() for n in book.namelist() if n.endswith(".xml"))
    return response.data.decode("utf-8", "replace")


def test_every_page_works_after_an_erasure_for_everyone_and_names_no_one(
        app, client, login, erased_winner):
    contest, entry, images = erased_winner
    region = entry.stage.region
    people = [
        db.session.scalar(select(User).where(User.role == Role.ORGANIZER)),
        db.session.scalar(select(User).where(User.role == Role.COORDINATOR,
                                             User.region_id == region.id)),
        entry.stage.jurors[0], contest.national_stage.jurors[0]]
    for person in people:
        person.password_hash = _password_hash()
    db.session.commit()
    values = _values(contest, entry)
    queries = ["", f"?contest={contest.id}&stage={entry.stage_id}&status=all&region={region.id}"
                   f"&code={entry.code}"]
    seen = 0
    for person in [None, *people]:
        if person is not None:
            login(person)
        for query in queries:
            for url in _urls(app, values, query):
                with client.get(url) as response:
                    who = person.email if person else "anonymous"
                    assert response.status_code < 500, (who, url)
                    if response.status_code == 200:
                        seen += 1
                        assert response.data not in images, (who, url)
                        text = _text(response)
                        assert FIRST not in text and LAST not in text, (who, url)
    assert seen > 100  # the walk did open pages, not only refusals


def test_the_hourly_sweep_withdraws_what_an_erasure_missed(make, contest):
    """A result published in the moment of an erasure, a calendar page set meanwhile: the
    periodic task withdraws them (run here with a fixed clock)."""
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    entries.erase_personal_data(entry)
    assert jobs.run_periodic("withdraw-erased", datetime(2027, 1, 1, 3, 7)) == (
        "nothing to withdraw")
    late = Job(kind="certificates", contest_id=contest.id, status=JobStatus.DONE,
               entry_ids=[entry.id], result_key="jobs/late/certificates.zip",
               result_name="certificates.zip")
    after = Job(kind="certificates", contest_id=contest.id, status=JobStatus.DONE,
                result_key="jobs/after/certificates.zip", result_name="certificates.zip",
                created_at=entry.personal_data_erased_at + timedelta(minutes=1))
    db.session.add_all([late, after, CalendarSlot(contest_id=contest.id, slot=3,
                                                  entry_id=entry.id)])
    db.session.commit()
    for job in (late, after):
        files.storage().put(job.result_key, b"PK")
    assert jobs.run_periodic("withdraw-erased", datetime(2027, 1, 1, 4, 7)) == (
        "1 erased entries had results withdrawn")
    assert late.withdrawn_at == datetime(2027, 1, 1, 4, 7)
    assert not files.storage().exists(late.result_key)
    # Made after the erasure without a list: it cannot hold the child (batches leave erased
    # entries out), so it stays.
    assert after.withdrawn_at is None and files.storage().exists(after.result_key)
    assert wall_calendar.board(contest, None)[3].entry_id is None
    row = db.session.scalar(select(AuditLog).where(
        AuditLog.action == "entry.withdraw_after_erasure"))
    assert row.details["jobs_withdrawn"] == [late.id] and row.details["calendar_pages"] == 1
    assert jobs.run_periodic("withdraw-erased", datetime(2027, 1, 1, 5, 7)) == (
        "nothing to withdraw")
    assert jobs.PERIODIC["withdraw-erased"].when == "7 * * * *"


def test_the_mail_to_the_guardian_is_forgotten_once_no_child_of_theirs_is_left(make, contest):
    entry = make.entry(contest, child_first_name="Зоряна", guardian_email="Mama@Example.org")
    sibling = make.entry(contest, child_first_name="Остап", guardian_email="mama@example.org")
    other = make.entry(contest)
    made = {}
    for name, to, status in [("sent", "mama@example.org", MessageStatus.SENT),
                             ("failed", "MAMA@example.org", MessageStatus.FAILED),
                             ("queued", "mama@example.org", MessageStatus.QUEUED),
                             ("other", other.guardian_email, MessageStatus.SENT)]:
        made[name] = Message(kind="status", recipient=to, status=status,
                             subject="Зоряна", body_text="Рисунок Зоряны", body_html="<p>Зоряна")
    db.session.add_all(made.values())
    db.session.commit()
    entries.erase_personal_data(entry)
    assert all(m.recipient and m.body_text for m in made.values())  # the sibling is entered
    entries.erase_personal_data(sibling)
    for name in ("sent", "failed"):
        message = made[name]
        assert (message.recipient, message.subject, message.body_text, message.body_html) == (
            "", "", "", "") and message.content_erased_at
    assert made["queued"].recipient and made["queued"].body_text  # still to leave
    assert made["other"].recipient == other.guardian_email and made["other"].body_text


def test_the_organizer_hears_what_the_erasure_withdrew(client, make, contest, organizer):
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    client.post(f"/certificates?contest={contest.id}",
                data={"stage": entry.stage_id, "language": "ru"})
    page = client.post(f"/coordinator/entries/{entry.id}/erase", follow_redirects=True)
    text = page.data.decode()
    assert "Персональные данные ребёнка удалены" in text and "были отозваны" in text
    other = make.entry(contest)
    text = client.post(f"/coordinator/entries/{other.id}/erase",
                       follow_redirects=True).data.decode()
    assert "были отозваны" not in text  # nothing held this child


def test_a_cached_public_thumbnail_is_not_shown_again(app, client):
    """Browsers and proxies revalidate the public thumbnail on every use: after the erasure
    the revalidation finds nothing, so no cache shows it."""
    demo.load(entries_count=1, echo=lambda _: None, drawing_size=(500, 400), judged_per_region=3)
    winner = next(e for e in db.session.scalars(select(Entry).where(Entry.award == Award.WINNER))
                  if e.consent("print"))
    url = f"/results/entries/{winner.id}/thumb.jpg"
    first = client.get(url)
    assert first.headers["Cache-Control"] == "public, no-cache"
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
    entries.erase_personal_data(winner)
    assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 404


def test_a_national_export_records_its_pages_and_the_back_pages_winners(app, make):
    """The back page names the national winners whose families agreed to printing: an export
    lists them too, so erasing any of them withdraws it."""
    demo.load(entries_count=1, echo=lambda _: None, drawing_size=(500, 400), judged_per_region=3)
    contest = db.session.scalar(select(Contest).where(Contest.phase == Phase.CALENDAR))
    winners = {e.id for e in db.session.scalars(select(Entry).where(
        Entry.contest_id == contest.id, Entry.award == Award.WINNER)) if e.consent("print")}
    candidate = next(e for e in wall_calendar.candidates(contest)
                     if e.id not in winners and wall_calendar.printable(e))
    wall_calendar.assign(contest, None, 5, candidate)
    assert winners and set(wall_calendar.printed_entries(contest, None)) == {
        *winners, candidate.id}
