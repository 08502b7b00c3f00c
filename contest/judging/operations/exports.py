"""Exports: a stage's results as a table for CSV and XLSX, every figure explained."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

from flask import current_app
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select

from ... import jobs, spreadsheets
from ...extensions import db
from ...models import AgeCategory, Entry, Job, Stage, StageKind
from ...uploads import files
from ..models import Placement
from .lifecycle import calendar_proposals
from .ranking import juror_stats


def table(stage: Stage) -> list[list]:
    """The stage's results as rows (header first), for CSV and XLSX.

    A juror's cells are blank for an entry they were not asked to score; otherwise they hold
    the figures, or say why there are none (``SHEET_MARKERS``). The national stage's table
    names winners and counts the jurors proposing each entry for the calendar.
    """
    national = stage.kind is StageKind.NATIONAL
    letters = [j["letter"] for j in juror_stats(stage)]
    header = [_("Age category"), _("Rank"), _("Entry"), _("Title"), _("Jurors"),
              _("Raw mean"), _("Rank by raw mean"), _("Adjusted mean"),
              _("Winner") if national else _("Finalist"),
              *([_("Proposed for the calendar (jurors)")] if national else []),
              _("Close call"), _("Decided by"), _("Override reason"),
              *[_("Juror %(letter)s: total", letter=x) for x in letters],
              *[_("Juror %(letter)s: adjusted", letter=x) for x in letters]]
    rows = db.session.execute(
        select(Placement, Entry.id, Entry.title, AgeCategory)
        .join(Entry, Entry.id == Placement.entry_id)
        .join(AgeCategory, AgeCategory.id == Placement.category_id)
        .where(Placement.stage_id == stage.id)
        .order_by(AgeCategory.min_age, Placement.rank)).all()
    proposals = calendar_proposals(stage)
    markers = {status: str(word) for status, word in SHEET_MARKERS.items()}
    yes = _("yes")

    def cell(line: dict | None, figure: str):
        if line is None:
            return None
        return markers[line["status"]] if line["status"] in markers else _round(line[figure])

    body = []
    for p, entry_id, title, category in rows:
        lines = {line["juror"]: line for line in p.sheets}
        body.append([
            category.name, p.rank, entry_id, title, p.jurors, _round(p.raw_mean), p.raw_rank,
            _round(p.adjusted_mean), yes if p.finalist else "",
            *([proposals.get(entry_id, 0)] if national else []),
            yes if p.close_call else "", decided_label(p.decided_by), p.override_reason,
            *[cell(lines.get(x), "total") for x in letters],
            *[cell(lines.get(x), "adjusted") for x in letters]])
    return [header, *body]


def to_csv(stage: Stage) -> bytes:
    return spreadsheets.to_csv(table(stage))


def to_xlsx(stage: Stage) -> bytes:
    return spreadsheets.to_xlsx([(_("Results"), table(stage), {"D": 36})])


MAKERS = {"csv": to_csv, "xlsx": to_xlsx}


def exported_in_background(stage: Stage) -> bool:
    """Whether the stage's results are too many to make while the person waits for the page
    (``EXPORT_IN_BACKGROUND_FROM`` entries): then the worker makes the file (``results_job``)."""
    ranked = db.session.scalar(select(func.count()).select_from(Placement)
                               .where(Placement.stage_id == stage.id))
    return ranked >= current_app.config["EXPORT_IN_BACKGROUND_FROM"]


@jobs.handler("results")
def results_job(job: Job, progress: Callable[[int, int, str], None]) -> tuple[str, str]:
    """A stage's results (``stage_id``) as CSV or XLSX (``format``), made by the worker. The
    table holds entry numbers and titles, no child's data."""
    stage = db.session.get(Stage, job.params["stage_id"])
    fmt = job.params["format"]
    progress(0, 1, "")
    key = f"{jobs.output_prefix(job)}/results.{fmt}"
    files.storage().put(key, MAKERS[fmt](stage))
    progress(1, 1, "")
    return key, f"{job.params['name']}.{fmt}"


CENTS = Decimal("0.01")

DECIDED_LABELS = {
    "adjusted": _l("adjusted mean"),
    "raw": _l("raw mean (equal adjusted means)"),
    "submitted": _l("earlier submission (equal means)"),
    "id": _l("lower entry number (equal means, same time)"),
    "scored": _l("scored before unscored"),
}


# What a juror's cells of the export say when their sheet has no figures.
SHEET_MARKERS = {
    "conflict": _l("conflict"),
    "incomplete": _l("incomplete"),
    "missing": "—",
}


def decided_label(decided_by: str | None) -> str:
    return str(DECIDED_LABELS[decided_by]) if decided_by else ""


def _round(value: float | None) -> Decimal | None:
    """Two decimals always (6.50, not 6.5 beside 7.46), for reading down a column."""
    return None if value is None else Decimal(repr(value)).quantize(CENTS)
