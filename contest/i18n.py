"""Russian first, English second: locale choice, and the filters templates use."""

import re

import iuliia
import markdown as md
import nh3
from flask import Flask, has_request_context, session
from flask_babel import (
    format_date,
    format_datetime,
    format_decimal,
    format_number,
    get_locale,
    gettext,
)
from markupsafe import Markup

from .config import DEFAULT_LANGUAGE, LANGUAGE_NAMES, LANGUAGES
from .extensions import babel


def select_locale() -> str:
    """The language the visitor chose with the switch; Russian otherwise (and outside requests,
    where ``force_locale`` chooses)."""
    lang = session.get("lang") if has_request_context() else None
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


LIST_ITEM = re.compile(r"^\s{0,3}(?:[-*+]|\d+[.)])\s")
TAGS = nh3.ALLOWED_TAGS - {"img"}  # no images fetched from other sites on our pages


def render_markdown(text: str | None) -> Markup:
    """Organizer-written Markdown as safe HTML: no scripts, no styles, no raw attributes, no
    outside images. Headings start at level 3, under the page's own."""
    html = md.markdown(_lists_start_paragraphs(text or ""), extensions=["sane_lists"])
    html = re.sub(r"<(/?)h([1-4])>", lambda m: f"<{m[1]}h{min(int(m[2]) + 2, 6)}>", html)
    return Markup(nh3.clean(html, tags=TAGS, link_rel="noopener noreferrer nofollow"))


def _lists_start_paragraphs(text: str) -> str:
    """People write a list right under its heading line; Markdown wants a blank line first."""
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        if LIST_ITEM.match(line) and lines and lines[-1].strip() and not LIST_ITEM.match(lines[-1]):
            lines.append("")
        lines.append(line)
    return "\n".join(lines)


def language() -> str:
    """The current language's code, "ru" or "en" (the default, Russian, outside a request)."""
    return str(get_locale() or DEFAULT_LANGUAGE)


def latin(text: str) -> str:
    """A Russian name or town in Latin letters, for the English editions: Wikipedia's
    romanisation, the one English readers know ("Naberezhnye Chelny", "Yuliya")."""
    return iuliia.WIKIPEDIA.translate(text) if text else text


def in_language(text: str) -> str:
    """A child's name or town as the current language writes it."""
    return latin(text) if language() == "en" else text


QUOTES = {"ru": ("«", "»"), "en": ("\u201c", "\u201d")}


def quoted(text: str) -> str:
    """``text`` in the current language's quotation marks: «…» in Russian, “…” in English."""
    opening, closing = QUOTES.get(language(), QUOTES["ru"])
    return f"{opening}{text}{closing}"


def drawing_title(entry) -> str:
    """An entry's title, quoted, as the current language shows it: the family's English title
    on English pages, else their Russian one marked as such (never a Latin name beside a bare
    Cyrillic title); the Russian title on Russian pages."""
    if language() != "en":
        return quoted(entry.title)
    if entry.title_en:
        return quoted(entry.title_en)
    return gettext("%(title)s (title in Russian)", title=quoted(entry.title))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories="translations")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = lambda d, fmt="long": format_date(d, fmt) if d else ""
    app.jinja_env.filters["format_datetime"] = format_datetime
    app.jinja_env.filters["zip"] = zip
    app.jinja_env.filters["quoted"] = quoted
    app.jinja_env.filters["drawing_title"] = drawing_title
    app.jinja_env.filters["format_number"] = format_number
    app.jinja_env.filters["format_decimal"] = format_decimal

    @app.context_processor
    def languages():
        return {"LANGUAGE_NAMES": LANGUAGE_NAMES, "current_lang": language()}
