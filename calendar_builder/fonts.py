"""The calendar's fonts: registered with ReportLab once, measured by the layout."""

from dataclasses import dataclass
from functools import cache
from pathlib import Path

from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.ttfonts import TTFont

from .spec import Fonts


@dataclass(frozen=True)
class FontNames:
    """ReportLab's names of the four registered faces."""

    regular: str
    bold: str
    italic: str
    display: str


def register_fonts(fonts: Fonts) -> FontNames:
    """Register the spec's TrueType fonts (embedded and subset by ReportLab when used)."""
    return FontNames(
        regular=_register(fonts.regular),
        bold=_register(fonts.bold),
        italic=_register(fonts.italic),
        display=_register(fonts.display),
    )


@cache
def _register(path: Path) -> str:
    # The name is the file's, so two specs with different fonts never share a name.
    name = f"cb-{path.stem}"
    pdfmetrics.registerFont(TTFont(name, str(path)))
    return name


def text_width(text: str, font: str, size: float) -> float:
    """Advance width of ``text`` in points."""
    return pdfmetrics.stringWidth(text, font, size)


def ascent(font: str, size: float) -> float:
    """Height above the baseline of the tallest letters, in points."""
    return pdfmetrics.getAscent(font, size)


def descent(font: str, size: float) -> float:
    """Depth below the baseline (a positive number), in points."""
    return -pdfmetrics.getDescent(font, size)
