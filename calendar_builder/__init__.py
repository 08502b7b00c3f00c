"""Print-ready wall calendars from children's drawings. Never imports Flask or ``contest``.

    spec = load_spec(Path("calendar.json"))        # or build the dataclasses directly
    report = build_calendar(spec, "calendar.pdf", progress=None)   # PDF/X-4
    cmyk = build_calendar(spec, "calendar-cmyk.pdf", output=output_for("coated"))  # PDF/X-1a
    render_previews("calendar.pdf", "previews/")   # soft proofs for a CMYK file
"""

from .build import build_calendar
from .cmyk import PrepressError, PrintCondition, printer_condition
from .pdfx import OUTPUT_KINDS, Output, PrepressReport, output_for
from .previews import render_previews
from .report import BuildReport
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
    MarkedDay,
    MonthPage,
    SpecError,
    Text,
    Winner,
    load_spec,
    spec_from_dict,
    world_osteoporosis_day,
)
from .text import TextOverflow

__all__ = [
    "DEFAULT_LANGUAGE",
    "LANGUAGES",
    "BackPage",
    "BuildReport",
    "CalendarSpec",
    "Caption",
    "Colours",
    "Cover",
    "Fact",
    "Fonts",
    "MarkedDay",
    "MonthPage",
    "OUTPUT_KINDS",
    "Output",
    "PrepressError",
    "PrepressReport",
    "PrintCondition",
    "SpecError",
    "Text",
    "TextOverflow",
    "Winner",
    "build_calendar",
    "load_spec",
    "output_for",
    "printer_condition",
    "render_previews",
    "spec_from_dict",
    "world_osteoporosis_day",
]
