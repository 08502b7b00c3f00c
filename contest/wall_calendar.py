"""Assembling the wall calendar from the winning drawings, and the bridge to ``calendar_builder``.

This is the only module of the app that speaks ``calendar_builder``: it turns the contest's
results (the drawings chosen for the cover and the twelve months, their consented captions and
the month's facts) into a ``CalendarSpec``, checks the selection rules, and builds the PDF in a
background job. A national calendar has ``region=None``; a region may print its own.
"""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import tempfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from flask import current_app
from flask_babel import format_date
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, inspect, select

from calendar_builder import (
    GOOD_DPI,
    MIN_DPI,
    OUTPUT_KINDS,
    Output,
    Transfer,
    days_off_problem,
    holidays_years,
    output_for,
    placed_dpi,
    russian_days_off,
    transfer_problems,
)
from calendar_builder import build as builder
from calendar_builder.fonts import register_fonts
from calendar_builder.images import prepare_image
from calendar_builder.layout import Picture, calendar_layout
from calendar_builder.previews import render_previews
from calendar_builder.render import render_pdf
from calendar_builder.spec import (
    BackPage,
    CalendarSpec,
    Caption,
    Cover,
    MarkedDay,
    MonthPage,
    Text,
    Winner,
    world_osteoporosis_day,
)
from calendar_builder.spec import Fact as SpecFact

from . import audit, contests, entries, facts, jobs
from .config import DEFAULT_LANGUAGE
from .contests import RuleError
from .extensions import db
from .i18n import latin
from .models import (
    Award,
    CalendarExport,
    CalendarSlot,
    Contest,
    Entry,
    EntryStatus,
    Fact,
    HolidayDecree,
    Job,
    Phase,
    Region,
    Stage,
)
from .uploads import files
from .uploads.pipeline import redact

COVER = 0
MONTHS = range(1, 13)
SLOTS = range(0, 13)
# A drawing the layout must fit whole (its shape far from the page's) prints small:
# below this share of the page's content area it is flagged.
MIN_SHARE = 0.25


@dataclass(frozen=True)
class Options:
    """How to print: what the organizer chooses on the export form."""

    language: str = DEFAULT_LANGUAGE
    page_format: str = "A4"
    orientation: str = "portrait"
    bleed_mm: float = 3.0
    crop_marks: bool = False
    max_per_region: int = 2
    patient_solidarity_day: date | None = None
    partners: tuple[str, ...] = ()
    output: str = "pdfx4"  # one of OUTPUT_KINDS: rgb, pdfx4, coated, uncoated


@dataclass(frozen=True)
class RuleCheck:
    """One selection rule: passed or not, why, and which pages it concerns.

    A ``warning`` passes but is shown; a rule that is not ``overridable`` stops the export
    whatever the reason given (``no_exception`` says why): the calendar builder itself
    refuses to print it, or the family did not allow it.
    """

    key: str
    ok: bool
    message: str
    slots: tuple[int, ...] = ()
    warning: bool = False
    overridable: bool = True
    no_exception: str = ""


# --- candidates and the board ---------------------------------------------------------------


def candidates(contest: Contest, region: Region | None = None) -> list[Entry]:
    """Drawings that may go in the calendar.

    National: the national winners and the drawings the national jury marked as calendar
    candidates. Regional: the region's accepted entries.
    """
    query = select(Entry).join(Stage).where(Entry.contest_id == contest.id,
                                            Entry.personal_data_erased_at.is_(None))
    if region is not None:
        query = query.where(Stage.region_id == region.id, Entry.status == EntryStatus.ACCEPTED)
        return list(db.session.scalars(query.order_by(Entry.id)))
    found = [e for e in db.session.scalars(query.order_by(Entry.id)) if _national_candidate(e)]
    return sorted(found, key=lambda e: (e.award is not Award.WINNER, e.stage.region.name, e.id))


def _national_candidate(entry: Entry) -> bool:
    return entry.award is Award.WINNER or entry.calendar_candidate


def honoured(contest: Contest, region: Region | None,
             pages: dict[int, CalendarSlot]) -> list[Entry]:
    """Who the back page lists: the national winners (a region's calendar: the region's
    finalists and winners) whose families agreed to printing; the calendar's own drawings
    while no result is published."""
    query = select(Entry).join(Stage).where(Entry.contest_id == contest.id,
                                            Entry.personal_data_erased_at.is_(None))
    if region is None:
        query = query.where(Entry.award == Award.WINNER)
    else:
        query = query.where(Stage.region_id == region.id, Entry.award.is_not(None))
    found = [e for e in db.session.scalars(query.order_by(Entry.age_category_id, Entry.id))
             if printable(e)]
    return found or [p.entry for p in pages.values() if p.entry is not None and printable(p.entry)]


def printable(entry: Entry) -> bool:
    """Whether the family allows the drawing in the calendar: a hard rule, never overridden
    (the same consent lets public pages show it, ``entries.drawing_shown_publicly``)."""
    return entries.drawing_shown_publicly(entry)


def consent_refusal(slots) -> str:
    """Why pages whose family did not allow printing cannot be printed, in plain words."""
    return str(_l("The family did not allow printing the drawing on %(pages)s, or withdrew "
                  "their consent: it cannot go in the calendar and no one can make an "
                  "exception. Choose another drawing.", pages=_page_names(slots)))


def editions() -> list[Contest]:
    """Contests a calendar can be made of, newest first; the default is the first."""
    every = contests.all_contests()
    ready = [c for c in every if c.phase.index >= Phase.CALENDAR.index]
    return ready + [c for c in every if c not in ready and c.phase is not Phase.DRAFT]


def board(contest: Contest, region: Region | None = None) -> dict[int, CalendarSlot]:
    """The thirteen pages (0 = cover) of the calendar being assembled.

    A page never filled is an empty one that is not stored: reading the board never writes.
    The operations that fill pages store them (``_stored_board``).
    """
    rows = {s.slot: s for s in db.session.scalars(select(CalendarSlot).where(
        CalendarSlot.contest_id == contest.id, _region_is(region)))}
    empty = {slot: CalendarSlot(contest_id=contest.id, region_id=_id(region), slot=slot)
             for slot in SLOTS if slot not in rows}
    return dict(sorted({**rows, **empty}.items()))


def _stored_board(contest: Contest, region: Region | None) -> dict[int, CalendarSlot]:
    """The board with every page stored, for an operation that fills some."""
    pages = board(contest, region)
    db.session.add_all(page for page in pages.values() if inspect(page).transient)
    db.session.flush()
    return pages


def _region_is(region: Region | None):
    if region is None:
        return CalendarSlot.region_id.is_(None)
    return CalendarSlot.region_id == region.id


def _id(region: Region | None) -> int | None:
    return region.id if region else None


def assign(contest: Contest, region: Region | None, slot: int, entry: Entry | None) -> None:
    """Put a drawing on a page (or clear it); a drawing already on another page moves. Commits.

    A drawing the family did not allow printing is refused (``RuleError``), whoever asks.
    """
    if slot not in SLOTS:
        raise ValueError(slot)
    pages = _stored_board(contest, region)
    if entry is not None:
        if entry.id not in {e.id for e in candidates(contest, region)}:
            raise ValueError("not a candidate")
        if not printable(entry):
            raise RuleError(_l("The family of «%(title)s» did not allow printing it: it cannot "
                               "go in the calendar, and no one can make an exception.",
                               title=entry.title))
        for other in pages.values():
            if other.entry_id == entry.id and other.slot != slot:
                other.entry_id = pages[slot].entry_id  # swap: the page's drawing goes there
    pages[slot].entry_id = entry.id if entry else None
    audit.record("calendar.assign", contest, region=_id(region), slot=slot,
                 entry=entry.id if entry else None)
    db.session.commit()


def set_fact(contest: Contest, region: Region | None, slot: int, fact: Fact | None) -> None:
    if slot not in MONTHS:
        raise ValueError(slot)
    _stored_board(contest, region)[slot].fact_id = fact.id if fact else None
    db.session.commit()


def suggest_facts(contest: Contest, region: Region | None) -> int:
    """Give every month without a fact one from the library (a fact tied to that month first),
    never repeating one already in the calendar; commits. Returns how many pages got one."""
    facts.seed()
    pages = _stored_board(contest, region)
    taken = {p.fact_id for p in pages.values() if p.fact_id}
    offered = facts.suggest_for_months((m for m in MONTHS if not pages[m].fact_id), taken)
    for month, fact in offered.items():
        pages[month].fact_id = fact.id
    db.session.commit()
    return len(offered)


# --- the rules --------------------------------------------------------------------------------


def check(contest: Contest, region: Region | None, options: Options) -> list[RuleCheck]:
    """Every selection rule, passed or not, with the pages it concerns."""
    pages = board(contest, region)
    chosen = {slot: p.entry for slot, p in pages.items() if p.entry is not None}
    results = []
    missing = [s for s in SLOTS if s not in chosen]
    results.append(RuleCheck("complete", not missing, str(
        _l("Every page has a drawing.") if not missing else
        _l("Pages without a drawing: %(pages)s.", pages=_page_names(missing))), tuple(missing)))
    wanted = {c.name for c in contest.age_categories}
    present = {e.age_category.name for e in chosen.values()}
    absent = sorted(wanted - present)
    results.append(RuleCheck("categories", not absent, str(
        _l("Every age category is represented.") if not absent else
        _l("Not represented: %(names)s.", names=", ".join(absent)))))
    if region is None:
        per_region = Counter(e.stage.region.name for e in chosen.values())
        over = {name: n for name, n in per_region.items() if n > options.max_per_region}
        slots = tuple(s for s, e in chosen.items() if e.stage.region.name in over)
        results.append(RuleCheck("per_region", not over, str(
            _l("At most %(n)s drawings per region.", n=options.max_per_region) if not over else
            _l("Too many drawings from %(names)s (at most %(n)s per region).",
               names=", ".join(f"{k} ({v})" for k, v in over.items()),
               n=options.max_per_region)), slots))
    children = Counter(entries.child_key(e) for e in chosen.values())
    twice = tuple(s for s, e in chosen.items() if children[entries.child_key(e)] > 1)
    results.append(RuleCheck("one_per_child", not twice, str(
        _l("One drawing per child.") if not twice else
        _l("The same child twice: %(pages)s.", pages=_page_names(twice))), twice))
    # Pages placed before a family withdrew its consent: flagged here, and never exported.
    unconsented = tuple(s for s, e in chosen.items() if not printable(e))
    results.append(RuleCheck("consent", not unconsented, str(
        _l("Every family agreed to printing.") if not unconsented else
        _l("No consent to print: %(pages)s.", pages=_page_names(unconsented))), unconsented,
        overridable=False, no_exception=consent_refusal(unconsented) if unconsented else ""))
    placed = placements(contest, region, options) if chosen else {}
    blurred = tuple(s for s, (dpi, _cut) in placed.items() if dpi < MIN_DPI)
    results.append(RuleCheck("resolution", not blurred, str(
        _l("Every drawing is sharp enough for %(format)s.", format=options.page_format)
        if not blurred else _l("Too small for %(format)s (under %(dpi)s dpi): %(pages)s.",
                               format=options.page_format, dpi=MIN_DPI,
                               pages=_page_names(blurred))),
        blurred, overridable=False,
        no_exception=str(_l("No exception is possible: the printer could not use it."))))
    soft = tuple(s for s, (dpi, _cut) in placed.items() if MIN_DPI <= dpi < GOOD_DPI)
    if soft:
        results.append(RuleCheck("soft", True, str(_l(
            "Soft in print (%(low)s to %(high)s dpi): %(pages)s. A larger photo or scan of "
            "these drawings would print sharper.", low=MIN_DPI, high=GOOD_DPI,
            pages=_page_names(soft))), soft, warning=True))
    year = calendar_year(contest)
    entered = decree(year) is not None
    known = entered or days_off_problem(year, None, confirmed=False) is None
    results.append(RuleCheck("days_off", known, str(
        _l("The days off of %(year)s follow the decree entered by an organizer.", year=year)
        if entered else _l("The days off of %(year)s are known.", year=year) if known else
        _l("The government's decree moving the days off of %(year)s is not known yet: enter "
           "it on the days-off page, or override to print the public holidays with the "
           "Labour Code's own transfers alone.", year=year))))
    small = tuple(s for s, (_dpi, share) in placed.items() if share < MIN_SHARE)
    results.append(RuleCheck("orientation", not small, str(
        _l("Every drawing's shape suits its page.") if not small else
        _l("The drawing's shape does not suit the page layout: it would print small. Choose a "
           "drawing of the page's orientation for: %(pages)s.", pages=_page_names(small))), small))
    return results


def page_name(slot: int) -> str:
    """“Cover” or the month's name, in the current language."""
    return str(_l("Cover")) if slot == COVER else format_date(date(2000, slot, 1), "LLLL")


def _page_names(slots) -> str:
    return ", ".join(page_name(s) for s in slots)


def placements(contest: Contest, region: Region | None, options: Options
               ) -> dict[int, tuple[float, float]]:
    """Per page with a drawing: (effective dpi, share of the page's content area it covers).

    Uses the calendar builder's own layout, so the check sees exactly what will print.
    """
    spec = to_spec(contest, region, options, allow_gaps=True)
    layouts = calendar_layout(spec, builder.drawing_sizes(spec), register_fonts(spec.fonts))
    pages = board(contest, region)
    found = {}
    for slot, layout in zip(SLOTS, layouts, strict=False):
        if pages[slot].entry is None or not printable(pages[slot].entry):
            continue  # an empty page, or one that shows the placeholder
        picture = next(i for i in layout.items if isinstance(i, Picture) and i.what == "drawing")
        content = layout.frame.content
        share = (picture.box.w * picture.box.h) / (content.w * content.h)
        found[slot] = (round(placed_dpi(picture)), round(share, 3))
    return found


# --- the bridge: results to a calendar specification ----------------------------------------

PLACEHOLDER = Path(__file__).parent / "data" / "placeholder.jpg"


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
                   town=Text(entry.town, latin(entry.town)), title=Text(entry.title))


def marked_days(year: int, options: Options) -> tuple[MarkedDay, ...]:
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
            link_into: Path | None = None, holidays_confirmed: bool = False) -> CalendarSpec:
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
    """
    pages = board(contest, region)
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
                      partners=tuple(Text(p) for p in options.partners)),
        language=options.language, page_format=options.page_format,
        orientation=options.orientation, bleed_mm=options.bleed_mm,
        crop_marks=options.crop_marks, marked_days=marked_days(calendar_year(contest), options),
        transfers=decree_transfers(calendar_year(contest)), holidays_confirmed=holidays_confirmed,
        publisher=PUBLISHER,
    )


def printed_entries(contest: Contest, region: Region | None) -> list[int]:
    """The entries a calendar built now prints (its pages' drawings and captions, the back
    page's names and thumbnails): what an erasure of one of them must withdraw."""
    pages = board(contest, region)
    return sorted({p.entry_id for p in pages.values() if p.entry_id}
                  | {e.id for e in honoured(contest, region, pages)})


PUBLISHER = Text("Общественная организация пациентов для профилактики остеопороза",
                 "Patient society for osteoporosis prevention")


def _without_year(title: str) -> str:
    return re.sub(r"[\s—–-]*(?:19|20)\d\d\s*$", "", title).strip() or title


def preview_png(contest: Contest, region: Region | None, options: Options, slot: int,
                dpi: int = 60) -> bytes:
    """One page as it will print, from the web-size drawings: the live preview."""
    spec = to_spec(contest, region, options, allow_gaps=True, kind="preview")
    fonts = register_fonts(spec.fonts)
    layout = calendar_layout(spec, builder.drawing_sizes(spec), fonts)[slot]
    images = {(0, p.what): prepare_image(p.source, (p.image.w / 72, p.image.h / 72))
              for p in layout.items if isinstance(p, Picture)}
    work = Path(tempfile.mkdtemp(prefix="preview-"))
    try:
        render_pdf((layout,), images, work / "page.pdf", fonts, title="preview",
                   language=spec.language, crop_marks=False, deterministic=True)
        return render_previews(work / "page.pdf", work, dpi=dpi)[0].read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


# --- export -------------------------------------------------------------------------------


def options_from(params: dict) -> Options:
    values = dict(params.get("options", {}))
    if values.get("patient_solidarity_day"):
        values["patient_solidarity_day"] = date.fromisoformat(values["patient_solidarity_day"])
    values["partners"] = tuple(values.get("partners", ()))
    return Options(**values)


def options_params(options: Options) -> dict:
    values = dataclasses.asdict(options)
    if options.patient_solidarity_day:
        values["patient_solidarity_day"] = options.patient_solidarity_day.isoformat()
    values["partners"] = list(options.partners)
    return values


def failing(checks: list[RuleCheck], overrides: dict[str, str]) -> list[RuleCheck]:
    """Rules broken and not overridden with a reason (or that no reason overrides)."""
    return [c for c in checks if not c.ok
            and (not c.overridable or not overrides.get(c.key, "").strip())]


def start_export(contest: Contest, region: Region | None, options: Options,
                 overrides: dict[str, str], user_id: int | None, back: str = "") -> Job:
    """Check the rules and queue the export; overridden rules are logged with their reasons."""
    checks = check(contest, region, options)
    if failing(checks, overrides):
        raise ValueError("rules broken")
    used = [{"rule": c.key, "message": c.message, "reason": overrides[c.key].strip()}
            for c in checks if not c.ok]
    for override in used:
        audit.record("calendar.override", contest, region=_id(region), **override)
    db.session.commit()
    return jobs.start("calendar", user_id, contest.id, region_id=_id(region),
                      options=options_params(options), overrides=used, back=back)


@jobs.handler("calendar")
def export_job(job: Job, progress: Callable[[int, int, str], None]) -> tuple[str, str]:
    """Build the PDF, its preflight report and page previews, and keep them as a version."""
    contest = db.session.get(Contest, job.contest_id)
    region_id = job.params.get("region_id")
    region = db.session.get(Region, region_id) if region_id else None
    options = options_from(job.params)
    version = 1 + (db.session.scalar(select(func.max(CalendarExport.version)).where(
        CalendarExport.contest_id == contest.id, CalendarExport.region_id.is_(None)
        if region is None else CalendarExport.region_id == region.id)) or 0)
    name = (f"calendar-{calendar_year(contest)}-{region.code if region else 'national'}"
            f"-v{version}-{options.language}-{options.page_format}-{options.orientation}"
            f"-{options.output}")
    store = files.storage()
    # The job's own folder: a try that dies leaves nothing the next one does not replace.
    prefix = jobs.output_prefix(job)
    work = jobs.workdir(job)
    (work / "drawings").mkdir()
    confirmed = any(o["rule"] == "days_off" for o in job.params.get("overrides", []))
    spec = to_spec(contest, region, options, link_into=work / "drawings",
                   holidays_confirmed=confirmed)
    pdf = work / f"{name}.pdf"
    built = builder.build_calendar(spec, pdf, progress=lambda d, t, _m: progress(
        d, t + 2, _("Building the calendar: step %(done)s of %(total)s", done=d, total=t)),
        output=print_output(options.output))
    report = dataclasses.replace(built, output=pdf.name)
    preflight = report.to_dict()
    for image in (i for page in preflight["pages"] for i in page["images"]):
        image["source"] = Path(image["source"]).name  # entry-<id>.jpg, not our folders
    progress(1, 1, _("Page previews for the site"))
    previews = render_previews(pdf, work / "previews", dpi=40)  # soft proofs for CMYK
    with pdf.open("rb") as source, store.writer(f"{prefix}/{name}.pdf") as out:
        shutil.copyfileobj(source, out, 1 << 20)
    store.put(f"{prefix}/preflight.json",
              json.dumps(preflight, ensure_ascii=False, indent=1).encode())
    store.put(f"{prefix}/preflight.txt", report.to_text().encode())
    preview_keys = []
    for n, path in enumerate(previews, start=1):
        key = f"{prefix}/page-{n:02d}.png"
        store.put(key, path.read_bytes())
        preview_keys.append(key)
    job.entry_ids = printed_entries(contest, region)
    db.session.add(CalendarExport(
        contest_id=contest.id, region_id=_id(region), version=version, job_id=job.id,
        entry_ids=job.entry_ids,
        language=options.language, page_format=options.page_format,
        options=options_params(options), output=options.output,
        pdf_key=f"{prefix}/{name}.pdf",
        report=preflight, preview_keys=preview_keys,
        overrides=job.params.get("overrides", []), user_id=job.user_id))
    return f"{prefix}/{name}.pdf", f"{name}.pdf"


# The export history's short names of the files (the form says what each is for).
OUTPUT_NAMES = {"rgb": "RGB", "pdfx4": "PDF/X-4", "coated": _l("PDF/X-1a, coated paper"),
                "uncoated": _l("PDF/X-1a, uncoated paper")}


def print_output(kind: str) -> Output:
    """The calendar file for ``kind`` (OUTPUT_KINDS), with the printer's own profile and ink
    limit for that paper when the installation sets them (CALENDAR_PRINTER_PROFILES,
    CALENDAR_INK_LIMITS)."""
    if kind not in OUTPUT_KINDS:
        raise ValueError(f"unknown calendar output {kind!r}")
    profile = current_app.config["CALENDAR_PRINTER_PROFILES"].get(kind)
    return output_for(kind, Path(profile) if profile else None,
                      current_app.config["CALENDAR_INK_LIMITS"].get(kind))


EXPORT_FILES = ("preflight.json", "preflight.txt")


def export_file_key(export: CalendarExport, name: str) -> str | None:
    """The storage key of one of an export's files by its name, if it has such a file."""
    prefix, pdf_name = export.pdf_key.rsplit("/", 1)
    names = {pdf_name, *EXPORT_FILES, *(k.rsplit("/", 1)[1] for k in export.preview_keys)}
    return f"{prefix}/{name}" if name in names else None


def history(contest: Contest, region: Region | None) -> list[CalendarExport]:
    return list(db.session.scalars(select(CalendarExport).where(
        CalendarExport.contest_id == contest.id,
        CalendarExport.region_id.is_(None) if region is None
        else CalendarExport.region_id == region.id).order_by(CalendarExport.version.desc())))


# --- days off: the government's decree for a year ------------------------------------------


def known_years() -> range:
    """The years whose days off the calendar builder knows without a decree entered here."""
    return holidays_years()


def decree(year: int) -> HolidayDecree | None:
    """The decree an organizer entered for ``year``, if any."""
    return db.session.scalar(select(HolidayDecree).where(HolidayDecree.year == year))


def decree_transfers(year: int) -> tuple[Transfer, ...] | None:
    """The transfers of the decree entered for ``year``; None when none was entered."""
    row = decree(year)
    if row is None:
        return None
    return tuple(Transfer(date.fromisoformat(t["from"]), date.fromisoformat(t["to"]))
                 for t in row.transfers)


def decree_problems(year: int, transfers: list[tuple[date, date]]) -> list[int]:
    """The rows of ``transfers`` the calendar would refuse (see ``transfer_problems``)."""
    found = transfer_problems(year, tuple(Transfer(a, b) for a, b in transfers))
    return sorted({index for index, _key, _message in found})


def save_decree(year: int, reference: str, transfers: list[tuple[date, date]],
                user_id: int | None) -> HolidayDecree:
    """Enter or replace the decree of ``year``; logged. The caller commits."""
    if decree_problems(year, transfers):
        raise ValueError("transfers the calendar cannot print")
    row = decree(year) or HolidayDecree(year=year)
    row.reference = reference.strip()
    row.transfers = [{"from": a.isoformat(), "to": b.isoformat()} for a, b in sorted(transfers)]
    row.user_id = user_id
    db.session.add(row)
    db.session.flush()
    audit.record("calendar.decree", row, year=year, reference=row.reference,
                 transfers=row.transfers)
    return row


def days_off_summary(year: int, language: str) -> tuple[list[tuple[date, str]],
                                                         list[tuple[date, str]]]:
    """What the calendar of ``year`` will print: the weekdays off and the weekend days worked,
    each with its legend label, so an organizer can compare them with the official calendar."""
    transfers = decree_transfers(year)
    if transfers is None and days_off_problem(year, None, False) is not None:
        transfers = ()  # the Labour Code alone: what an override would print
    named, working = russian_days_off(year, language, transfers)
    return (sorted((d, label) for d, label in named.items() if d.weekday() < 5),
            sorted(working.items()))
