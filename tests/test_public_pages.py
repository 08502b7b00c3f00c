"""Pages that do not grow with the contest, and public pages that caches may keep."""

import io
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from contest import report
from contest.extensions import db
from contest.judging import operations
from contest.models import EntryStatus, Phase, StageStatus

from .factories import judging_stage, score


@contextmanager
def statements():
    """Counts the SQL statements sent while inside: ``with statements() as sent: ...; sent[0]``."""
    sent = [0]

    def count(*_):
        sent[0] += 1

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield sent
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def published(make, year: int, finalists: int):
    """An edition whose Moscow jury published ``finalists`` finalists."""
    contest, stage, made, (juror, *_) = judging_stage(make, entries=finalists, year=year)
    for entry in made:
        score(stage, juror, entry, 9, 5, 5)
    stage.finalists_per_category = finalists
    operations.change_status(stage, StageStatus.JUDGING_CLOSED)
    operations.change_status(stage, StageStatus.PUBLISHED)
    db.session.commit()
    return contest, made


def test_the_results_page_asks_the_same_queries_for_any_number_of_finalists(client, make):
    published(make, 2025, 2)
    last = published(make, 2026, 6)[1][-1].id
    counts = []
    for year in (2025, 2026):
        db.session.expunge_all()  # nothing loaded beforehand: count what the page asks
        with statements() as sent:
            page = client.get(f"/results/{year}")
        assert page.status_code == 200
        counts.append(sent[0])
    assert f"/results/entries/{last}/thumb.jpg" in page.get_data(as_text=True)
    assert counts[0] == counts[1]


def test_the_report_counts_by_groups_and_follows_every_change(make):
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    made = [make.entry(contest, "RU-MOW") for _ in range(2)]
    db.session.commit()
    with statements() as few:
        assert report.yearly_figures(contest).totals.entries == 2
    made += [make.entry(contest, "RU-TA") for _ in range(4)]
    db.session.commit()
    with statements() as more:
        figures = report.yearly_figures(contest)
    assert figures.totals.entries == 6 and figures.totals.waiting == 6
    assert more[0] == few[0]  # grouped queries: not a query, nor a row, per entry
    with statements() as kept:
        assert report.yearly_figures(contest) == figures
    assert kept[0] < few[0]  # unchanged: only the marker is asked
    made[0].status = EntryStatus.ACCEPTED
    db.session.commit()
    changed = report.yearly_figures(contest)
    assert (changed.totals.accepted, changed.totals.waiting) == (1, 5)
    db.session.delete(made[1])
    db.session.commit()
    assert report.yearly_figures(contest).totals.entries == 5


@pytest.fixture
def results(make):
    contest, _ = published(make, 2026, 3)
    return contest


@pytest.mark.parametrize("url", ["/results/2026", "/results", "/gallery", "/gallery/2026"])
def test_public_pages_are_the_same_for_everyone_and_cacheable(app, results, url):
    first, second = app.test_client().get(url), app.test_client().get(url)
    assert first.status_code in (200, 404)
    assert first.data == second.data and first.headers.get("ETag") == second.headers.get("ETag")
    assert "Set-Cookie" not in first.headers and "csrf_token" not in first.get_data(as_text=True)
    if first.status_code == 200:
        assert first.headers["Cache-Control"] == "public, max-age=120"
        again = app.test_client().get(url, headers={"If-None-Match": first.headers["ETag"]})
        assert again.status_code == 304 and again.data == b""


def test_a_signed_in_persons_page_stays_private(client, login, make, results):
    from contest.models import Role

    login(make.user(Role.ORGANIZER))
    response = client.get("/results/2026")
    assert response.headers["Cache-Control"] == "private, no-store"
    assert "ETag" not in response.headers


def test_the_language_switch_is_a_link(client, results):
    page = client.get("/results/2026").get_data(as_text=True)
    assert 'href="/language?lang=en&amp;next=/results/2026"' in page
    response = client.get("/language?lang=en&next=/results/2026")
    assert response.headers["Location"] == "/results/2026"
    english = client.get("/results/2026")
    assert 'lang="en"' in english.get_data(as_text=True)
    assert "Cookie" in english.headers["Vary"]  # a cache keeps each language apart


def test_a_post_to_the_language_switch_still_needs_its_token(other_app):
    response = other_app(WTF_CSRF_ENABLED=True).test_client().post("/language", data={"lang": "en"})
    assert response.status_code == 400


def test_a_large_stages_results_are_exported_by_the_worker(app, client, login, make):
    from openpyxl import load_workbook

    from contest.models import Role

    contest, made = published(make, 2026, 3)
    stage = made[0].stage
    login(make.user(Role.ORGANIZER))
    link = f'href="/stages/{stage.id}/results.xlsx"'
    assert link in client.get(f"/stages/{stage.id}/ranking").get_data(as_text=True)
    app.config["EXPORT_IN_BACKGROUND_FROM"] = 3
    page = client.get(f"/stages/{stage.id}/ranking").get_data(as_text=True)
    assert link not in page and f'action="/stages/{stage.id}/results.xlsx"' in page
    started = client.post(f"/stages/{stage.id}/results.xlsx")
    assert started.headers["Location"].startswith("/jobs/")
    with client.get(started.headers["Location"] + "/download") as download:
        assert download.status_code == 200
        assert "results-2026-RU-MOW.xlsx" in download.headers["Content-Disposition"]
        data = download.data
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(values_only=True))
    assert sorted(r[2] for r in rows[1:]) == sorted(e.id for e in made)
