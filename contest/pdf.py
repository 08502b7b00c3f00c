"""What the app's own PDFs (certificates, the yearly report) share: faces, colours, streams.

The faces are the calendar's (PT Sans and Comfortaa, registered once by ``calendar_builder``);
``raw_streams`` turns off ReportLab's ASCII85 encoding while a PDF is written, which would
otherwise cost most of the time; ``JpegSource`` embeds a JPEG as it is.
"""

from reportlab.lib.colors import HexColor

from calendar_builder import FontNames, Fonts, JpegSource, raw_streams, register_fonts

__all__ = ["ACCENT", "BAR", "HEADER", "INK", "PAPER", "RULE", "SUN", "WHITE", "JpegSource",
           "fonts", "raw_streams"]

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
