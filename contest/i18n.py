"""Russian first, English second: locale choice, and the filters templates use."""

import markdown as md
import nh3
from flask import Flask, has_request_context, session
from flask_babel import format_date, format_datetime, format_decimal, format_number, get_locale
from markupsafe import Markup

from .config import LANGUAGES
from .extensions import babel


def select_locale() -> str:
    """The language the visitor chose with the switch; Russian otherwise (and outside requests,
    where ``force_locale`` chooses)."""
    lang = session.get("lang") if has_request_context() else None
    return lang if lang in LANGUAGES else "ru"


def render_markdown(text: str | None) -> Markup:
    """Organizer-written Markdown as safe HTML: no scripts, no styles, no raw attributes."""
    html = md.markdown(text or "", extensions=["sane_lists"])
    return Markup(nh3.clean(html, link_rel="noopener noreferrer nofollow"))


def init_app(app: Flask) -> None:
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories="translations")
    app.jinja_env.filters["markdown"] = render_markdown
    app.jinja_env.filters["date"] = lambda d, fmt="long": format_date(d, fmt) if d else ""
    app.jinja_env.filters["format_datetime"] = format_datetime
    app.jinja_env.filters["zip"] = zip
    app.jinja_env.filters["format_number"] = format_number
    app.jinja_env.filters["format_decimal"] = format_decimal

    @app.context_processor
    def languages():
        return {"LANGUAGES": LANGUAGES, "current_lang": str(get_locale() or "ru")}
