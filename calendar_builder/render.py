"""The thin painter: ReportLab draws each page's items exactly where the layout put them."""

import io
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path

from reportlab import rl_config
from reportlab.lib.colors import CMYKColor, Color, HexColor
from reportlab.pdfgen.canvas import Canvas

from .fonts import FontNames
from .geometry import MM, Box
from .images import PreparedImage
from .layout import Bone, Fill, Item, PageLayout, Picture, Ring, Rule
from .text import TextBlock

CROP_MARK_MM = (2.0, 8.0)  # from and to, measured outwards from the bleed
Paint = Callable[[str], Color]  # what a #RRGGBB colour of the layout is painted with
REGISTRATION = CMYKColor(1, 1, 1, 1)  # all four inks: crop marks show on every plate


class JpegSource:
    """A prepared JPEG handed to ``Canvas.drawImage``: embedded as it is, named by ``key``.

    ReportLab passes through the JPEG of any source with ``jpeg_fh()`` and names the image
    by ``str(source)``; a stable key (rather than a temporary file's path) keeps the output
    byte-identical from run to run, and the bytes are never decoded.
    """

    def __init__(self, key: str, data: bytes) -> None:
        self.key = key
        self.data = data

    def jpeg_fh(self) -> io.BytesIO:
        return io.BytesIO(self.data)

    def __str__(self) -> str:
        return self.key


@contextmanager
def raw_streams() -> Iterator[None]:
    """Turn off ReportLab's ASCII85 stream encoding while a calendar is written.

    It only makes binary streams 25% larger and costs most of the time for images. The
    setting is process-wide in ReportLab, so it is restored when the calendar is saved.
    """
    saved = rl_config.useA85
    rl_config.useA85 = 0
    try:
        yield
    finally:
        rl_config.useA85 = saved


def render_pdf(
    layouts: tuple[PageLayout, ...],
    images: Mapping[tuple[int, str], PreparedImage],
    out_path: Path,
    fonts: FontNames,
    *,
    title: str,
    language: str,
    crop_marks: bool,
    author: str = "",
    deterministic: bool,
    on_page: Callable[[int], None] = lambda number: None,
    paint: Paint = HexColor,
    registration: Color = REGISTRATION,
) -> None:
    """Write the PDF: one page per layout, with TrimBox and BleedBox, marks when asked.

    ``paint`` turns the layout's colours into ReportLab's (RGB as they are, or process
    colours for CMYK print); crop marks are drawn in ``registration``.
    """
    frame = layouts[0].frame
    with raw_streams():
        canvas = Canvas(
            str(out_path),
            pagesize=(frame.media.w, frame.media.h),
            invariant=1 if deterministic else 0,
            pageCompression=1,
            initialFontName=fonts.regular,
            lang=language,
        )
        canvas.setTitle(title)
        canvas.setAuthor(author)
        canvas.setCreator("calendar_builder")
        canvas.setTrimBox(_corners(frame.trim))
        canvas.setBleedBox(_corners(frame.bleed))
        for index, layout in enumerate(layouts):
            for item in layout.items:
                _paint(canvas, item, images, index, paint)
            if crop_marks:
                _crop_marks(canvas, layout, registration)
            canvas.showPage()
            on_page(index + 1)
        canvas.save()


def _corners(box: Box) -> tuple[float, float, float, float]:
    return (box.x, box.y, box.right, box.top)


def _paint(canvas: Canvas, item: Item, images: Mapping[tuple[int, str], PreparedImage],
           page: int, paint: Paint) -> None:
    match item:
        case Fill(box, colour, radius):
            canvas.setFillColor(paint(colour))
            if radius:
                canvas.roundRect(box.x, box.y, box.w, box.h, radius, stroke=0, fill=1)
            else:
                canvas.rect(box.x, box.y, box.w, box.h, stroke=0, fill=1)
        case Rule(x1, y1, x2, y2, colour, width):
            canvas.setStrokeColor(paint(colour))
            canvas.setLineWidth(width)
            canvas.line(x1, y1, x2, y2)
        case Ring(cx, cy, r, colour, width):
            canvas.setStrokeColor(paint(colour))
            canvas.setLineWidth(width)
            canvas.circle(cx, cy, r, stroke=1, fill=0)
        case Bone(box, colour):
            _bone(canvas, box, paint(colour))
        case TextBlock():
            canvas.setFillColor(paint(item.colour))
            canvas.setFont(item.font, item.size)
            for line in item.lines:
                canvas.drawString(line.x, line.y, line.text)
        case Picture():
            prepared = images[(page, item.what)]
            canvas.saveState()
            path = canvas.beginPath()
            path.rect(item.box.x, item.box.y, item.box.w, item.box.h)
            canvas.clipPath(path, stroke=0, fill=0)
            canvas.drawImage(JpegSource(f"p{page:02d}-{item.what}", prepared.data),
                             item.image.x, item.image.y, item.image.w, item.image.h)
            canvas.restoreState()


def _bone(canvas: Canvas, box: Box, colour: Color) -> None:
    """A bone lying down: a shaft with two round knobs at each end."""
    canvas.setFillColor(colour)
    r = box.h / 4
    shaft = box.h * 0.36
    canvas.rect(box.x + r, box.y + (box.h - shaft) / 2, box.w - 2 * r, shaft, stroke=0, fill=1)
    for x in (box.x + r, box.right - r):
        for y in (box.y + r, box.top - r):
            canvas.circle(x, y, r, stroke=0, fill=1)


def _crop_marks(canvas: Canvas, layout: PageLayout, registration: Color) -> None:
    """Marks at the trim's corners, drawn outside the bleed in registration colour."""
    trim, bleed = layout.frame.trim, layout.frame.bleed
    near, far = (bleed.x - trim.x - d * MM for d in CROP_MARK_MM)
    canvas.setStrokeColor(registration)
    canvas.setLineWidth(0.25)
    for x, sx in ((trim.x, 1), (trim.right, -1)):
        for y, sy in ((trim.y, 1), (trim.top, -1)):
            # Horizontal and vertical marks on the trim lines, pointing away from the page.
            canvas.line(x + sx * near, y, x + sx * far, y)
            canvas.line(x, y + sy * near, x, y + sy * far)
