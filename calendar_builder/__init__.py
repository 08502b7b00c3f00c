"""Print-ready wall calendars from children's drawings. Never imports Flask or ``contest``.

    spec = load_spec(Path("calendar.json"))        # or build the dataclasses directly
    report = build_calendar(spec, "calendar.pdf", progress=None)   # PDF/X-4
    cmyk = build_calendar(spec, "calendar-cmyk.pdf", output=output_for("coated"))  # PDF/X-1a
    render_previews("calendar.pdf", "previews/")   # soft proofs for a CMYK file

    plan = plan_calendar(spec)                     # laid out once: placed sizes, dpi, problems
    png = preview_page(plan, 3)                    # March as it will print
    build_calendar(spec, "calendar.pdf", plan=plan)  # printed from that layout
"""

from .build import build_calendar, preflight
from .cmyk import PrepressError, PrintCondition, printer_condition
from .days import days_off_problem, holidays_years, russian_days_off
from .fonts import FontNames, register_fonts
from .images import GOOD_DPI, MIN_DPI, DrawingError
from .pdfx import OUTPUT_KINDS, Output, PrepressReport, output_for
from .plan import CalendarPlan, PagePlan, PlacedDrawing, placed_dpi, plan_calendar, preview_page
from .previews import render_previews
from .render import JpegSource, raw_streams
from .report import BuildReport
from .samples import make_drawing
from .spec import (
    DEFAULT_LANGUAGE,
    LANGUAGES,
    BackPage,
    CalendarSpec,
    Caption,
    Colours,
    Cover,
    Fact,
    Fonts,
    Imprint,
    MarkedDay,
    MonthPage,
    Partner,
    SpecError,
    Text,
    Transfer,
    Winner,
    load_spec,
    spec_from_dict,
    transfer_problems,
    world_osteoporosis_day,
)
from .text import TextOverflow

__all__ = [
    "FontNames",
    "JpegSource",
    "make_drawing",
    "raw_streams",
    "register_fonts",
    "DEFAULT_LANGUAGE",
    "GOOD_DPI",
    "LANGUAGES",
    "MIN_DPI",
    "OUTPUT_KINDS",
    "BackPage",
    "BuildReport",
    "CalendarPlan",
    "CalendarSpec",
    "Caption",
    "Colours",
    "Cover",
    "DrawingError",
    "Fact",
    "Fonts",
    "Imprint",
    "MarkedDay",
    "MonthPage",
    "Output",
    "PagePlan",
    "Partner",
    "PlacedDrawing",
    "PrepressError",
    "PrepressReport",
    "PrintCondition",
    "SpecError",
    "Text",
    "TextOverflow",
    "Transfer",
    "Winner",
    "build_calendar",
    "days_off_problem",
    "holidays_years",
    "load_spec",
    "output_for",
    "placed_dpi",
    "plan_calendar",
    "preflight",
    "preview_page",
    "printer_condition",
    "render_previews",
    "russian_days_off",
    "spec_from_dict",
    "transfer_problems",
    "world_osteoporosis_day",
]
