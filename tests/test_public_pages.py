"""Pages that do not grow with the contest, and public pages that caches may keep."""

import io
from contextlib import contextmanager

import pytest
from sqlalchemy import event

from contest import report
from contest.extensions import cache, db
from contest.judging import operations
from contest.models import Entry, EntryStatus, Phase, StageStatus

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


# --- the server's store of rendered public pages (contest/public_pages.py) -------------------


def _shown_name(app, url: str, name: str) -> bool:
    return name in app.test_client().get(url).get_data(as_text=True)


def test_a_crowd_of_visitors_costs_one_rendering(app, results):
    first = app.test_client().get("/results/2026")
    db.session.expunge_all()
    with statements() as sent:
        again = app.test_client().get("/results/2026")
    assert sent[0] == 0  # served from the store: no query, no template
    assert again.data == first.data and again.headers["ETag"] == first.headers["ETag"]
    assert again.headers["Cache-Control"] == "public, max-age=120"
    assert "Cookie" in again.headers["Vary"]


def test_a_withdrawn_consent_leaves_the_kept_page_at_once(app, make):
    from contest.entries import family

    contest, made = published(make, 2026, 3)
    name = made[0].child_first_name
    assert _shown_name(app, "/results/2026", name)
    assert _shown_name(app, "/results/2026", name)  # now from the store
    family._change_consents(made[0], {"show_name": False}, via="email")
    db.session.commit()
    assert not _shown_name(app, "/results/2026", name)


def test_an_erased_child_leaves_every_kept_page_at_once(app, make):
    from contest.entries import privacy

    contest, made = published(make, 2026, 2)
    pages = ["/", "/results", "/results/2026", "/gallery", "/gallery/2026"]
    name = made[0].child_first_name
    for url in pages:
        app.test_client().get(url)
    assert _shown_name(app, "/results/2026", name)
    privacy.erase_personal_data(made[0])
    for url in pages:
        assert name not in app.test_client().get(url).get_data(as_text=True), url


def test_a_change_made_by_another_app_server_renews_the_pages(app, other_app, make, results):
    """Two servers on one database and one store (the folder here, Redis in production)."""
    from contest.models import Contest

    second = other_app()
    assert "Новый девиз" not in second.test_client().get("/").get_data(as_text=True)
    with app.app_context():
        current = db.session.scalars(db.select(Contest).order_by(Contest.year.desc())).first()
        current.motto_ru = "Новый девиз"
        db.session.commit()
    assert "Новый девиз" in second.test_client().get("/").get_data(as_text=True)


def test_each_language_is_kept_apart(app, results):
    russian = app.test_client().get("/results/2026").get_data(as_text=True)
    visitor = app.test_client()
    visitor.get("/language?lang=en&next=/results/2026")
    english = visitor.get("/results/2026").get_data(as_text=True)
    assert 'lang="en"' in english and 'lang="ru"' in russian
    assert 'lang="ru"' in app.test_client().get("/results/2026").get_data(as_text=True)


def test_signed_in_people_and_messages_are_never_served_from_the_store(
        app, client, login, make, results):
    from contest.models import Role

    app.test_client().get("/results/2026")  # kept for anonymous visitors
    login(make.user(Role.ORGANIZER))
    with statements() as sent:
        page = client.get("/results/2026")
    assert sent[0] > 0 and page.headers["Cache-Control"] == "private, no-store"
    anonymous = app.test_client()
    with anonymous.session_transaction() as session:
        session["_flashes"] = [("success", "Сохранено.")]
    shown = anonymous.get("/results/2026")
    assert "Сохранено." in shown.get_data(as_text=True)
    assert shown.headers.get("Cache-Control") != "public, max-age=120"


def test_made_up_query_strings_are_not_kept(app, results):
    store = app.extensions["public_pages"]
    for n in range(5):
        assert app.test_client().get(f"/results/2026?junk={n}").status_code == 200
    with statements() as sent:
        app.test_client().get("/results/2026?junk=1")
    assert sent[0] > 0  # rendered again: never kept
    app.test_client().get("/results/2026")
    with statements() as sent:
        app.test_client().get("/results/2026")
    assert sent[0] == 0 and store.site.startswith("public:")


def test_sites_on_other_databases_never_share_a_page(app, other_app, results, tmp_path):
    """Two installations, one folder for the store: neither sees the other's pages."""
    app.test_client().get("/results/2026")
    elsewhere = other_app(SQLALCHEMY_DATABASE_URI=f"sqlite:///{tmp_path / 'elsewhere.db'}")
    with elsewhere.app_context():
        db.create_all()
    assert elsewhere.config["CACHE_DIR"] == app.config["CACHE_DIR"]
    assert elsewhere.test_client().get("/results/2026").status_code == 404


def test_the_store_down_is_no_error(other_app, make, results, caplog):
    """Redis on a port where nothing listens: every page is rendered, nothing fails."""
    down = other_app(CACHE_TYPE="RedisCache", CACHE_REDIS_URL="redis://127.0.0.1:9/0",
                     CACHE_OPTIONS={"socket_connect_timeout": 1, "socket_timeout": 1})
    for url in ("/", "/results/2026", "/gallery", "/privacy"):
        page = down.test_client().get(url)
        assert page.status_code == 200, url
        assert page.headers["Cache-Control"] == "public, max-age=120"
    assert "Public page store unreachable" in caplog.text
    # asked once a page, never again to start a generation: one wait, when it hangs
    assert caplog.text.count("Public page store unreachable") == 4


def test_the_store_answers_head_and_revalidation_and_each_language(app, results):
    first = app.test_client().get("/results/2026")
    with statements() as sent:
        head = app.test_client().head("/results/2026")
        same = app.test_client().get("/results/2026",
                                     headers={"If-None-Match": first.headers["ETag"]})
        other = app.test_client().get("/results/2026", headers={"If-None-Match": '"other"'})
    assert sent[0] == 0
    assert head.status_code == 200 and head.data == b""
    assert head.headers["Content-Length"] == str(len(first.data))
    assert same.status_code == 304 and same.data == b"" and same.headers["ETag"]
    assert other.status_code == 200 and other.data == first.data
    visitor = app.test_client()
    visitor.get("/language?lang=en&next=/results/2026")
    english = visitor.get("/results/2026")
    with statements() as sent:
        again = visitor.get("/results/2026")
    assert sent[0] == 0 and again.data == english.data and 'lang="en"' in english.text


def test_a_visitor_with_a_form_in_their_session_gets_no_ones_token(other_app, results):
    app = other_app(WTF_CSRF_ENABLED=True)
    visitor = app.test_client()
    visitor.get("/auth/login")  # their session now holds a CSRF token
    with visitor.session_transaction() as session:
        token = session["csrf_token"]
    for url in ("/", "/results/2026", "/privacy"):
        page = visitor.get(url)
        assert "csrf_token" not in page.text and token not in page.text
        assert app.test_client().get(url).data == page.data  # the page everyone gets


def test_a_remember_cookie_is_answered_by_the_app(app, results):
    """Flask-Login may sign its holder in: never a shared page for them."""
    app.test_client().get("/results/2026")
    visitor = app.test_client()
    visitor.set_cookie("remember_token", "1|forged")
    with statements() as sent:
        visitor.get("/results/2026")
    assert sent[0] > 0


def test_app_servers_share_and_renew_their_pages_through_redis(other_app, make, results):
    """Two app servers with the store in Redis (as production with several hosts): a page
    kept by one is served by the other, and a change committed on one renews it on both."""
    import uuid

    from redis import Redis
    from redis.exceptions import ConnectionError as RedisDown

    from contest.entries import family

    url = "redis://127.0.0.1:6379/6"
    try:
        Redis.from_url(url, socket_connect_timeout=1).ping()
    except RedisDown:
        pytest.skip(f"Redis is not reachable at {url}")
    shared = {"CACHE_TYPE": "RedisCache", "CACHE_REDIS_URL": url,
              "CACHE_KEY_PREFIX": f"test-{uuid.uuid4().hex[:8]}:"}
    first, second = other_app(**shared), other_app(**shared)
    page = first.test_client().get("/results/2026")
    with statements() as sent:
        assert second.test_client().get("/results/2026").data == page.data
    assert sent[0] == 0
    entry = db.session.scalars(db.select(Entry).where(Entry.contest_id == results.id)).first()
    assert entry.child_first_name in page.text
    with first.app_context():
        family._change_consents(db.session.get(Entry, entry.id), {"show_name": False}, "email")
        db.session.commit()
    assert entry.child_first_name not in second.test_client().get("/results/2026").text
    with first.app_context():
        first.extensions["cache"][cache].clear()
