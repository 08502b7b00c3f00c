"""The yearly report: figures for national and international partners.

``yearly_figures`` computes every number once, from the database; the page, the PDF and the
CSV/XLSX exports all show that one result. The counts come from grouped queries (a few rows per
region, not a row per entry) and are kept until an entry of the region changes: the report and
the organizer's dashboard stay quick with 50,000 entries.

What is counted: an *entry* is a drawing received (rejected ones included: they took part);
*accepted* entries passed moderation; a *child* is counted once however many drawings they
sent (same region, name and age); towns and institutions are counted by distinct name.
"""

from __future__ import annotations

import io
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date

from flask import current_app
from flask_babel import force_locale
from flask_babel import gettext as _
from reportlab.graphics.charts.barcharts import HorizontalBarChart, VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4, landscape
from reportlab.lib.styles import ParagraphStyle
from reportlab.lib.units import mm
from reportlab.platypus import Flowable, SimpleDocTemplate, Spacer, Table, TableStyle
from sqlalchemy import func, select

from . import spreadsheets
from .config import DEFAULT_LANGUAGE
from .entries import folded
from .extensions import db
from .judging import operations as judging
from .judging.notices import deadline as judging_deadline
from .models import Award, Contest, Entry, EntryStatus, Stage, User
from .pdf import ACCENT, BAR, HEADER, INK, RULE, fonts, paragraph, raw_streams

PAGE = landscape(A4)
MARGIN = 15 * mm


@dataclass
class RegionFigures:
    code: str
    name: str
    towns: int = 0
    institutions: int = 0
    entries: int = 0
    accepted: int = 0
    waiting: int = 0  # received, no decision yet (the moderation backlog)
    needs_photo: int = 0  # a better photo asked for
    children: int = 0
    finalists: int = 0
    winners: int = 0
    by_category: dict[str, int] = field(default_factory=dict)


@dataclass
class YearlyFigures:
    contest_year: int
    contest_title: str
    categories: list[str]
    regions: list[RegionFigures]
    totals: RegionFigures
    ages: dict[int, int]  # age -> entries

    @property
    def participating_regions(self) -> int:
        return sum(1 for r in self.regions if r.entries)


def yearly_figures(contest: Contest) -> YearlyFigures:
    """Every figure of the report, per region and in total, from the edition's counts."""
    counts = edition_counts(contest)
    categories = contest.age_categories
    names = [c.name for c in categories]  # translated once per category, not once per entry

    def figures(code: str, name: str, c: StageCounts) -> RegionFigures:
        return RegionFigures(
            code=code, name=name, towns=c.towns, institutions=c.institutions,
            entries=sum(c.statuses.values()), accepted=c.statuses[EntryStatus.ACCEPTED],
            waiting=c.statuses[EntryStatus.RECEIVED],
            needs_photo=c.statuses[EntryStatus.NEEDS_PHOTO], children=c.children,
            finalists=c.awards[Award.FINALIST] + c.awards[Award.WINNER],
            winners=c.awards[Award.WINNER],
            by_category={n: c.categories[k.id] for n, k in zip(names, categories, strict=True)})

    stages = sorted(contest.regional_stages, key=lambda s: s.region.name)
    regions = [figures(s.region.code, s.region.name, counts.get(s.id, StageCounts()))
               for s in stages]
    total = StageCounts()
    for c in counts.values():
        total.add(c)
    return YearlyFigures(contest.year, contest.title, names, regions,
                         figures("", _("Total"), total), dict(sorted(total.ages.items())))


@dataclass
class StageCounts:
    """One stage's entries counted: what the report's figures are made of."""

    towns: int = 0
    institutions: int = 0
    children: int = 0
    statuses: Counter = field(default_factory=Counter)  # EntryStatus -> entries
    awards: Counter = field(default_factory=Counter)  # Award -> entries
    categories: Counter = field(default_factory=Counter)  # age category id -> entries
    ages: Counter = field(default_factory=Counter)  # age -> entries

    def add(self, other: StageCounts) -> None:
        # Towns and children are told apart within a region, so regions' counts add up.
        self.towns += other.towns
        self.institutions += other.institutions
        self.children += other.children
        self.statuses.update(other.statuses)
        self.awards.update(other.awards)
        self.categories.update(other.categories)
        self.ages.update(other.ages)


def edition_counts(contest: Contest) -> dict[int, StageCounts]:
    """Each regional stage's counts (by stage id), by grouped queries. A stage's counts are
    kept (per app) until one of its entries is added, changed or removed: a new drawing in one
    region counts that region again, not the whole edition."""
    markers = {stage_id: (n, newest) for stage_id, n, newest in db.session.execute(
        select(Entry.stage_id, func.count(), func.max(Entry.updated_at))
        .where(Entry.contest_id == contest.id).group_by(Entry.stage_id))}
    kept = current_app.extensions.setdefault("report.counts", {})  # stage id -> marker, counts
    stale = [s for s, marker in markers.items() if kept.get(s, (None,))[0] != marker]
    if stale:
        for stage_id, counts in _count(stale).items():
            kept[stage_id] = (markers[stage_id], counts)
    return {s: kept[s][1] for s in markers}


class _Folded(dict):
    """``folded`` of each name, worked out once: thousands of children share a first name."""

    def __missing__(self, text: str) -> str:
        self[text] = folded(text)
        return self[text]


def _count(stage_ids: list[int]) -> dict[int, StageCounts]:
    stages: dict[int, StageCounts] = defaultdict(StageCounts)
    of_stages = Entry.stage_id.in_(stage_ids)
    for stage_id, status, award, category_id, n in db.session.execute(
            select(Entry.stage_id, Entry.status, Entry.award, Entry.age_category_id,
                   func.count()).where(of_stages)
            .group_by(Entry.stage_id, Entry.status, Entry.award, Entry.age_category_id)):
        counts = stages[stage_id]
        counts.statuses[status] += n
        counts.categories[category_id] += n
        if award is not None:
            counts.awards[award] += n
    # Names are told apart as ``folded`` says, which SQL cannot: each distinct spelling is
    # folded once.
    fold = _Folded()
    for column, name in ((Entry.town, "towns"), (Entry.institution, "institutions")):
        seen = defaultdict(set)
        for stage_id, text in db.session.execute(
                select(Entry.stage_id, column).where(of_stages, column != "").distinct()):
            seen[stage_id].add(fold[text])
        for stage_id, names in seen.items():
            setattr(stages[stage_id], name, len(names))
    children = defaultdict(set)
    for stage_id, first, last, age in db.session.execute(
            select(Entry.stage_id, Entry.child_first_name, Entry.child_last_name, Entry.age)
            .where(of_stages, Entry.personal_data_erased_at.is_(None)).distinct()):
        children[stage_id].add((fold[first], fold[last], age))
    for stage_id, names in children.items():
        stages[stage_id].children = len(names)
    for stage_id, n in db.session.execute(  # an erased child is nobody's twin
            select(Entry.stage_id, func.count()).where(
                of_stages, Entry.personal_data_erased_at.is_not(None)).group_by(Entry.stage_id)):
        stages[stage_id].children += n
    for stage_id, age, n in db.session.execute(
            select(Entry.stage_id, Entry.age, func.count()).where(of_stages)
            .group_by(Entry.stage_id, Entry.age)):
        stages[stage_id].ages[age] += n
    return dict(stages)


# --- the organizer's dashboard: the same figures, with the juries' progress ---------------


@dataclass
class StageOverview:
    """One jury stage on the dashboard: its region's figures and each juror's progress."""

    stage: Stage
    deadline: date
    figures: RegionFigures | None  # the region's entries (None: the national stage)
    jurors: list[tuple[User, judging.Progress]]

    @property
    def sheets_done(self) -> int:
        return sum(p.done for _, p in self.jurors)

    @property
    def sheets_total(self) -> int:
        return sum(p.total for _, p in self.jurors)

    @property
    def jurors_behind(self) -> int:
        return sum(1 for _, p in self.jurors if p.done < p.total)


def overview(contest: Contest) -> tuple[YearlyFigures, list[StageOverview]]:
    """The dashboard of ``contest``: the report's figures per region (moderation backlog
    included) and every stage's jury progress, per juror; computed here, once."""
    figures = yearly_figures(contest)
    by_code = {r.code: r for r in figures.regions}
    stages = sorted(contest.stages, key=lambda s: (s.region is None, s.region.name if s.region
                                                   else ""))
    return figures, [StageOverview(s, judging_deadline(s),
                                   by_code.get(s.region.code) if s.region else None,
                                   judging.juror_progress(s)) for s in stages]


# --- exports ------------------------------------------------------------------------------


def columns(figures: YearlyFigures) -> list[str]:
    return [_("Region"), _("ISO code"), _("Towns"), _("Institutions"), _("Entries"),
            _("Accepted entries"), _("Children"), *figures.categories,
            _("Finalists and winners"), _("Winners")]


def table(figures: YearlyFigures) -> list[list]:
    """The report's table: a row per region, then the national total."""
    def row(r: RegionFigures) -> list:
        return [r.name, r.code, r.towns, r.institutions, r.entries, r.accepted, r.children,
                *[r.by_category[c] for c in figures.categories], r.finalists, r.winners]

    return [columns(figures), *[row(r) for r in figures.regions], row(figures.totals)]


def to_csv(figures: YearlyFigures) -> bytes:
    return spreadsheets.to_csv(table(figures))


def to_xlsx(figures: YearlyFigures) -> bytes:
    ages = [[_("Age"), _("Entries")], *([age, n] for age, n in figures.ages.items())]
    return spreadsheets.to_xlsx([(str(figures.contest_year), table(figures), {"A": 38}),
                                 (_("Ages"), ages, {})])


# --- the PDF: the story says what goes on the pages; ReportLab lays it out and paints it ------


def to_pdf(figures: YearlyFigures, language: str = DEFAULT_LANGUAGE) -> bytes:
    """A printable A4 report: totals, the table and two charts."""
    faces = fonts()
    out = io.BytesIO()
    with force_locale(language):
        # Landscape: a column per age category still leaves room for whole words in headers.
        doc = SimpleDocTemplate(out, pagesize=PAGE, leftMargin=MARGIN, rightMargin=MARGIN,
                                topMargin=MARGIN, bottomMargin=MARGIN,
                                title=_("Yearly report %(year)s", year=figures.contest_year),
                                # else the canvas starts in Helvetica, left in the file unembedded
                                initialFontName=faces.regular)
        story = _story(figures)
        with raw_streams():
            doc.build(story)
    return out.getvalue()


def _story(figures: YearlyFigures) -> list[Flowable]:
    """The report's blocks in reading order, with their styles."""
    faces = fonts()
    h1 = ParagraphStyle("h1", fontName=faces.display, fontSize=20, leading=24, textColor=INK,
                        spaceAfter=6)
    h2 = ParagraphStyle("h2", fontName=faces.bold, fontSize=13, leading=16, textColor=INK,
                        spaceBefore=10, spaceAfter=4, keepWithNext=1)
    body = ParagraphStyle("body", fontName=faces.regular, fontSize=10, leading=13)
    t = figures.totals
    return [
        paragraph(_("Yearly report %(year)s", year=figures.contest_year), h1),
        paragraph(figures.contest_title, body),
        Spacer(1, 4 * mm),
        paragraph(_("Regions: %(r)s · towns: %(t)s · institutions: %(i)s · children: %(c)s · "
                    "entries: %(e)s (accepted %(a)s) · finalists: %(f)s · winners: %(w)s",
                    r=figures.participating_regions, t=t.towns, i=t.institutions,
                    c=t.children, e=t.entries, a=t.accepted, f=t.finalists, w=t.winners),
                  body),
        paragraph(_("By region"), h2),
        _pdf_table(figures),
        paragraph(_("Entries per region"), h2),
        _region_chart(figures),
        paragraph(_("Age distribution"), h2),
        _age_chart(figures),
    ]


def _pdf_table(figures: YearlyFigures) -> Table:
    faces = fonts()
    data = table(figures)
    numbers = len(data[0]) - 2
    name_w, code_w = 48 * mm, 14 * mm
    width = PAGE[0] - 2 * MARGIN
    widths = [name_w, code_w] + [(width - name_w - code_w) / numbers] * numbers
    style = TableStyle([
        ("FONT", (0, 0), (-1, -1), faces.regular, 7.5),
        ("FONT", (0, 0), (-1, 0), faces.bold, 7.5),
        ("FONT", (0, -1), (-1, -1), faces.bold, 7.5),
        ("BACKGROUND", (0, 0), (-1, 0), HEADER),
        ("LINEBELOW", (0, 0), (-1, -1), 0.25, RULE),
        ("ALIGN", (2, 0), (-1, -1), "RIGHT"),
        ("VALIGN", (0, 0), (-1, -1), "MIDDLE"),
    ])
    header = [paragraph(h, ParagraphStyle("th", fontName=faces.bold, fontSize=7,
                                               leading=8.5)) for h in data[0]]
    return Table([header, *data[1:]], colWidths=widths, style=style, repeatRows=1)


def _region_chart(figures: YearlyFigures) -> Drawing:
    regular = fonts().regular
    names = [r.name for r in figures.regions]
    height = 18 * len(names) + 30
    drawing = Drawing(180 * mm, height, initialFontName=regular)  # not Helvetica
    chart = HorizontalBarChart()
    chart.x, chart.y, chart.width, chart.height = 60 * mm, 10, 110 * mm, height - 20
    chart.data = [[r.entries for r in figures.regions] or [0]]
    chart.categoryAxis.categoryNames = names or [""]
    chart.categoryAxis.labels.fontName = regular
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.reverseDirection = True
    chart.valueAxis.labels.fontName = regular
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = BAR
    drawing.add(chart)
    return drawing


def _age_chart(figures: YearlyFigures) -> Drawing:
    regular = fonts().regular
    drawing = Drawing(180 * mm, 60 * mm, initialFontName=regular)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 15 * mm, 10 * mm, 160 * mm, 45 * mm
    chart.data = [list(figures.ages.values()) or [0]]
    chart.categoryAxis.categoryNames = [str(a) for a in figures.ages] or [""]
    for axis in (chart.categoryAxis, chart.valueAxis):
        axis.labels.fontName = regular
        axis.labels.fontSize = 8
    chart.valueAxis.valueMin = 0
    chart.bars[0].fillColor = ACCENT
    drawing.add(chart)
    return drawing
