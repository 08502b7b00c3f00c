"""The public gallery (/gallery): each year's national winners whose families allow it."""

from flask import Blueprint, abort, render_template, request

from .. import access, entries, public_pages
from ..judging import operations as judging

bp = Blueprint("gallery", __name__, url_prefix="/gallery")


@bp.get("")
@bp.get("/<int:year>")
@public_pages.cached_publicly
def index(year: int | None = None):
    """Winners of each year, by age category and region, with consented captions."""
    years = judging.editions_with_results(national_only=True)
    contest = next((c for c in years if c.year == year), None) if year else next(iter(years), None)
    if contest is None:  # no results yet, or none that year: say so, with the years there are
        return render_template("publishing/gallery.html", contest=None, years=years, groups=[],
                               missing_year=year), 404 if year else 200
    winners = [entry for _placement, entry in judging.published_finalists(contest.national_stage)
               if access.drawing_shown_publicly(entry)]
    regions = sorted({e.stage.region for e in winners}, key=lambda r: r.name)
    region = next((r for r in regions if r.code == request.args.get("region")), None)
    if region is not None:
        winners = [e for e in winners if e.stage.region_id == region.id]
    groups = []
    for category in contest.age_categories:
        in_category = [e for e in winners if e.age_category_id == category.id]
        if in_category:
            groups.append((category, sorted(in_category, key=lambda e: e.stage.region.name)))
    return render_template("publishing/gallery.html", contest=contest, years=years,
                           groups=groups, caption=entries.caption, regions=regions,
                           region=region)


@bp.get("/<int:year>/<int:entry_id>")
@public_pages.cached_publicly
def drawing(year: int, entry_id: int):
    """One winning drawing, large, with its consented caption: the page families share (its
    Open Graph tags give VK and Telegram the caption and the thumbnail, nothing more)."""
    entry = access.public_drawing_or_404(entry_id)
    if entry.contest.year != year:
        abort(404)
    return render_template("publishing/drawing.html", entry=entry, contest=entry.contest,
                           caption=entries.caption(entry))
