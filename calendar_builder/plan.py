"""The calendar laid out once, before a pixel is decoded: what a caller checks, previews and builds.

``plan_calendar(spec)`` reads every drawing's header, lays the fourteen pages out and lists
what a build would refuse, without refusing: a caller (the contest's calendar board) shows
each drawing's placed size and resolution beside its own rules. ``build_calendar(spec, out,
plan=plan)`` prints from the plan and ``preview_page(plan, index)`` paints one of its pages,
so neither lays the calendar out again.
"""

import shutil
import tempfile
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from reportlab.pdfbase.ttfonts import TTFError

from .days import days_off_problem
from .fonts import FontNames, register_fonts
from .geometry import MM
from .images import MIN_DPI, DrawingError, DrawingInfo, inspect_drawing, prepare_image, quiet_pillow
from .layout import PageLayout, Picture, calendar_layout
from .previews import render_previews
from .render import render_pdf
from .spec import CalendarSpec, SpecError

# The size a drawing that cannot be read is laid out at, so that the other pages are
# still checked.
STAND_IN = (3000, 2000)


@dataclass(frozen=True)
class PlacedDrawing:
    """One drawing where it prints: its placed size and the resolution it prints at there."""

    what: str  # "drawing" on the cover and months; the back page's thumbnails are "winner N"
    source: Path
    pixels: tuple[int, int]  # the source's upright size (a stand-in's when not ``readable``)
    size_mm: tuple[float, float]  # the whole drawing's placed width and height
    dpi: float  # the source's pixels per inch at that size, the lower of its two directions
    share: float  # the part that shows, as a share of the page's content area
    crop: Mapping[str, float]  # the share of its width or height cut at each side
    readable: bool = True


@dataclass(frozen=True)
class PagePlan:
    """One page laid out: its name (``cover``, ``month 03 (Март)``, ``back``) and drawings."""

    index: int  # 0 the cover, 1–12 the months, 13 the back
    name: str
    layout: PageLayout
    drawings: tuple[PlacedDrawing, ...]

    def drawing(self, what: str = "drawing") -> PlacedDrawing | None:
        """The page's drawing named ``what`` (the cover's and months' own by default)."""
        return next((d for d in self.drawings if d.what == what), None)


@dataclass(frozen=True)
class CalendarPlan:
    """A calendar laid out: its pages in print order and what a build would refuse.

    ``problems`` lists, each naming its page, the year's unknown days off, every drawing
    that cannot be used and every drawing below ``MIN_DPI`` at its placed size; a build
    from a plan with problems raises ``SpecError`` listing them all.
    """

    spec: CalendarSpec
    fonts: FontNames
    pages: tuple[PagePlan, ...]
    drawings: Mapping[Path, DrawingInfo]  # the readable drawings and logos, from their headers
    problems: tuple[str, ...] = ()

    @property
    def layouts(self) -> tuple[PageLayout, ...]:
        return tuple(page.layout for page in self.pages)

    def raise_problems(self) -> None:
        """Raise ``SpecError`` listing every problem, if there is any."""
        if self.problems:
            raise SpecError(list(self.problems))


def plan_calendar(spec: CalendarSpec) -> CalendarPlan:
    """Lay ``spec``'s calendar out once, opening each drawing's header only.

    Never refuses a drawing or a year (see ``CalendarPlan.problems``); raises ``SpecError``
    only for fonts that cannot be read, without which nothing can be laid out.
    """
    problems = []
    if problem := days_off_problem(spec.year, spec.transfers, spec.holidays_confirmed):
        problems.append(problem)
    drawings, unreadable = {}, set()
    with quiet_pillow():
        for path in spec.images:
            try:
                drawings[path] = inspect_drawing(path)
            except DrawingError as error:
                problems.append(f"{', '.join(spec.pages_of(path))}: {error}")
                unreadable.add(path)
    try:
        fonts = register_fonts(spec.fonts)
    except (TTFError, OSError, ValueError) as error:
        raise SpecError([*problems, f"fonts: cannot be used ({error})"]) from error
    sizes = {path: drawings[path].pixels if path in drawings else STAND_IN
             for path in spec.images}
    layouts = calendar_layout(spec, sizes, fonts)
    problems += [f"{layout.name}: {_too_soft(picture)}" for layout in layouts
                 for picture in layout.pictures
                 if picture.source not in unreadable and placed_dpi(picture) < MIN_DPI - 0.5]
    pages = tuple(
        PagePlan(index, layout.name, layout, tuple(
            _placed(picture, layout, picture.source not in unreadable)
            for picture in layout.pictures))
        for index, layout in enumerate(layouts))
    return CalendarPlan(spec, fonts, pages, drawings, tuple(problems))


def preview_page(plan: CalendarPlan, index: int, dpi: float = 60) -> bytes:
    """Page ``index`` of ``plan`` (0 the cover) as it will print, as PNG bytes at ``dpi``.

    The drawings are prepared for this page only; the plan's problems do not stop a
    preview (a drawing too soft for print still shows), an unreadable drawing does
    (``DrawingError`` naming the page).
    """
    page = plan.pages[index]
    try:
        images = {(0, p.what): prepare_image(p.source, (p.image.w / 72, p.image.h / 72))
                  for p in page.layout.pictures}
    except DrawingError as error:
        raise DrawingError(f"{page.name}: {error}") from error
    work = Path(tempfile.mkdtemp(prefix="calendar-preview-"))
    try:
        render_pdf((page.layout,), images, work / "page.pdf", plan.fonts, title="preview",
                   language=plan.spec.language, crop_marks=False, deterministic=True)
        return render_previews(work / "page.pdf", work, dpi=dpi)[0].read_bytes()
    finally:
        shutil.rmtree(work, ignore_errors=True)


def placed_dpi(picture: Picture) -> float:
    """The source's pixels per inch at its placed size, the lower of its two directions."""
    width_in, height_in = picture.image.w / 72, picture.image.h / 72
    return min(picture.pixels[0] / width_in, picture.pixels[1] / height_in)


def _placed(picture: Picture, layout: PageLayout, readable: bool) -> PlacedDrawing:
    content = layout.frame.content
    return PlacedDrawing(
        what=picture.what,
        source=picture.source,
        pixels=picture.pixels,
        size_mm=(picture.image.w / MM, picture.image.h / MM),
        dpi=placed_dpi(picture),
        share=(picture.box.w * picture.box.h) / (content.w * content.h),
        crop=picture.crop,
        readable=readable,
    )


def _too_soft(picture: Picture) -> str:
    needed = (round(picture.image.w / 72 * MIN_DPI), round(picture.image.h / 72 * MIN_DPI))
    return (f"{picture.what} {picture.source.name} would print at {placed_dpi(picture):.0f} ppi "
            f"({picture.pixels[0]} × {picture.pixels[1]} pixels over "
            f"{picture.image.w / MM:.0f} × {picture.image.h / MM:.0f} mm); at least {MIN_DPI} ppi "
            f"are needed: use a larger scan or photo, at least {needed[0]} × {needed[1]} pixels")
