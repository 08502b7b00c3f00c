"""The one bridge to ``calendar_builder``: the assembled pages as a ``CalendarSpec``, laid out
by the builder's own plan (what the rules and the previews see), and one page's preview.

It uses the library's public names only: ``plan_calendar`` lays the calendar out once per
request, and ``preview_page`` paints one page of that plan.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from calendar_builder import (
    BackPage,
    CalendarPlan,
    CalendarSpec,
    Caption,
    Cover,
    MarkedDay,
    MonthPage,
    Partner,
    SpecError,
    Text,
    Winner,
    plan_calendar,
    preview_page,
    world_osteoporosis_day,
)
from calendar_builder import Fact as SpecFact

from .. import entries, facts
from ..contests import RuleError
from ..i18n import latin
from ..models import CalendarSlot, Contest, Entry, Region
from ..uploads import files
from ..uploads.pipeline import redact
from .back_page import spec_imprint, spec_partners
from .board import (
    COVER,
    MONTHS,
    SLOTS,
    board,
    consent_refusal,
    honoured,
    printable,
    proposed,
)
from .days_off import decree_transfers
from .options import Options

PLACEHOLDER = Path(__file__).parents[1] / "data" / "placeholder.jpg"
PUBLISHER = Text("Общественная организация пациентов для профилактики остеопороза",
                 "Patient society for osteoporosis prevention")


def plan(contest: Contest, region: Region | None, options: Options,
         kind: str = "print", chosen: dict[int, Entry] | None = None) -> CalendarPlan:
    """The assembled pages (or the ``chosen`` drawings: page → drawing) laid out by the
    calendar builder, empty pages as placeholders: what the checks (``kind="print"``) and the
    previews (``kind="preview"``) see."""
    return plan_calendar(to_spec(contest, region, options, allow_gaps=True, kind=kind,
                                 chosen=chosen))


def placements(contest: Contest, region: Region | None, options: Options,
               chosen: dict[int, Entry] | None = None) -> dict[int, tuple[float, float]]:
    """Per page with a drawing: (effective dpi, share of the page's content area it covers),
    of the assembled pages or of the ``chosen`` drawings.

    Uses the calendar builder's own layout, so the check sees exactly what will print.
    Raises ``SpecError`` when a stored drawing cannot be read.
    """
    laid_out = plan(contest, region, options, chosen=chosen)
    pages = proposed(board(contest, region), chosen)
    found = {}
    for slot, page in zip(SLOTS, laid_out.pages, strict=False):
        if pages[slot].entry is None or not printable(pages[slot].entry):
            continue  # an empty page, or one that shows the placeholder
        drawing = page.drawing()
        if not drawing.readable:
            raise SpecError(list(laid_out.problems))
        found[slot] = (round(drawing.dpi), round(drawing.share, 3))
    return found


def preview_png(contest: Contest, region: Region | None, options: Options, slot: int,
                dpi: int = 60) -> bytes:
    """One page as it will print, from the web-size drawings: the live preview."""
    return preview_page(plan(contest, region, options, kind="preview"), slot, dpi=dpi)


def _print_path(entry: Entry, kind: str = "print") -> Path:
    """The stored image of ``entry`` a page shows. A web preview whose signature stays hidden
    (``files.hides_signature``) is the masked jury copy; for print, ``to_spec`` masks the
    print master itself."""
    if kind == "preview" and files.hides_signature(entry):
        kind = "jury"
    return files.storage().local_path(files.image_key(entry, kind))


def caption(entry: Entry) -> Caption:
    """The consented caption: the first name only with consent (``entries.name_shown``, which
    no one overrides), age and town always."""
    name = entry.child_first_name if entries.name_shown(entry) else ""
    return Caption(first_name=Text(name, latin(name)), age=entry.age,
                   town=Text(entry.town, latin(entry.town)),
                   title=Text(entry.title, entry.title_en))


def marked_days(year: int, options: Options) -> tuple[MarkedDay, ...]:
    """The awareness days ringed in ``year``: bone and joint health, older persons, and the
    Patient Solidarity Day when the organizer gave its date in that year."""
    days = [world_osteoporosis_day(year),
            MarkedDay(date(year, 10, 1), Text("Международный день пожилых людей",
                                              "International Day of Older Persons")),
            MarkedDay(date(year, 10, 12), Text("Всемирный день борьбы с артритом",
                                               "World Arthritis Day"))]
    if options.patient_solidarity_day and options.patient_solidarity_day.year == year:
        days.append(MarkedDay(options.patient_solidarity_day,
                              Text("День солидарности пациентов", "Patient Solidarity Day")))
    return tuple(sorted(days, key=lambda d: d.date))


def calendar_year(contest: Contest) -> int:
    """The contest of one year illustrates the calendar of the next."""
    return contest.year + 1


def to_spec(contest: Contest, region: Region | None, options: Options,
            allow_gaps: bool = False, kind: str = "print",
            link_into: Path | None = None, holidays_confirmed: bool = False,
            chosen: dict[int, Entry] | None = None) -> CalendarSpec:
    """The calendar specification of the assembled pages.

    ``allow_gaps`` fills empty pages with a placeholder and ``kind="preview"`` uses the web
    previews of the drawings: both for checks and previews only, never for print. A page whose
    family did not allow printing (or withdrew consent after it was placed) is such a gap; for
    print it stops the build (``RuleError``), since a calendar with a blank page is no calendar.
    ``link_into``: a folder where each drawing is linked as ``entry-<id>.jpg``, so that the
    preflight report names entries by number, never by the path holding a tracking code; a
    drawing whose signature stays hidden (``files.hides_signature``) is a masked copy.
    The days off follow the decree an organizer entered for the year, if any;
    ``holidays_confirmed``: an organizer chose to print a year whose decree is not known.
    ``chosen`` (page → drawing): a proposed calendar instead of the assembled pages.
    """
    pages = proposed(board(contest, region), chosen)
    fact_rows = {f.id: f for f in facts.library()}

    def source(entry: Entry) -> Path:
        path = _print_path(entry, kind)
        if link_into is None:
            return path
        link = link_into / f"entry-{entry.id}.jpg"
        if link.exists() or link.is_symlink():
            return link
        if files.hides_signature(entry):  # a masked copy of the print master, for this build
            link.write_bytes(redact(path.read_bytes(), entry.jury_masks))
        else:
            link.symlink_to(path)
        return link

    def printed(page: CalendarSlot) -> Entry | None:
        if page.entry is not None and not printable(page.entry):
            if not allow_gaps:
                raise RuleError(consent_refusal([page.slot]))
            return None
        return page.entry

    def drawing(page: CalendarSlot) -> Path:
        entry = printed(page)
        if entry is None:
            if not allow_gaps:
                raise ValueError(f"page {page.slot} has no drawing")
            return PLACEHOLDER
        return source(entry)

    def page_caption(page: CalendarSlot) -> Caption | None:
        entry = printed(page)
        return caption(entry) if entry is not None else None

    def fact(page: CalendarSlot) -> SpecFact:
        row = fact_rows.get(page.fact_id)
        if row is None:
            return SpecFact(Text(""), Text(""))
        return SpecFact(Text(row.text_ru, row.text_en), Text(row.source_ru, row.source_en))

    blank = Caption(first_name=Text(""))
    cover_page = pages[COVER]
    # The contest's title often ends in its year; the cover carries the calendar's own year.
    title = Text(_without_year(contest.title_ru),
                 _without_year(contest.title_en or contest.title_ru))
    if region is None:
        subtitle = Text(f"Рисунки финалистов и победителей конкурса {contest.year} года",
                        f"Drawings by the finalists and winners of the {contest.year} contest")
    else:
        subtitle = Text(f"{region.name_ru}: рисунки участников конкурса {contest.year} года",
                        f"{region.name_en}: drawings from the {contest.year} contest")
    winners = tuple(Winner(source(e), caption(e)) for e in honoured(contest, region, pages))
    about = Text(
        f"Рисунки победителей конкурса детского рисунка «{title.ru}» ({contest.year} "
        "год). Календарь выпущен общественной организацией пациентов для профилактики "
        "остеопороза: крепкие кости строятся с детства.",
        f"Drawings by the winners of the children's drawing contest “{title.en}” "
        f"({contest.year}). The calendar is published by the patient society for osteoporosis "
        "prevention: strong bones are built in childhood.")
    return CalendarSpec(
        year=calendar_year(contest),
        cover=Cover(drawing(cover_page), title, subtitle,
                    Text(contest.motto_ru, contest.motto_en), page_caption(cover_page)),
        months=tuple(MonthPage(m, drawing(pages[m]), page_caption(pages[m]) or blank,
                               fact(pages[m])) for m in MONTHS),
        back=BackPage(about=about, winners=winners,
                      partners=spec_partners(contest) + tuple(Partner(Text(p))
                                                              for p in options.partners),
                      imprint=spec_imprint(contest)),
        language=options.language, page_format=options.page_format,
        orientation=options.orientation, bleed_mm=options.bleed_mm,
        crop_marks=options.crop_marks, marked_days=marked_days(calendar_year(contest), options),
        transfers=decree_transfers(calendar_year(contest)), holidays_confirmed=holidays_confirmed,
        publisher=PUBLISHER,
    )


def _without_year(title: str) -> str:
    return re.sub(r"[\s—–-]*(?:19|20)\d\d\s*$", "", title).strip() or title
