"""Every organizer page refuses anonymous users and other roles; every POST needs a token."""

import re

import pytest

from contest.extensions import db
from contest.models import Role

ORGANIZER_URLS = [
    ("GET", "/organizer/"), ("GET", "/organizer/contests/new"), ("POST", "/organizer/contests/new"),
    ("GET", "/organizer/contests/{c}"), ("GET", "/organizer/contests/{c}/edit"),
    ("POST", "/organizer/contests/{c}/edit"), ("POST", "/organizer/contests/{c}/categories"),
    ("POST", "/organizer/categories/{cat}/delete"), ("POST", "/organizer/contests/{c}/criteria"),
    ("POST", "/organizer/criteria/{crit}/delete"), ("GET", "/organizer/contests/{c}/regions"),
    ("POST", "/organizer/contests/{c}/regions"), ("POST", "/organizer/contests/{c}/phase"),
    ("POST", "/organizer/contests/{c}/purge-contacts"),
    ("GET", "/organizer/users"), ("POST", "/organizer/users"),
    ("POST", "/organizer/users/{u}/reset"), ("POST", "/organizer/users/{u}/active"),
    ("GET", "/organizer/audit"),
]


def _fill(url, contest, user):
    return url.format(c=contest.id, cat=contest.age_categories[0].id,
                      crit=contest.criteria[0].id, u=user.id)


def test_every_organizer_route_is_listed(app):
    rules = {r.rule for r in app.url_map.iter_rules() if r.endpoint.startswith("organizer.")}
    listed = {u.replace("{c}", "<int:contest_id>").replace("{cat}", "<int:category_id>")
              .replace("{crit}", "<int:criterion_id>").replace("{u}", "<int:user_id>")
              for _, u in ORGANIZER_URLS}
    assert rules <= listed


@pytest.mark.parametrize("method, url", ORGANIZER_URLS)
def test_anonymous_is_sent_to_login(client, make, method, url):
    contest, user = make.contest(), make.user(Role.JUROR)
    response = client.open(_fill(url, contest, user), method=method)
    assert response.status_code == 302
    assert "/auth/login" in response.headers["Location"]


@pytest.mark.parametrize("role", [Role.COORDINATOR, Role.JUROR])
@pytest.mark.parametrize("method, url", ORGANIZER_URLS)
def test_other_roles_are_refused(client, make, login, role, method, url):
    contest, user = make.contest(), make.user(Role.JUROR)
    login(make.user(role))
    assert client.open(_fill(url, contest, user), method=method).status_code == 403


def _example_url(rule) -> str:
    return re.sub(r"<(?:\w+:)?\w+>", "1", rule.rule)


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


def test_a_default_secret_key_is_refused_outside_tests(monkeypatch):
    from contest import create_app

    monkeypatch.delenv("SECRET_KEY", raising=False)
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app({"SECRET_KEY": "dev"})
