"""Dependencies that go away: the rate limiter fails open to memory, the database to a 503."""

import logging

import pytest
from sqlalchemy import select

from contest.extensions import db
from contest.models import Entry, Phase, Role

from .factories import PASSWORD
from .test_submit import form

DEAD_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing listens there
DEAD_DATABASE = "postgresql+psycopg://contest@127.0.0.1:9/contest"


def test_a_rate_limit_redis_that_is_down_falls_back_to_memory(other_app, make, caplog):
    """Submitting, signing in and the status page answer as usual, and sign-in is still
    throttled, counted in memory; the fallback is logged."""
    app = other_app(RATELIMIT_ENABLED=True, RATELIMIT_STORAGE_URI=DEAD_REDIS)
    make.contest(phase=Phase.SUBMISSIONS_OPEN)
    client = app.test_client()
    with caplog.at_level(logging.WARNING):
        response = client.post("/submit", data=form(make), content_type="multipart/form-data")
    assert response.status_code == 302, response.data.decode()[:1000]
    assert "falling back to in-memory storage" in caplog.text
    code = db.session.scalar(select(Entry.code))
    assert client.get(f"/status/{code}").status_code == 200
    assert client.post("/status", data={"code": code}).status_code == 302
    codes = [client.post("/auth/login", data={"email": "x@example.org", "password": "x"}
                         ).status_code for _ in range(11)]
    assert codes == [200] * 10 + [429]


def _session_of(app, user) -> str:
    """The session cookie of ``user`` signed in through the form while the database was up."""
    client = app.test_client()
    response = client.post("/auth/login", data={"email": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client.get_cookie("session").value


@pytest.mark.parametrize("signed_in", [False, True])
def test_a_database_outage_answers_503_with_retry_after(other_app, make, signed_in, caplog):
    """Pages, forms and a signed-in staff member's pages: a 503 page in the visitor's
    language that says to retry, not a 500."""
    session = _session_of(other_app(), make.user(Role.ORGANIZER))
    app = other_app(SQLALCHEMY_DATABASE_URI=DEAD_DATABASE)
    with app.app_context():
        if signed_in:
            client = app.test_client()
            client.set_cookie("session", session)
            responses = [client.get("/"), client.get("/organizer/")]
        else:
            client = app.test_client()
            responses = [client.get("/"), client.post("/status", data={"code": "ABCD-EFG-HJK"}),
                         client.post("/auth/login", data={"email": "a@example.org",
                                                          "password": "x"})]
        for response in responses:
            assert response.status_code == 503
            assert response.headers["Retry-After"] == "30"
            page = response.data.decode()
            assert "Временно недоступно" in page and "базой данных" in page
    assert "Database unavailable" in caplog.text
