"""A month's page: the drawing, its caption and the fact arranged around the month's grid.

Four arrangements, by the page's orientation and the drawing's shape; each returns the
page's items and the box left to the grid.
"""

from ..days import MonthGrid, month_grid
from ..fonts import FontNames
from ..geometry import Box, page_frame
from ..spec import CalendarSpec, MonthPage
from ..text import TextBlock
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
from .grid import GridFit, GridPlan, calendar_block, grid_fit
from .items import Item, PageLayout, Picture, Style

# The most a fact panel under or beside the grid takes, in mm of the A4 design: it is only
# as tall as its text needs.
FACT_BOX_H = 46.0

Arranged = tuple[list[Item], Box, float]  # the page's items, the grid's box, its max_row


def month_layout(spec: CalendarSpec, page: MonthPage, pixels: tuple[int, int],
                 fonts: FontNames, plan: GridPlan | None = None) -> PageLayout:
    """A month page: the drawing, its caption, the month's grid and legend, and the fact.

    The arrangement follows the page's orientation and the drawing's shape. ``plan`` gives
    the sizes the grid shares with the calendar's other months (``calendar_layout``).
    """
    style, grid, name, (items, calendar, max_row) = _month_parts(spec, page, pixels, fonts,
                                                                 plan)
    block = calendar_block(calendar, grid, style, name, max_row, plan)
    return PageLayout(name, style.frame, (*items, *block))


def month_fit(spec: CalendarSpec, page: MonthPage, pixels: tuple[int, int],
              fonts: FontNames) -> GridFit:
    """How the month's grid would fit its page if it shared nothing with other months."""
    style, grid, name, (_, calendar, max_row) = _month_parts(spec, page, pixels, fonts, None)
    return grid_fit(calendar, grid, style, name, max_row)


def _month_parts(spec: CalendarSpec, page: MonthPage, pixels: tuple[int, int],
                 fonts: FontNames, plan: GridPlan | None
                 ) -> tuple[Style, MonthGrid, str, Arranged]:
    style = Style(page_frame(spec), fonts, spec.colours, spec.language)
    grid = month_grid(spec.year, page.month, spec.language, spec.days_to_mark,
                      spec.transfers)
    name = f"month {page.month:02d} ({grid.name})"
    wide = pixels[0] >= pixels[1]
    arrange = {
        ("portrait", True): _portrait_page_wide_drawing,
        ("portrait", False): _portrait_page_tall_drawing,
        ("landscape", True): _landscape_page_wide_drawing,
        ("landscape", False): _landscape_page_tall_drawing,
    }[(spec.orientation, wide)]
    return style, grid, name, arrange(page, pixels, style, name, plan)


def _caption_under(picture: Picture, page: MonthPage, style: Style, name: str) -> TextBlock:
    box = Box(picture.box.x, picture.box.y - style.mm(CAPTION_GAP + CAPTION_H), picture.box.w,
              style.mm(CAPTION_H))
    return caption_block(page.caption, box, style, name)


def _portrait_page_wide_drawing(page: MonthPage, pixels: tuple[int, int], style: Style,
                                name: str, plan: GridPlan | None) -> Arranged:
    """The drawing across the top, the grid under it, the fact along the bottom."""
    content, gap = style.frame.content, style.mm(GAP)
    slot_h = clamp(content.w * pixels[1] / pixels[0], content.h * 0.34, content.h * 0.42)
    picture = place_picture("drawing", page.drawing, pixels,
                            Box(content.x, content.top - slot_h, content.w, slot_h))
    caption = _caption_under(picture, page, style, name)
    fact_box = Box(content.x, content.y, content.w, style.mm(FACT_BOX_H))
    fact = fact_panel(fact_box, page.fact, style, name)
    calendar = content.below(caption.extent().y - gap * 0.8).inset(
        0, fact_height(fact_box, page.fact, style, name) + gap, 0, 0)
    return [picture, caption, *fact], calendar, 1.0


# Beside a tall drawing the column is narrow and tall: the fact is set larger there.
SIDE_FACT_SIZE = 15.0


def _portrait_page_tall_drawing(page: MonthPage, pixels: tuple[int, int], style: Style,
                                name: str, plan: GridPlan | None) -> Arranged:
    """The drawing top left, the fact beside it and the caption at its foot, the grid below.

    The drawing takes at least half the content's height, and whatever the calendar's grids
    (``plan.block_h``) leave above them.
    """
    content, gap = style.frame.content, style.mm(GAP)
    slot_h = content.h * 0.5
    if plan is not None:
        slot_h = max(slot_h, content.h - gap - plan.block_h)
    slot_w = clamp(slot_h * pixels[0] / pixels[1], content.w * 0.45, content.w * 0.62)
    picture = place_picture("drawing", page.drawing, pixels,
                            Box(content.x, content.top - slot_h, slot_w, slot_h))
    side = Box(picture.box.right + gap, picture.box.y, content.right - picture.box.right - gap,
               picture.box.h)
    # The fact level with the drawing's top, the caption level with its foot: the column
    # has the drawing's height, as its label.
    caption = caption_block(page.caption, Box(side.x, side.y, side.w, style.mm(2 * CAPTION_H)),
                            style, name, align="left", valign="bottom")
    fact = fact_panel(side.inset(0, caption.extent().h + style.mm(GAP), 0, 0), page.fact,
                      style, name, at="top", size=SIDE_FACT_SIZE)
    return [picture, caption, *fact], content.below(picture.box.y - gap), 1.0


# A landscape page is too low for a wide drawing and the month's grid side by side at
# square cells: the grid takes this share of the width beside a wide drawing, and its rows
# grow up to TALL_ROWS times a column's width so that it runs down the whole page. A wider
# grid would cost the drawing height and open a blank band between its caption and the
# fact (about 2 mm for each hundredth of the width): the grid's day numbers keep clear of
# each other by their size instead (NUMBER_WIDTH). Under a wide drawing the column has room
# to spare: the fact is set larger, and the drawing may lose up to FILL_CROP of its width
# (half of it at each side) to grow taller.
LANDSCAPE_GRID_SHARE = 0.33
TALL_ROWS = 2.6
LANDSCAPE_FACT_SIZE = 15.0
FILL_CROP = MAX_CROP / 2


def _landscape_page_wide_drawing(page: MonthPage, pixels: tuple[int, int], style: Style,
                                 name: str, plan: GridPlan | None) -> Arranged:
    """The drawing large at the top left, the fact at the foot of its column, the grid right."""
    content, gap = style.frame.content, style.mm(GAP)
    caption_h = style.mm(CAPTION_GAP + CAPTION_H)
    ratio = pixels[0] / pixels[1]

    def drawing_height(width: float) -> float:
        fact_h = fact_height(Box(content.x, content.y, width, style.mm(FACT_BOX_H)), page.fact,
                             style, name, LANDSCAPE_FACT_SIZE)
        return min(width / ratio / (1 - FILL_CROP), content.h - caption_h - gap - fact_h)

    # A drawing too tall for the column's width narrows the column, and the grid gains it;
    # the narrower the column, the taller its fact: a few steps settle it.
    column_w = content.w * (1 - LANDSCAPE_GRID_SHARE) - gap
    for _ in range(3):
        column_w = min(column_w, drawing_height(column_w) * ratio)
    slot_h = drawing_height(column_w)
    picture = place_picture("drawing", page.drawing, pixels,
                            Box(content.x, content.top - slot_h, column_w, slot_h))
    caption = _caption_under(picture, page, style, name)
    fact = fact_panel(content.below(caption.extent().y - gap).inset(
        0, 0, content.w - column_w, 0), page.fact, style, name, size=LANDSCAPE_FACT_SIZE)
    return [picture, caption, *fact], content.inset(column_w + gap, 0, 0, 0), TALL_ROWS


def _landscape_page_tall_drawing(page: MonthPage, pixels: tuple[int, int], style: Style,
                                 name: str, plan: GridPlan | None) -> Arranged:
    """The drawing down the left, the grid on the right with the fact under it."""
    content, gap = style.frame.content, style.mm(GAP)
    slot_h = content.h - style.mm(CAPTION_GAP + CAPTION_H)
    slot_w = clamp(slot_h * pixels[0] / pixels[1], content.w * 0.36, content.w * 0.5)
    picture = place_picture("drawing", page.drawing, pixels,
                            Box(content.x, content.top - slot_h, slot_w, slot_h))
    caption = _caption_under(picture, page, style, name)
    right = content.inset(picture.box.right - content.x + gap, 0, 0, 0)
    fact_box = Box(right.x, right.y, right.w, style.mm(FACT_BOX_H))
    fact = fact_panel(fact_box, page.fact, style, name)
    calendar = right.inset(0, fact_height(fact_box, page.fact, style, name) + gap, 0, 0)
    return [picture, caption, *fact], calendar, TALL_ROWS


