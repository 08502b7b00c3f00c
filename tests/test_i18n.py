from datetime import date

from contest.i18n import render_markdown


def test_russian_is_the_default(client):
    response = client.get("/auth/login")
    assert 'lang="ru"' in response.data.decode()
    assert "Войти".encode() in response.data


def test_language_switch(client):
    response = client.post("/language", data={"lang": "en", "next": "/auth/login"})
    assert response.headers["Location"] == "/auth/login"
    page = client.get("/auth/login").data.decode()
    assert 'lang="en"' in page and "Sign in" in page
    client.post("/language", data={"lang": "ru"})
    assert "Войти" in client.get("/auth/login").data.decode()


def test_language_switch_is_no_open_redirect(client):
    for target in ("https://evil.example/", "//evil.example/x", "javascript:alert(1)"):
        response = client.post("/language", data={"lang": "en", "next": target})
        assert response.headers["Location"] == "/"


def test_unknown_language_ignored(client):
    client.post("/language", data={"lang": "xx"})
    assert 'lang="ru"' in client.get("/").data.decode()


def test_error_pages_in_the_users_language(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Страница не найдена".encode() in response.data
    client.post("/language", data={"lang": "en"})
    assert b"Page not found" in client.get("/no-such-page").data


def test_markdown_is_rendered_safely():
    html = render_markdown("**bold** <script>alert(1)</script> [x](javascript:alert(1))"
                           ' <img src=x onerror="alert(1)">')
    assert "<strong>bold</strong>" in html
    assert "<script" not in html and "onerror" not in html and "javascript:" not in html


def test_dates_are_formatted_for_the_locale(client, make):
    from contest.models import Phase

    make.contest(year=2026, phase=Phase.SUBMISSIONS_OPEN, results_on=date(2027, 4, 30))
    assert "30 апреля 2027" in client.get("/").data.decode()
    client.post("/language", data={"lang": "en"})
    assert "April 30, 2027" in client.get("/").data.decode()
