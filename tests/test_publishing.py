"""Facts library, background jobs and certificates."""

import io
import zipfile

import pytest
from pypdf import PdfReader
from sqlalchemy import func, select

from contest import certificates, facts, jobs
from contest.extensions import db
from contest.models import EntryStatus, Fact, Job, JobStatus, Phase, Role


@pytest.fixture
def organizer(make, login):
    return login(make.user(Role.ORGANIZER))


def test_facts_are_seeded_with_sources(app):
    assert facts.seed() == 14
    assert facts.seed() == 0
    every = facts.library()
    assert all(f.text_ru and f.text_en and f.source_ru and f.source_en for f in every)
    assert any("20 октября" in f.text_ru for f in every)
    assert any("8,9 млн" in f.text_ru and "Johnell" in f.source_ru for f in every)


def test_suggest_never_repeats(app):
    facts.seed()
    first = facts.suggest(12)
    assert len({f.id for f in first}) == 12
    rest = facts.suggest(12, taken={f.id for f in first})
    assert len(rest) == 2 and not {f.id for f in rest} & {f.id for f in first}


def test_organizer_edits_the_library(client, organizer):
    client.post("/organizer/facts/seed")
    response = client.post("/organizer/facts", data={"text_ru": "", "source_ru": "x"})
    assert response.status_code == 422 and "заполните".encode() in response.data
    client.post("/organizer/facts", data={"text_ru": "Молоко полезно.", "source_ru": "ВОЗ",
                                          "active": "y"})
    fact = db.session.scalar(select(Fact).where(Fact.text_ru == "Молоко полезно."))
    client.post(f"/organizer/facts/{fact.id}", data={"text_ru": "Кефир полезен.", "source_ru": "ВОЗ"})
    assert fact.text_ru == "Кефир полезен." and not fact.active
    assert db.session.scalar(select(func.count(Fact.id))) == 15


@pytest.mark.parametrize("role", [None, Role.COORDINATOR, Role.JUROR])
def test_facts_are_for_organizers(client, make, login, role):
    if role:
        login(make.user(role))
    assert client.get("/organizer/facts").status_code == (302 if role is None else 403)


def test_job_runs_once_and_records_failure(app, make):
    jobs.HANDLERS["boom"] = lambda job, progress: 1 / 0
    job = jobs.start("boom", None, None)
    assert job.status is JobStatus.FAILED and "division" in job.error
    job.status = JobStatus.DONE
    db.session.commit()
    jobs.run(job.id)  # already claimed: nothing happens
    assert job.status is JobStatus.DONE
    del jobs.HANDLERS["boom"]


def test_job_queued_in_the_worker_storage(app_config, other_app, make):
    """Without immediate mode the job waits in Huey's SQLite queue until a worker takes it."""
    app = other_app(JOBS_IMMEDIATE=False)
    with app.app_context():
        contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
        job = jobs.start("certificates", None, contest.id)
        huey = app.extensions["huey"]
        assert huey.pending_count() == 1 and job.status is JobStatus.QUEUED
        task = huey.dequeue()
        huey.execute(task)
        db.session.refresh(job)
        assert job.status is JobStatus.DONE and job.result_name.endswith(".zip")


def test_certificate_from_the_status_page(client, make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    waiting = make.entry(contest)
    accepted = make.entry(contest, status=EntryStatus.ACCEPTED, child_first_name="Лиза",
                          child_last_name="Орлова")
    assert client.get(f"/status/{waiting.code}/certificate.pdf").status_code == 404
    page = client.get(f"/status/{accepted.code}").data.decode()
    assert "Скачать сертификат" in page
    response = client.get(f"/status/{accepted.code}/certificate.pdf")
    assert response.headers["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.data))
    text = reader.pages[0].extract_text()
    assert "Сертификат участника" in text and "Лиза Орлова" in text
    fonts = {f["/BaseFont"] for f in reader.pages[0]["/Resources"]["/Font"].values()}
    assert not any("Helvetica" in f for f in fonts)


def test_the_whole_contests_batch_keeps_each_school_in_its_region_and_town(client, make, login):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    children = {("RU-TA", "Казань", "Школа № 5"): "Алия", ("RU-TA", "Елабуга", "Школа № 5"): "Булат",
                ("RU-MOW", "Москва", "Школа № 5"): "Вера", ("RU-MOW", "Москва", "Школа 5"): "Гоша"}
    for (region, town, school), name in children.items():
        make.entry(contest, region, status=EntryStatus.ACCEPTED, town=town, institution=school,
                   child_first_name=name)
    login(make.user(Role.ORGANIZER))
    client.post("/certificates", data={"stage": "0", "language": "ru"})
    job = db.session.scalar(select(Job))
    assert job.status is JobStatus.DONE, job.error
    with client.get(client.get(f"/jobs/{job.id}.json").json["download"]) as download:
        archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert sorted(archive.namelist()) == [
        "RU-MOW/Москва_Школа_5.pdf", "RU-MOW/Москва_Школа_N_5.pdf",
        "RU-TA/Елабуга_Школа_N_5.pdf", "RU-TA/Казань_Школа_N_5.pdf"]
    for name in archive.namelist():
        text = PdfReader(io.BytesIO(archive.read(name))).pages[0].extract_text()
        (place, child), = [(p, c) for p, c in children.items()
                           if name == f"{p[0]}/{p[1]}_{p[2].replace('№', 'N').replace(' ', '_')}.pdf"]
        assert child in text and len(PdfReader(io.BytesIO(archive.read(name))).pages) == 1


def test_name_without_consent_is_the_first_name_only(make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, child_first_name="Коля", child_last_name="Петров",
                       consents={"personal_data": True, "show_name": False, "print": True})
    assert certificates.child_name(entry) == "Коля"


def test_english_certificates_write_names_and_towns_in_latin_letters(make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, child_first_name="Юлия",
                       child_last_name="Щёлокова", town="Набережные Челны")
    text = PdfReader(io.BytesIO(certificates.render([entry], "en"))).pages[0].extract_text()
    assert "Yuliya Shchyolokova" in text and "Naberezhnye Chelny" in text
    assert "Юлия" not in text and "«" not in text
    russian = PdfReader(io.BytesIO(certificates.render([entry], "ru"))).pages[0].extract_text()
    assert "Юлия Щёлокова" in russian


def test_a_certificate_is_laid_out_in_numbers(make):
    from flask_babel import force_locale
    from reportlab.lib.units import mm
    from reportlab.pdfbase.pdfmetrics import stringWidth

    from contest.pdf import JpegSource

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED,
                       child_first_name="Александра-Виктория",
                       child_last_name="Константинопольская-Щёлокова")
    with force_locale("ru"):
        items = certificates.certificate_layout(entry, "winner", (JpegSource("d", b""), (600, 800)))
    words = [item for item in items if isinstance(item, certificates.Words)]
    name = next(w for w in words if w.text == certificates.child_name(entry))
    # A long name shrinks to its column, as every line of the column does.
    assert 12 < name.size < 34
    for line in (w for w in words if w.x == certificates.LEFT and w.y > 40 * mm):
        assert stringWidth(line.text, line.font, line.size) <= certificates.TEXT_WIDTH
    # The portrait drawing is as tall as its box, in its own proportions, centred across it.
    drawing = next(item for item in items if isinstance(item, certificates.Drawing))
    box_x, box_y, box_w, box_h = certificates.DRAWING_BOX
    assert (drawing.y, drawing.h, drawing.w) == pytest.approx((box_y, box_h, box_h * 3 / 4))
    assert drawing.x + drawing.w / 2 == pytest.approx(box_x + box_w / 2)
    issued = words[-1]
    assert issued.align == "right" and issued.text.startswith("Выдан")


def test_certificate_batch_for_a_region(client, make, login):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    for school in ("Школа № 1", "Школа № 1", "Лицей"):
        make.entry(contest, "RU-TA", status=EntryStatus.ACCEPTED, institution=school)
    make.entry(contest, "RU-TA")  # not accepted: no certificate
    make.entry(contest, "RU-MOW", status=EntryStatus.ACCEPTED)
    coordinator = login(make.user(Role.COORDINATOR, region=make.region("RU-TA")))
    stage = make.stage(contest, "RU-TA")
    response = client.post("/certificates", data={"stage": stage.id, "language": "en"})
    job = db.session.scalar(select(Job))
    assert response.headers["Location"] == f"/jobs/{job.id}"
    assert job.status is JobStatus.DONE and job.user_id == coordinator.id
    assert job.result_name == f"certificates-{contest.year}-RU-TA-en.zip"
    status = client.get(f"/jobs/{job.id}.json").json
    assert status["percent"] == 100 and status["download"]
    with client.get(status["download"]) as download:
        archive = zipfile.ZipFile(io.BytesIO(download.data))
    assert sorted(archive.namelist()) == ["RU-TA/Казань_Лицей.pdf", "RU-TA/Казань_Школа_N_1.pdf"]
    pages = PdfReader(io.BytesIO(archive.read("RU-TA/Казань_Школа_N_1.pdf"))).pages
    assert len(pages) == 2 and "Certificate of participation" in pages[0].extract_text()
    # a coordinator cannot batch another region, nor see another's job
    other = make.stage(contest, "RU-MOW")
    assert client.post("/certificates", data={"stage": other.id, "language": "ru"}).status_code == 200
    assert db.session.scalar(select(func.count(Job.id))) == 1
    login(make.user(Role.COORDINATOR, region=make.region("RU-MOW")))
    assert client.get(f"/jobs/{job.id}").status_code == 404


def test_the_world_osteoporosis_day_fact_belongs_to_october(app):
    facts.seed()
    tied = {f.month: f for f in facts.library() if f.month}
    assert list(tied) == [10] and "20 октября" in tied[10].text_ru
    offered = facts.suggest_for_months(range(1, 13))
    assert offered[10] == tied[10] and len({f.id for f in offered.values()}) == 12


def test_organizer_ties_a_fact_to_a_month(client, organizer):
    client.post("/organizer/facts", data={"text_ru": "Молоко полезно.", "source_ru": "ВОЗ",
                                          "month": "12", "active": "y"})
    fact = db.session.scalar(select(Fact).where(Fact.text_ru == "Молоко полезно."))
    assert fact.month == 12
    assert "Месяц: Декабрь" in client.get("/organizer/facts").data.decode()
    page = client.get(f"/organizer/facts/{fact.id}").data.decode()
    assert '<option selected value="12">Декабрь</option>' in page
    assert client.post(f"/organizer/facts/{fact.id}", data={
        "text_ru": "Молоко полезно.", "source_ru": "ВОЗ", "month": "13"}).status_code == 422
    client.post(f"/organizer/facts/{fact.id}", data={"text_ru": "Молоко полезно.",
                                                     "source_ru": "ВОЗ", "month": ""})
    assert fact.month is None
    client.post("/language", data={"lang": "en"})
    assert '<option value="12">December</option>' in client.get("/organizer/facts").data.decode()
