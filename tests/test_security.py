"""Every route admits only the people it declares; every POST needs a token.

Routes are found in the app's URL map, never listed by hand: a new page under a staff URL
that forgets to declare who may open it fails here.
"""

import re

import pytest

from contest import create_app
from contest.access import STAFF, required_roles
from contest.extensions import db
from contest.models import Role

from .factories import PASSWORD, Factory

# URL areas and the most a page there may admit; the rest of the site is open to everyone.
AREAS = {
    "/organizer/": {Role.ORGANIZER},
    "/coordinator/": set(STAFF), "/stages/": set(STAFF), "/calendar": set(STAFF),
    "/certificates": set(STAFF), "/jobs/": set(STAFF),
    "/jury/": {Role.JUROR},
}
# Open pages. Those that show a child's data check each object and answer 404 (an entry's
# images, a status page by its code); /auth/password asks only that someone is signed in.
OPEN = ("/static/", "/auth/", "/language", "/submit", "/status", "/privacy", "/gallery", "/results",
        "/media/")
WHO = [None, *Role]  # None: not signed in

# The rules listed once, for parametrizing (requests go to the ``guards`` app below).
_LISTING = create_app({"TESTING": True, "SECRET_KEY": "listing", "JOBS_URL": ":memory:",
                       "CACHE_TYPE": "SimpleCache",  # made before any fixture: in memory
                       "SQLALCHEMY_DATABASE_URI": "sqlite://"})
RULES = [r for r in _LISTING.url_map.iter_rules() if r.endpoint != "static"]


def _area(url: str) -> set[Role] | None:
    return next((roles for prefix, roles in AREAS.items() if url.startswith(prefix)), None)


def _example_url(rule) -> str:
    return re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)


def _refusals():
    """(method, url, who, expected status) for every declared route and everyone it refuses."""
    for rule in RULES:
        view = _LISTING.view_functions[rule.endpoint]
        roles = required_roles(view)
        for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
            for who in WHO:
                if roles and who not in roles:
                    yield pytest.param(method, _example_url(rule), who,
                                       302 if who is None else view.refusal,
                                       id=f"{method} {rule.rule} {who.value if who else 'anonymous'}")


@pytest.mark.parametrize("rule", RULES, ids=lambda r: r.rule)
def test_a_staff_url_declares_who_may_open_it(rule):
    """Every page under /organizer/ is for organizers only, and so on for each area."""
    roles = required_roles(_LISTING.view_functions[rule.endpoint])
    area = _area(rule.rule)
    if area is None:
        assert rule.rule == "/" or rule.rule.startswith(OPEN), "a new area: add it above"
        assert roles is None
    else:
        assert roles and roles <= area


def test_organizer_only_routes_are_found_whatever_their_blueprint():
    organizers_only = {r.rule for r in RULES
                       if required_roles(_LISTING.view_functions[r.endpoint]) == {Role.ORGANIZER}}
    assert "/organizer/facts" in organizers_only  # the facts blueprint
    assert "/organizer/contests/<int:contest_id>/report" in organizers_only  # the report's
    assert "/coordinator/entries/<int:entry_id>/erase" in organizers_only  # in a staff area


@pytest.fixture(scope="module")
def guards(tmp_path_factory):
    """A signed-in client per role (and one anonymous), on one app: every request here is
    refused before it reads or writes anything, so they can share a database."""
    folder = tmp_path_factory.mktemp("guards")
    app = create_app({"TESTING": True, "SECRET_KEY": "guards", "WTF_CSRF_ENABLED": False,
                      "RATELIMIT_ENABLED": False, "JOBS_URL": str(folder / "jobs.db"),
                      "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'guards.db'}",
                      "UPLOAD_FOLDER": str(folder / "uploads"),
                      "CACHE_DIR": str(folder / "page-store")})
    with app.app_context():
        db.create_all()
        make = Factory(app)
        emails = {role: make.user(role).email for role in Role}
    clients = {None: app.test_client()}
    for role, email in emails.items():
        clients[role] = app.test_client()
        response = clients[role].post("/auth/login", data={"email": email, "password": PASSWORD})
        assert response.status_code == 302 and "/auth/login" not in response.location
    yield clients
    with app.app_context():
        db.drop_all()
        db.engine.dispose()


@pytest.mark.parametrize("method, url, who, expected", list(_refusals()))
def test_each_route_refuses_whom_it_does_not_admit(guards, method, url, who, expected):
    response = guards[who].open(url, method=method)
    assert response.status_code == expected
    if who is None:
        assert "/auth/login" in response.location


def test_every_post_needs_a_csrf_token(other_app, make):
    """The token is checked before anything else, for every POST route the app has."""
    app = other_app(WTF_CSRF_ENABLED=True)
    client = app.test_client()
    make.contest()
    posts = [r for r in app.url_map.iter_rules() if "POST" in r.methods]
    assert len(posts) > 10
    for rule in posts:
        response = client.post(_example_url(rule), data={"x": "y"})
        assert response.status_code == 400, rule.rule
        assert "Форма устарела".encode() in response.data


def test_inactive_session_is_dropped(client, make, login):
    user = login(make.user(Role.ORGANIZER))
    assert client.get("/organizer/").status_code == 200
    user.active = False  # an organizer closes the account while its owner is signed in
    db.session.commit()
    assert client.get("/organizer/").status_code == 302


def test_every_page_sends_the_security_headers(client, make, login):
    response = client.get("/")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert response.headers["Referrer-Policy"] == "same-origin"  # status links hold a code
    assert "script-src 'self'" in response.headers["Content-Security-Policy"]
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "no-store" not in response.headers.get("Cache-Control", "")  # a public page
    login(make.user(Role.ORGANIZER))
    assert client.get("/organizer/").headers["Cache-Control"] == "private, no-store"


def test_no_inline_scripts_or_handlers_the_policy_would_block():
    from pathlib import Path

    pattern = re.compile(r"<script(?![^>]*\bsrc=)|\son[a-z]+=\"", re.IGNORECASE)
    offenders = [str(p) for p in Path(__file__).parents[1].glob("templates/**/*.html")
                 if pattern.search(p.read_text())]
    assert not offenders


def test_the_families_pages_are_not_cached_and_are_throttled(other_app, make):
    from contest.models import Phase

    app = other_app(RATELIMIT_ENABLED=True)
    client = app.test_client()
    entry = make.entry(make.contest(phase=Phase.SUBMISSIONS_OPEN))
    response = client.get(f"/status/{entry.code}")
    assert response.status_code == 200 and response.headers["Cache-Control"] == "private, no-store"
    codes = [client.get(f"/status/WRONG{n:04d}").status_code for n in range(605)]
    assert codes[0] == 404 and codes[-1] == 429


@pytest.mark.parametrize("key", ["dev", "x", "a" * 31])
def test_a_default_or_short_secret_key_is_refused_outside_tests(monkeypatch, key):
    from contest import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": key})
    assert create_app({"SECRET_KEY": "a" * 32}).secret_key == "a" * 32


def test_personal_downloads_are_never_cached(client, make):
    from contest.models import EntryStatus, Phase

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, status=EntryStatus.ACCEPTED)
    response = client.get(f"/status/{entry.code}/certificate.pdf")
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert response.headers["Cache-Control"] == "private, no-store"
    assert client.get(f"/status/{entry.code}/drawing.jpg").headers["Cache-Control"] == (
        "private, no-store")


def test_the_instance_folder_is_made_private(tmp_path):
    import os
    import stat

    from contest import security

    folder = tmp_path / "instance"
    (folder / "outbox").mkdir(parents=True)
    for name in ("config.py", "contest.db", "jobs.db"):
        (folder / name).write_text("")
        (folder / name).chmod(0o644)
    folder.chmod(0o755)
    security.keep_private(folder)

    def mode(path):
        return stat.S_IMODE(os.stat(path).st_mode)

    assert mode(folder) == 0o700 and mode(folder / "outbox") == 0o700
    assert {mode(folder / n) for n in ("config.py", "contest.db", "jobs.db")} == {0o600}


def test_behind_a_proxy_the_visitors_own_address_counts(other_app, make):
    """With TRUSTED_PROXIES = 1 (nginx), the limits and the audit log see X-Forwarded-For."""
    from contest.extensions import db
    from contest.models import AuditLog

    app = other_app(RATELIMIT_ENABLED=True, TRUSTED_PROXIES=1)
    client = app.test_client()
    make.user(Role.ORGANIZER, email="org@example.org")

    def attempt(address):
        return client.post("/auth/login", data={"email": "org@example.org", "password": "x"},
                           headers={"X-Forwarded-For": address}).status_code

    assert [attempt("203.0.113.7") for _ in range(11)][-1] == 429
    assert attempt("198.51.100.2") == 200  # another visitor behind the same proxy
    from .factories import PASSWORD

    response = client.post("/auth/login", data={"email": "org@example.org", "password": PASSWORD},
                           headers={"X-Forwarded-For": "198.51.100.2"})
    assert response.status_code == 302
    client.post("/organizer/users", headers={"X-Forwarded-For": "198.51.100.2"}, data={
        "name": "Айгуль Хасанова", "email": "aigul@example.org", "role": "organizer",
        "region": 0, "stage": 0})
    rows = db.session.scalars(db.select(AuditLog)).all()
    assert [(r.action, r.address) for r in rows] == [("user.create", "198.51.100.2"),
                                                     ("user.invite", "198.51.100.2")]


def test_without_trusted_proxies_a_forwarded_address_is_ignored(other_app, make):
    client = other_app(RATELIMIT_ENABLED=True).test_client()
    codes = [client.post("/auth/login", data={"email": "org@example.org", "password": "x"},
                         headers={"X-Forwarded-For": f"203.0.113.{n}"}).status_code
             for n in range(11)]
    assert codes[-1] == 429  # a client cannot pick a fresh address per attempt


@pytest.mark.parametrize("url", [
    "https://evil.example/", "//evil.example/", "/\\\\evil.example", "/ok\\r\\nSet-Cookie: x=1",
    "/ok\\nx", "javascript:alert(1)", "/" + "x" * 3000, "", None, "relative/path",
])
def test_every_next_is_checked_by_one_function(url):
    from contest.security import local_url

    assert local_url(url.encode().decode("unicode_escape") if url else url) is None


def test_a_local_next_is_kept():
    from contest.security import local_url

    assert local_url("/coordinator/?status=received") == "/coordinator/?status=received"
    assert local_url("/results/2026?lang=ru#top") == "/results/2026?lang=ru#top"


def test_a_line_break_in_next_sends_home_instead_of_failing(client, make):
    from .factories import PASSWORD

    response = client.post("/language", data={"lang": "en", "next": "/\r\nSet-Cookie: x=1"})
    assert response.status_code == 302 and response.headers["Location"] == "/"
    make.user(Role.ORGANIZER, email="org@example.org")
    response = client.post("/auth/login?next=/organizer/%0D%0ASet-Cookie:%20x=1",
                           data={"email": "org@example.org", "password": PASSWORD})
    assert response.status_code == 302 and response.headers["Location"] == "/organizer/"
    assert "x=1" not in response.headers.get("Set-Cookie", "")
