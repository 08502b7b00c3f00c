from flask import Blueprint, redirect, render_template, request, session, url_for

from .. import entries, public_pages, security
from ..config import LANGUAGES
from ..contests import current_contest

bp = Blueprint("main", __name__)
# Pages show the "send a drawing" buttons by the same rule the form applies.
bp.add_app_template_global(entries.submissions_open, "submissions_open")


@bp.get("/")
@public_pages.cached_publicly
def index():
    """The current contest: theme, motto, rules, deadlines, age categories, regions."""
    return render_template("main/index.html", contest=current_contest())


@bp.route("/language", methods=["GET", "POST"])
def set_language():
    """Remember the chosen language and go back to the page the visitor was on.

    The header's switch is a link (GET): a form would carry the session's CSRF token and make
    every public page personal. A language is a preference in the visitor's own cookie, nothing
    stored; a POST (kept for old pages) is CSRF-checked like every POST."""
    lang = request.values.get("lang")
    if lang in LANGUAGES:
        session["lang"] = lang
    return redirect(security.local_url(request.values.get("next")) or url_for("main.index"))
