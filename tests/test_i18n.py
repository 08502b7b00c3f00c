from datetime import date

from contest.config import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES
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


def test_the_switch_names_each_language_in_its_own_words(client):
    assert list(LANGUAGE_NAMES) == list(LANGUAGES) and LANGUAGES[0] == DEFAULT_LANGUAGE
    page = client.get("/").data.decode()
    assert 'aria-label="Русский"' in page and 'aria-label="English"' in page


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


def test_every_string_of_the_code_and_templates_has_a_russian_translation():
    """What ``pybabel extract`` finds must be translated (and not fuzzy) in messages.po."""
    from pathlib import Path

    from babel.messages.extract import extract_from_dir
    from babel.messages.pofile import read_po

    root = Path(__file__).parents[1]
    with open(root / "contest/translations/ru/LC_MESSAGES/messages.po", "rb") as po:
        catalog = read_po(po)
    method_map = [("contest/**.py", "python"), ("templates/**.html", "jinja2"),
                  ("templates/**.txt", "jinja2")]
    keywords = {"_": None, "_l": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None}
    missing = set()
    for filename, _line, message, _comments, _context in extract_from_dir(
            str(root), method_map, keywords=keywords):
        msgid = message[0] if isinstance(message, tuple) else message
        found = catalog.get(msgid)
        strings = found.string if found and isinstance(found.string, tuple) else (
            (found.string,) if found else ("",))
        if not found or found.fuzzy or not all(strings):
            missing.add(f"{filename}: {msgid}")
    assert not missing, sorted(missing)


def test_no_translated_string_hides_inside_an_f_string():
    """Babel does not look inside f-strings: ``f"{_('total')}"`` would stay English."""
    import re
    from pathlib import Path

    pattern = re.compile(r"""f["'][^"'\n]*\{_l?\(""")
    offenders = [f"{path}:{n}" for path in Path(__file__).parents[1].glob("contest/**/*.py")
                 for n, line in enumerate(path.read_text().splitlines(), 1)
                 if pattern.search(line)]
    assert not offenders


def test_markdown_lists_right_under_a_line_and_headings_below_the_page():
    html = render_markdown("Какие работы принимаются:\n- рисунок А4 или А3;\n- одна работа.\n\n"
                           "# Сроки\n1. приём\n2. итоги")
    assert "<p>Какие работы принимаются:</p>" in html
    assert html.count("<li>") == 4 and "<ul>" in html and "<ol>" in html
    assert "<h3>Сроки</h3>" in html and "<h1>" not in html


def test_markdown_fetches_no_outside_images():
    html = render_markdown('![x](https://tracker.example/p.gif) <img src="https://t.example/a">')
    assert "<img" not in html and "tracker.example" not in html


def test_titles_are_quoted_as_each_language_quotes(client, make):
    from contest.models import Phase

    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    entry = make.entry(contest, title="Солнце <и> молоко")
    russian = client.get(f"/status/{entry.code}").data.decode()
    assert "«Солнце &lt;и&gt; молоко»" in russian  # quoted, and still escaped
    client.post("/language", data={"lang": "en"})
    english = client.get(f"/status/{entry.code}").data.decode()
    assert "\u201cСолнце &lt;и&gt; молоко\u201d" in english and "«Солнце" not in english


def test_the_catalogue_holds_each_message_once():
    """Two branches adding the same message leave it twice: gettext keeps one silently."""
    import re
    from collections import Counter
    from pathlib import Path

    catalogue = Path(__file__).parents[1] / "contest/translations/ru/LC_MESSAGES/messages.po"
    ids = re.findall(r'^(?:msgctxt (".*")\n)?msgid (".*"(?:\n".*")*)', catalogue.read_text(),
                     re.MULTILINE)
    twice = [msgid for msgid, n in Counter(ids).items() if n > 1 and msgid[1] != '""']
    assert not twice
