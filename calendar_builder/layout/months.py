"""A month's page: the drawing, its caption and the fact arranged around the month's grid.

Portrait pages share one calendar zone at the foot (``ZonePlan``: the same box, rows and day
numbers on all twelve); the drawing, its caption and the fact fill the area above it, the
drawing across the top with the fact under it, or a tall drawing at the left with the fact
and caption beside it: whichever shows the drawing larger. Landscape pages: the drawing at
the left, the grid down the right (two arrangements, by the drawing's shape).
"""

import datetime as dt

from ..days import MonthGrid, month_grid
from ..fonts import FontNames
from ..geometry import MONTH_MARGIN_MM, Box, page_frame
from ..spec import CalendarSpec, MonthPage
from ..text import TextBlock, TextOverflow
from .blocks import (
    CAPTION_GAP,
    CAPTION_H,
    GAP,
    MAX_CROP,
    caption_block,
    clamp,
    fact_height,
    fact_panel,
    place_picture,
)
from .grid import (
    GridFit,
    GridPlan,
    ZonePlan,
    calendar_block,
    calendar_zone,
    full_size_grid_width,
    grid_fit,
)
from .items import Item, PageLayout, Picture, Style
from .minis import MINI_GAP, mini_pair, mini_size, minis_height
from .strip import calendar_strip

# The most a fact panel under or beside the grid takes, in mm of the A4 design: it is only
# as tall as its text needs.
FACT_BOX_H = 46.0
# Under a drawing across the page the fact may take up to this height (mm on A4) before it
# shrinks: a long fact costs its own page's drawing a little height, never the grid.
ACROSS_FACT_H = 62.0
USUAL_FACT_H = 30.0  # mm on A4: a fact of two or three lines with its heading and source
# A drawing may lose up to this share of its width or height (half of it at each side) to
# fill its slot.
FILL_CROP = MAX_CROP / 2
ZONE_ABOVE = 4.5  # mm on A4: between the area of the drawing and the calendar zone

Arranged = tuple[list[Item], Box, float]  # the page's items, the grid's box, its max_row


def month_layout(spec: CalendarSpec, page: MonthPage, pixels: tuple[int, int],
                 fonts: FontNames, plan: GridPlan | ZonePlan | None = None) -> PageLayout:
    """A month page: the drawing, its caption, the month's grid and legend, and the fact.

    ``plan`` gives what the grid shares with the calendar's other months
    (``calendar_layout``): on portrait pages the zone (``ZonePlan``), on landscape pages the
    day numbers' size (``GridPlan``).
    """
    style, grid, name = _month_style(spec, page, fonts)
    if isinstance(plan, ZonePlan):
        area = style.frame.content.inset(0, plan.box.top + style.mm(ZONE_ABOVE)
                                         - style.frame.content.y, 0, 0)
        items = portrait_area(area, page, pixels, style, name)
        block = calendar_zone(plan, grid, neighbours(spec, page.month), style, name)
        return PageLayout(name, style.frame, (*items, *block))
    if plan is not None and uses_strip(page, pixels, style, name, plan.strip_h,
                                       neighbours(spec, page.month)):
        content = style.frame.content
        items = landscape_strip_area(page, pixels, style, name, plan.strip_h,
                                     neighbours(spec, page.month))
        block = calendar_strip(Box(content.x, content.y, content.w, plan.strip_h), grid,
                               style, name)
        return PageLayout(name, style.frame, (*items, *block))
    items, calendar, max_row = _landscape_parts(page, pixels, style, name)
    minis_h = minis_height(style)
    block = calendar_block(calendar.inset(0, minis_h, 0, 0), grid, style, name, max_row, plan)
    minis = mini_pair(Box(calendar.x, calendar.y, calendar.w, minis_h),
                      neighbours(spec, page.month), style)
    return PageLayout(name, style.frame, (*items, *block, *minis))


def landscape_strip_area(page: MonthPage, pixels: tuple[int, int], style: Style, name: str,
                         strip_h: float, minis: tuple[MonthGrid, MonthGrid]) -> list[Item]:
    """The drawing, caption, fact and the months around above the strip of days."""
    content = style.frame.content
    area = content.inset(0, strip_h + style.mm(ZONE_ABOVE), 0, 0)
    return portrait_area(area, page, pixels, style, name, minis)


def uses_strip(page: MonthPage, pixels: tuple[int, int], style: Style, name: str,
               strip_h: float, minis: tuple[MonthGrid, MonthGrid]) -> bool:
    """Whether the landscape page shows its drawing larger above a strip of days than beside
    a grid down the right."""
    if not strip_h:
        return False
    try:
        strip = _picture_area(landscape_strip_area(page, pixels, style, name, strip_h, minis))
    except TextOverflow:
        return False
    try:
        side = _picture_area(_landscape_parts(page, pixels, style, name)[0])
    except TextOverflow:
        return True
    return strip >= side


def month_fit(spec: CalendarSpec, page: MonthPage, pixels: tuple[int, int],
              fonts: FontNames) -> GridFit:
    """How the month's grid would fit its landscape page if it shared nothing."""
    style, grid, name = _month_style(spec, page, fonts)
    _, calendar, max_row = _landscape_parts(page, pixels, style, name)
    return grid_fit(calendar.inset(0, minis_height(style), 0, 0), grid, style, name, max_row)


def month_grid_of(spec: CalendarSpec, month: int, year: int | None = None) -> MonthGrid:
    """The grid of ``month`` (of the calendar's year unless ``year``) with its days off."""
    year = spec.year if year is None else year
    own = year == spec.year
    return month_grid(year, month, spec.language, spec.days_to_mark if own else (),
                      spec.transfers if own else None)


def neighbours(spec: CalendarSpec, month: int) -> tuple[MonthGrid, MonthGrid]:
    """The real months before and after ``month``: December of the year before January,
    January of the year after December."""
    first = dt.date(spec.year, month, 1)
    before = first - dt.timedelta(days=1)
    after = (first + dt.timedelta(days=31)).replace(day=1)
    return (month_grid_of(spec, before.month, before.year),
            month_grid_of(spec, after.month, after.year))


def _month_style(spec: CalendarSpec, page: MonthPage, fonts: FontNames
                 ) -> tuple[Style, MonthGrid, str]:
    style = Style(page_frame(spec, MONTH_MARGIN_MM), fonts, spec.colours, spec.language)
    grid = month_grid_of(spec, page.month)
    return style, grid, f"month {page.month:02d} ({grid.name})"


def _landscape_parts(page: MonthPage, pixels: tuple[int, int], style: Style,
                     name: str) -> Arranged:
    """The drawing down the left, the grid (at the day numbers' design size) at the right."""
    return _landscape_page_tall_drawing(page, pixels, style, name)


def _caption_under(picture: Picture, page: MonthPage, style: Style, name: str) -> TextBlock:
    """The caption under the drawing, right-aligned, on one line or two when it must."""
    box = Box(picture.box.x, picture.box.y - style.mm(CAPTION_GAP + CAPTION_H), picture.box.w,
              style.mm(CAPTION_H))
    try:
        return caption_block(page.caption, box, style, name)
    except TextOverflow:
        return caption_block(page.caption, Box(box.x, box.y - style.mm(CAPTION_H) * 0.7, box.w,
                                               style.mm(CAPTION_H) * 1.7), style, name)


# Portrait pages ---------------------------------------------------------------------------

# Beside a tall drawing the column is narrow and tall: the fact is set larger there, and the
# column is never narrower than SIDE_MIN (mm of the A4 design).
SIDE_FACT_SIZE = 15.0
SIDE_MIN = 44.0
SIDE_GAP = 5.0  # mm on A4: between the drawing and the column beside it


def portrait_area(area: Box, page: MonthPage, pixels: tuple[int, int], style: Style,
                  name: str, minis: tuple[MonthGrid, MonthGrid] | None = None) -> list[Item]:
    """The drawing, its caption and the fact in ``area``, the way that shows the drawing
    larger: across the top with the fact under it, or at the left with the fact beside.
    ``minis``: the months around, set beside the fact (landscape pages)."""
    return max(_arrangements(area, page, pixels, style, name, minis), key=_picture_area)


def _arrangements(area: Box, page: MonthPage, pixels: tuple[int, int], style: Style,
                  name: str, minis: tuple[MonthGrid, MonthGrid] | None = None
                  ) -> list[list[Item]]:
    """Both arrangements of the area, across first; one whose text cannot fit is left out
    (``TextOverflow`` of the first when neither fits)."""
    found, errors = [], []
    for arrange in (_drawing_across, _drawing_beside):
        try:
            found.append(arrange(area, page, pixels, style, name, minis))
        except TextOverflow as error:
            errors.append(error)
    if not found:
        raise errors[0]
    return found


def area_wanted(area: Box, page: MonthPage, pixels: tuple[int, int], style: Style) -> float:
    """The height of ``area`` past which this month's drawing grows no larger: the drawing
    across its width with the caption and a fact of the usual length under it, or
    ``area.h`` when it is larger beside its fact (it would still grow with more height).
    Only the drawing's shape counts: the zone all twelve months share never depends on one
    month's text."""
    below = style.mm(CAPTION_GAP + CAPTION_H + GAP + USUAL_FACT_H)
    across_h = min(area.h - below, area.w * pixels[1] / pixels[0] / (1 - FILL_CROP))
    across = place_picture("drawing", page.drawing, pixels,
                           Box(area.x, area.y, area.w, across_h)).box
    beside_w = min(area.h * pixels[0] / pixels[1] / (1 - FILL_CROP),
                   area.w - style.mm(SIDE_GAP + SIDE_MIN))
    beside = place_picture("drawing", page.drawing, pixels,
                           Box(area.x, area.y, beside_w, area.h)).box
    if beside.w * beside.h > across.w * across.h:
        return area.h
    return across.h + below


def _picture_area(items: list[Item]) -> float:
    return sum(i.box.w * i.box.h for i in items if isinstance(i, Picture))


def _drawing_across(area: Box, page: MonthPage, pixels: tuple[int, int], style: Style,
                    name: str, minis: tuple[MonthGrid, MonthGrid] | None = None) -> list[Item]:
    """The drawing across the area's top, its caption under it, the fact panel filling the
    rest down to the calendar zone."""
    gap = style.mm(GAP)
    fact_h = fact_height(Box(area.x, area.y, area.w, style.mm(ACROSS_FACT_H)), page.fact,
                         style, name)
    slot_h = min(area.h - style.mm(CAPTION_GAP + CAPTION_H) - gap - fact_h,
                 area.w * pixels[1] / pixels[0] / (1 - FILL_CROP))
    picture = place_picture("drawing", page.drawing, pixels,
                            Box(area.x, area.top - slot_h, area.w, slot_h))
    caption = _caption_under(picture, page, style, name)
    rest = area.below(min(caption.extent().y, picture.box.y) - gap * 0.6)
    if minis is None:
        return [picture, caption, *fact_panel(rest, page.fact, style, name, fill=True)]
    minis_w = mini_size(style)[0] * 2 + style.mm(MINI_GAP)
    beside = Box(rest.right - minis_w, rest.y, minis_w, minis_height(style))
    fact = fact_panel(rest.inset(0, 0, minis_w + gap, 0), page.fact, style, name, fill=True)
    return [picture, caption, *fact, *mini_pair(beside, minis, style)]


def _drawing_beside(area: Box, page: MonthPage, pixels: tuple[int, int], style: Style,
                    name: str, minis: tuple[MonthGrid, MonthGrid] | None = None) -> list[Item]:
    """The drawing at the area's left as tall as the area, the fact level with its top and
    the caption at its foot in the column beside it (with the ``minis`` over the caption)."""
    gap = style.mm(SIDE_GAP)
    side_min = style.mm(SIDE_MIN) if minis is None else max(
        style.mm(SIDE_MIN), mini_size(style)[0] * 2 + style.mm(MINI_GAP))
    slot_w = min(area.h * pixels[0] / pixels[1] / (1 - FILL_CROP), area.w - gap - side_min)
    picture = place_picture("drawing", page.drawing, pixels,
                            Box(area.x, area.y, slot_w, area.h), valign="bottom")
    side = Box(picture.box.right + gap, area.y, area.right - picture.box.right - gap, area.h)
    caption = caption_block(page.caption, Box(side.x, side.y, side.w, style.mm(3 * CAPTION_H)),
                            style, name, align="left", valign="bottom")
    above = caption.extent().h + gap
    small: list[Item] = []
    if minis is not None:
        small = mini_pair(Box(side.x, side.y + above, side.w, minis_height(style)), minis,
                          style)
        above += minis_height(style) + gap
    fact = fact_panel(side.inset(0, above, 0, 0), page.fact, style, name,
                      at="top", size=SIDE_FACT_SIZE)
    return [picture, caption, *fact, *small]


# Landscape pages: a drawing shown larger above a strip of days (``calendar_strip``) gets
# it; else (a tall drawing) it runs down the left and the grid down the right, never
# narrower than its day numbers at the design's size need, its rows up to TALL_ROWS times
# a column's width.
TALL_ROWS = 2.6


def _landscape_page_tall_drawing(page: MonthPage, pixels: tuple[int, int], style: Style,
                                 name: str) -> Arranged:
    """The drawing down the left, the grid on the right with the fact under it."""
    content, gap = style.frame.content, style.mm(GAP)
    for lines in (1.0, 1.7):  # a caption wider than a narrow drawing takes two lines
        slot_h = content.h - style.mm(CAPTION_GAP + CAPTION_H * lines)
        slot_w = clamp(slot_h * pixels[0] / pixels[1], content.w * 0.3,
                       content.w - gap - full_size_grid_width(style))
        picture = place_picture("drawing", page.drawing, pixels,
                                Box(content.x, content.top - slot_h, slot_w, slot_h))
        caption = _caption_under(picture, page, style, name)
        if caption.extent().y >= content.y - 0.01:
            break
    right = content.inset(picture.box.right - content.x + gap, 0, 0, 0)
    fact_box = Box(right.x, right.y, right.w, style.mm(FACT_BOX_H))
    fact = fact_panel(fact_box, page.fact, style, name)
    calendar = right.inset(0, fact_height(fact_box, page.fact, style, name) + gap, 0, 0)
    return [picture, caption, *fact], calendar, TALL_ROWS


