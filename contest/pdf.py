"""What the app's own PDFs (certificates, the yearly report) share: faces, colours, streams,
and the one way text becomes a paragraph.

The faces are the calendar's (PT Sans and Comfortaa, registered once by ``calendar_builder``);
``raw_streams`` turns off ReportLab's ASCII85 encoding while a PDF is written, which would
otherwise cost most of the time; ``JpegSource`` embeds a JPEG as it is.

ReportLab reads a ``Paragraph``'s text as markup: ``<img src="/etc/passwd"/>`` in a contest's
title would embed a file of the server, ``<font size=80>`` would swallow the page, an
unbalanced ``<`` would end the PDF in an error. Every paragraph is therefore made by
``paragraph``, which escapes the text; nothing else in the app builds a ``Paragraph``. Text
drawn on a canvas (certificates, the calendar, chart labels, table cells given as strings) is
never read as markup.
"""

from xml.sax.saxutils import escape

from reportlab.lib.colors import HexColor
from reportlab.lib.styles import ParagraphStyle
from reportlab.platypus import Paragraph

from calendar_builder import FontNames, Fonts, JpegSource, raw_streams, register_fonts

__all__ = ["ACCENT", "BAR", "HEADER", "INK", "PAPER", "RULE", "SUN", "WHITE", "JpegSource",
           "fonts", "paragraph", "raw_streams"]

INK = HexColor("#1d3557")  # text, headings
ACCENT = HexColor("#e85d04")  # titles, the inner frame, the age chart
SUN = HexColor("#ffb703")  # the certificate's outer frame
PAPER = HexColor("#fffaf0")  # the certificate's cream
RULE = HexColor("#e4ddd2")  # thin lines: table rows, a drawing's mount
HEADER = HexColor("#eef4fb")  # a table's header row
BAR = HexColor("#2a5d8f")  # the regions chart
WHITE = HexColor("#ffffff")


def fonts() -> FontNames:
    """ReportLab's names of the four faces, registered on first use."""
    return register_fonts(Fonts())


def paragraph(text: object, style: ParagraphStyle) -> Paragraph:
    """A paragraph showing ``text`` exactly as written: ``<``, ``>`` and ``&`` are text, never
    markup, whoever wrote it (an organizer, a family, a translator)."""
    return Paragraph(escape(str(text)), style)
