"""Where everything goes: pure functions from the specification to boxes in points.

Each page is a ``PageLayout``: a list of primitive items (fills, rules, rings, bones, text
blocks, pictures) that the renderer paints as they are. Sizes are given for A4 and scaled
with the page (``frame.scale``), so A3 is the same design, larger.
"""

import math
from contextlib import suppress
from dataclasses import dataclass, replace
from pathlib import Path

from babel import Locale

from .days import MonthGrid, month_grid
from .fonts import FontNames, text_width
from .geometry import MM, Box, PageFrame, page_frame
from .spec import CalendarSpec, Caption, Colours, Cover, Fact, Language, MonthPage, Winner
from .text import Align, TextBlock, TextOverflow, common_size, fit_text, set_lines, text_height

# At most this share of a drawing's width or height is cut to fill its box; beyond it the
# whole drawing is shown, smaller, and the box keeps the drawing's own proportions.
MAX_CROP = 0.08

WORDS = {
    "ru": {"did_you_know": "Знаете ли вы?", "source": "Источник", "partners": "Партнёры"},
    "en": {"did_you_know": "Did you know?", "source": "Source", "partners": "Partners"},
}
QUOTES = {"ru": ("«", "»"), "en": ("\u201c", "\u201d")}


# Items ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Fill:
    box: Box
    colour: str
    radius: float = 0.0


@dataclass(frozen=True)
class Rule:
    x1: float
    y1: float
    x2: float
    y2: float
    colour: str
    width: float


@dataclass(frozen=True)
class Ring:
    cx: float
    cy: float
    r: float
    colour: str
    width: float


@dataclass(frozen=True)
class Bone:
    """A bone glyph filling ``box`` (drawn lying down)."""

    box: Box
    colour: str


@dataclass(frozen=True)
class Picture:
    """A drawing: ``image`` is where the whole image goes, ``box`` the part that shows."""

    what: str
    source: Path
    pixels: tuple[int, int]  # upright size of the source
    box: Box
    image: Box

    @property
    def crop(self) -> dict[str, float]:
        """The share of the drawing's width or height cut at each side."""
        return {
            "left": (self.box.x - self.image.x) / self.image.w,
            "right": (self.image.right - self.box.right) / self.image.w,
            "top": (self.image.top - self.box.top) / self.image.h,
            "bottom": (self.box.y - self.image.y) / self.image.h,
        }

    @property
    def placed_dpi(self) -> float:
        """Pixels per inch of the source at its placed size (before any resampling)."""
        return self.pixels[0] / (self.image.w / 72)


Item = Fill | Rule | Ring | Bone | TextBlock | Picture


@dataclass(frozen=True)
class PageLayout:
    name: str  # "cover", "month 03 (Март)", "back": named in errors and the report
    frame: PageFrame
    items: tuple[Item, ...]

    @property
    def pictures(self) -> tuple[Picture, ...]:
        return tuple(item for item in self.items if isinstance(item, Picture))

    @property
    def texts(self) -> tuple[TextBlock, ...]:
        return tuple(item for item in self.items if isinstance(item, TextBlock))


@dataclass(frozen=True)
class Style:
    """What every page function needs besides its own content."""

    frame: PageFrame
    fonts: FontNames
    colours: Colours
    language: Language

    def mm(self, value: float) -> float:
        """``value`` millimetres of the A4 design, in points at this page's scale."""
        return value * MM * self.frame.scale

    def pt(self, value: float) -> float:
        """A type size of the A4 design at this page's scale."""
        return value * self.frame.scale


# Pictures ---------------------------------------------------------------------------------


def place_picture(
    what: str, source: Path, pixels: tuple[int, int], slot: Box, valign: str = "top"
) -> Picture:
    """The drawing filling ``slot`` when at most ``MAX_CROP`` must be cut, else fitted whole.

    A fitted drawing keeps the slot's width or height and its own proportions, centred
    across and aligned ``valign`` ("top", "centre", "bottom") along the other side.
    """
    width, height = pixels
    fill = max(slot.w / width, slot.h / height)
    fit = min(slot.w / width, slot.h / height)
    cut = 1 - fit / fill
    if cut <= MAX_CROP:
        w, h = width * fill, height * fill
        image = Box(slot.x + (slot.w - w) / 2, slot.y + (slot.h - h) / 2, w, h)
        return Picture(what, source, pixels, slot, image)
    w, h = width * fit, height * fit
    y = {"top": slot.top - h, "centre": slot.y + (slot.h - h) / 2, "bottom": slot.y}[valign]
    image = Box(slot.x + (slot.w - w) / 2, y, w, h)
    return Picture(what, source, pixels, image, image)


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


# Small texts -------------------------------------------------------------------------------


def caption_text(caption: Caption, language: Language) -> str:
    """'Маша, 9 лет, Тверь. «Солнце»' / 'Masha, age 9, Tver. “The sun”'."""
    parts = [caption.first_name.get(language)]
    if caption.age is not None:
        parts.append(age_text(caption.age, language))
    town = caption.town.get(language)
    if town:
        parts.append(town)
    text = ", ".join(p for p in parts if p)
    text = text[:1].upper() + text[1:]  # "Age 9, Tver" when the name is not shown
    title = caption.title.get(language)
    if title:
        left, right = QUOTES[language]
        text += f". {left}{title}{right}"
    return text


def age_text(age: int, language: Language) -> str:
    """'9 лет', '21 год', '3 года'; 'age 9'."""
    if language == "en":
        return f"age {age}"
    form = Locale.parse("ru").plural_form(age)
    return f"{age} " + {"one": "год", "few": "года"}.get(form, "лет")


# Shared blocks ----------------------------------------------------------------------------


def fact_panel(box: Box, fact: Fact, style: Style, page: str,
               at: str = "bottom", size: float = 12.0) -> list[Item]:
    """A tinted panel with a bone, 'Did you know?', the fact and its source.

    The panel is as tall as its text needs, at most the box, and sits ``at`` its bottom or top.
    The fact is set at ``size`` points of the A4 design, or smaller when it must.
    """
    items, used = _fact_items(box, fact, style, page, size)
    return items if at == "top" else [shifted(item, used - box.h) for item in items]


def shifted(item: Item, dy: float) -> Item:
    """A text block, fill, bone or picture moved up by ``dy`` points (down when negative)."""
    if isinstance(item, TextBlock):
        return replace(item, lines=tuple(replace(line, y=line.y + dy) for line in item.lines))
    if isinstance(item, Fill | Bone):
        return replace(item, box=replace(item.box, y=item.box.y + dy))
    if isinstance(item, Picture):
        return replace(item, box=replace(item.box, y=item.box.y + dy),
                       image=replace(item.image, y=item.image.y + dy))
    raise TypeError(f"cannot shift {item!r}")


def fact_height(box: Box, fact: Fact, style: Style, page: str, size: float = 12.0) -> float:
    """The height ``fact_panel`` takes in ``box``."""
    return _fact_items(box, fact, style, page, size)[1]


def _fact_items(box: Box, fact: Fact, style: Style, page: str,
                size: float) -> tuple[list[Item], float]:
    """The panel's items set from the top of ``box``, and the height they use."""
    c, f, lang = style.colours, style.fonts, style.language
    pad = style.mm(4.5)
    inner = box.inset(pad, pad, pad, pad)
    bone = Box(inner.x, inner.top - style.mm(4.2), style.mm(9), style.mm(4.2))
    head_box = Box(bone.right + style.mm(2.5), bone.y - style.mm(1), inner.right - bone.right
                   - style.mm(2.5), bone.h + style.mm(2))
    heading = fit_text(WORDS[lang]["did_you_know"], head_box, font=f.bold, size=style.pt(11),
                       min_size=style.pt(8), colour=c.accent, what="fact heading", page=page,
                       valign="centre", max_lines=1)
    source_text = f"{WORDS[lang]['source']}: {fact.source.get(lang)}"
    body_top = bone.y - style.mm(2.5)
    source_gap = style.mm(2)
    # The source is set first, at the bottom, so that the fact knows the room left to it.
    source = fit_text(source_text, Box(inner.x, inner.y, inner.w,
                                       min(style.mm(18), (body_top - inner.y) / 2)),
                      font=f.italic, size=style.pt(8), min_size=style.pt(6), colour=c.ink,
                      what="fact source", page=page)
    source_h = source.extent().h
    body = fit_text(fact.text.get(lang), Box(inner.x, inner.y + source_h + source_gap, inner.w,
                                             body_top - inner.y - source_h - source_gap),
                    font=f.regular, size=style.pt(size), min_size=style.pt(8), colour=c.ink,
                    what="fact", page=page)
    source_box = Box(inner.x, inner.y, inner.w, body.extent().y - source_gap - inner.y)
    source = fit_text(source_text, source_box, font=f.italic, size=source.size,
                      min_size=source.size, colour=c.ink, what="fact source", page=page)
    used = box.top - source.extent().y + pad
    panel = Box(box.x, box.top - used, box.w, used)
    return [Fill(panel, c.tint, style.mm(3)), Bone(bone, c.accent), heading, body, source], used


def caption_block(caption: Caption, box: Box, style: Style, page: str,
                  align: Align = "right", valign: str = "top") -> TextBlock:
    return fit_text(caption_text(caption, style.language), box, font=style.fonts.italic,
                    size=style.pt(10), min_size=style.pt(7), colour=style.colours.ink,
                    what="caption", page=page, align=align, valign=valign)


# The widest day number takes at most this share of its column, so that neighbours in a
# row keep clear paper between them and read as separate days.
NUMBER_WIDTH = 0.55
NUMBER_SIZE = 24.0  # the day numbers' size of the A4 design, when their rows have room
ROW_RULE_STRENGTH = 0.22  # row rules: the ink at this strength on paper, a light grey


@dataclass(frozen=True)
class GridFit:
    """How a month's grid fits its box when set alone: what a ``GridPlan`` is made from."""

    rows: int
    cell_w: float
    height: float  # the box's
    room: float  # the height left to the rows and the legend under the header
    row_h: float  # the rows' height, set alone
    max_row_h: float  # the tallest row the column's width allows
    legend_h: float  # the legend with its gap above, at its size
    legend_columns: int
    legend_size: float
    legend_lines: tuple[tuple[str, ...], ...]
    number_size: float  # the day numbers' size, set alone

    @property
    def fixed_h(self) -> float:
        """The block's height besides the rows and the legend."""
        return self.height - self.room


@dataclass(frozen=True)
class GridPlan:
    """What every month grid of one calendar shares, so that its twelve pages match.

    ``row_h`` None lets each grid's rows share its box's height (landscape pages, where the
    grid runs down the page); otherwise every grid has rows this tall from the top of its
    box. ``block_h`` is the height of a grid with the most weeks and the longest legend.
    """

    number_size: float
    row_h: float | None = None
    block_h: float = 0.0


def blend(colour: str, paper: str, strength: float) -> str:
    """``colour`` printed at ``strength`` (0–1) on ``paper``, as #RRGGBB."""
    channels = zip(bytes.fromhex(colour[1:]), bytes.fromhex(paper[1:]), strict=True)
    return "#" + "".join(f"{round(base + (ink - base) * strength):02X}"
                         for ink, base in channels)


def number_size(row_h: float, cell_w: float, style: Style) -> float:
    """The day numbers' size in a cell: half the row's height, clear of its neighbours."""
    widest = max(text_width(str(n), style.fonts.bold, 1.0) for n in range(10, 32))
    return min(row_h * 0.5, style.pt(NUMBER_SIZE), cell_w * NUMBER_WIDTH / widest)


def _grid_geometry(style: Style) -> tuple[float, float, float, float]:
    """Header height, the rule's drop under it, the weekday line and the row rules' width."""
    return style.mm(13), style.mm(2.5), style.mm(8), style.pt(1.5)


def grid_fit(box: Box, grid: MonthGrid, style: Style, page: str,
             max_row: float = 1.0) -> GridFit:
    """The month's grid in ``box`` on its own: the weeks share the height the legend leaves.

    A row is at most ``max_row`` times as tall as a day's column is wide. The legend takes
    what it needs at its preferred size, at most a third of the block.
    """
    head_h, rule_drop, weekday_h, rule_w = _grid_geometry(style)
    rule_y = box.top - head_h - rule_drop
    legend_texts = [f"{e.days} — {e.label}" for e in grid.legend]
    columns, legend_size, legend_lines, legend_h = _legend_fit(
        legend_texts, box.w, (rule_y - box.y) / 3, style, page)
    # Half the last rule's width is kept inside the box.
    room = rule_y - style.mm(2) - weekday_h - rule_w / 2 - box.y
    rows, cell_w = len(grid.weeks), box.w / 7
    row_h = min((room - legend_h) / rows, cell_w * max_row)
    return GridFit(rows, cell_w, box.h, room, row_h, cell_w * max_row, legend_h, columns,
                   legend_size, legend_lines, number_size(row_h, cell_w, style))


LEGEND_GAP, LEGEND_SWATCH, LEGEND_COLUMN_GAP = 1.5, 3.2, 6.0  # mm on A4


def _legend_fit(texts: list[str], width: float, max_h: float, style: Style, page: str
                ) -> tuple[int, float, tuple[tuple[str, ...], ...], float]:
    """The legend's columns, size, lines of each entry and height with its gap above.

    Entries that each fit one line of half the width stand in two columns, read down; else
    they are stacked, shrinking together when they must, to at most ``max_h``.
    """
    if not texts:
        return 1, style.pt(9), (), 0.0
    font, gap = style.fonts.regular, style.mm(LEGEND_GAP)
    if len(texts) > 1 and all(text_width(t, font, style.pt(9)) <= _legend_text_w(width, 2, style)
                              for t in texts):
        down = math.ceil(len(texts) / 2)
        height = text_height(1, font, style.pt(9)) * down + gap * (down - 1)
        if height <= max_h:
            return 2, style.pt(9), tuple((t,) for t in texts), height + style.mm(3)
    size, lines = common_size(texts, _legend_text_w(width, 1, style), max_h, gap, font=font,
                              size=style.pt(9), min_size=style.pt(6.5), page=page, what="legend")
    height = sum(text_height(len(entry), font, size) for entry in lines)
    height += gap * (len(texts) - 1)
    return 1, size, tuple(tuple(entry) for entry in lines), height + style.mm(3)


def _legend_text_w(width: float, columns: int, style: Style) -> float:
    """The width of an entry's text in a legend of ``columns`` across ``width``."""
    column_w = (width - style.mm(LEGEND_COLUMN_GAP) * (columns - 1)) / columns
    return column_w - style.mm(LEGEND_SWATCH + 2)


def grid_plan(fits: list[GridFit], style: Style, same_rows: bool) -> GridPlan:
    """The sizes the month grids of one calendar share: none larger than its tightest month.

    With ``same_rows`` every grid gets the rows that a month with the most weeks and the
    longest legend of the year would have on the tightest page; otherwise only the day
    numbers' size is shared.
    """
    if not same_rows:
        return GridPlan(min(fit.number_size for fit in fits))
    rows = max(fit.rows for fit in fits)
    legend_h = max(fit.legend_h for fit in fits)
    row_h = min(min((fit.room - legend_h) / rows, fit.max_row_h) for fit in fits)
    size = min(number_size(row_h, fit.cell_w, style) for fit in fits)
    block_h = max(fit.fixed_h for fit in fits) + rows * row_h + legend_h
    return GridPlan(size, row_h, block_h)


def calendar_block(box: Box, grid: MonthGrid, style: Style, page: str,
                   max_row: float = 1.0, plan: GridPlan | None = None) -> list[Item]:
    """Month name and year, the weekday header, the weeks, and the legend under them.

    Alone (no ``plan``) the weeks share the height left to them (see ``grid_fit``); with a
    plan, the rows and day numbers take the calendar's shared sizes from the box's top.
    """
    c, f = style.colours, style.fonts
    fit = grid_fit(box, grid, style, page, max_row)
    head_h, rule_drop, weekday_h, rule_w = _grid_geometry(style)
    items: list[Item] = []
    head = Box(box.x, box.top - head_h, box.w, head_h)
    year = fit_text(str(grid.year), head, font=f.display, size=style.pt(22),
                    min_size=style.pt(14), colour=c.ink, what="year", page=page,
                    align="right", valign="centre", max_lines=1)
    year_w = year.extent().w + style.mm(6)
    name = fit_text(grid.name, Box(head.x, head.y, head.w - year_w, head.h), font=f.display,
                    size=style.pt(28), min_size=style.pt(16), colour=c.accent,
                    what="month name", page=page, valign="centre", max_lines=1)
    items += [name, year]
    rule_y = head.y - rule_drop
    items.append(Rule(box.x, rule_y, box.right, rule_y, c.accent, style.pt(1.2)))

    grid_top = rule_y - style.mm(2)
    cell_w = fit.cell_w
    # A plan's rows never overrun the box: they are the tightest month's.
    cell_h = fit.row_h if plan is None or plan.row_h is None else min(plan.row_h, fit.row_h)
    size = fit.number_size if plan is None else plan.number_size
    if cell_h < style.mm(6):
        raise TextOverflow(page, "month grid", grid.name)
    for col, label in enumerate(grid.weekday_names):
        cell = Box(box.x + col * cell_w, grid_top - weekday_h, cell_w, weekday_h)
        colour = c.weekend if col in grid.weekend_columns else c.ink
        items.append(fit_text(label, cell, font=f.bold, size=style.pt(10.5),
                              min_size=style.pt(7), colour=colour, what="weekday", page=page,
                              align="centre", valign="centre", max_lines=1))
    rule_colour = blend(c.ink, c.paper, ROW_RULE_STRENGTH)
    for row, week in enumerate(grid.weeks):
        top = grid_top - weekday_h - row * cell_h
        items.append(Rule(box.x, top, box.right, top, rule_colour, rule_w))
        for col, day in enumerate(week):
            if day is None:
                continue
            cell = Box(box.x + col * cell_w, top - cell_h, cell_w, cell_h)
            if day.marked:
                r = min(cell_w, cell_h) * 0.42
                items.append(Ring(cell.x + cell.w / 2, cell.y + cell.h / 2, r, c.marked,
                                  style.pt(2)))
            colour = c.marked if day.marked else c.weekend if day.off else c.ink
            font = f.bold if day.off or day.marked else f.regular
            number = fit_text(str(day.date.day), cell, font=font, size=size,
                              min_size=size * 0.6, colour=colour, what=f"day {day.date.day}",
                              page=page, align="centre", valign="centre", max_lines=1)
            # Measured against the design's size, so that the preflight names small numbers.
            items.append(replace(number, preferred_size=style.pt(NUMBER_SIZE)))
    grid_bottom = grid_top - weekday_h - len(grid.weeks) * cell_h
    items.append(Rule(box.x, grid_bottom, box.right, grid_bottom, rule_colour, rule_w))

    swatch, gap, legend_size = style.mm(LEGEND_SWATCH), style.mm(LEGEND_GAP), fit.legend_size
    text_w = _legend_text_w(box.w, fit.legend_columns, style)
    down = math.ceil(len(grid.legend) / fit.legend_columns)
    for index, (entry, lines) in enumerate(zip(grid.legend, fit.legend_lines, strict=True)):
        column, place = divmod(index, down)
        if place == 0:
            top = grid_bottom - style.mm(3)
        x = box.x + column * (text_w + swatch + style.mm(2 + LEGEND_COLUMN_GAP))
        h = text_height(len(lines), f.regular, legend_size)
        placed = set_lines(list(lines), Box(x + swatch + style.mm(2), top - h, text_w, h),
                           f.regular, legend_size, "left")
        first = placed[0].y
        colour = {"holiday": c.weekend, "working": c.ink, "marked": c.marked}[entry.kind]
        if entry.kind == "marked":
            items.append(Ring(x + swatch / 2, first + legend_size * 0.33, swatch * 0.4, colour,
                              style.pt(1.5)))
        else:
            items.append(Fill(Box(x + swatch * 0.15, first - legend_size * 0.02, swatch * 0.7,
                                  swatch * 0.7), colour, swatch * 0.15))
        items.append(TextBlock("legend", placed, f.regular, legend_size, style.pt(9), c.ink))
        top -= h + gap
    return items


# Pages ------------------------------------------------------------------------------------


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
    grid = month_grid(spec.year, page.month, spec.language, spec.days_to_mark)
    name = f"month {page.month:02d} ({grid.name})"
    wide = pixels[0] >= pixels[1]
    arrange = {
        ("portrait", True): _portrait_page_wide_drawing,
        ("portrait", False): _portrait_page_tall_drawing,
        ("landscape", True): _landscape_page_wide_drawing,
        ("landscape", False): _landscape_page_tall_drawing,
    }[(spec.orientation, wide)]
    return style, grid, name, arrange(page, pixels, style, name, plan)


CAPTION_H = 7.0  # mm on A4: one line of caption under a drawing
GAP = 7.0  # mm on A4: between the blocks of a page


def _caption_under(picture: Picture, page: MonthPage, style: Style, name: str) -> TextBlock:
    box = Box(picture.box.x, picture.box.y - style.mm(1.5 + CAPTION_H), picture.box.w,
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
    fact_box = Box(content.x, content.y, content.w, style.mm(46))
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
    caption_h = style.mm(1.5 + CAPTION_H)
    ratio = pixels[0] / pixels[1]

    def drawing_height(width: float) -> float:
        fact_h = fact_height(Box(content.x, content.y, width, style.mm(46)), page.fact, style,
                             name, LANDSCAPE_FACT_SIZE)
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
    slot_h = content.h - style.mm(1.5 + CAPTION_H)
    slot_w = clamp(slot_h * pixels[0] / pixels[1], content.w * 0.36, content.w * 0.5)
    picture = place_picture("drawing", page.drawing, pixels,
                            Box(content.x, content.top - slot_h, slot_w, slot_h))
    caption = _caption_under(picture, page, style, name)
    right = content.inset(picture.box.right - content.x + gap, 0, 0, 0)
    fact_box = Box(right.x, right.y, right.w, style.mm(46))
    fact = fact_panel(fact_box, page.fact, style, name)
    calendar = right.inset(0, fact_height(fact_box, page.fact, style, name) + gap, 0, 0)
    return [picture, caption, *fact], calendar, TALL_ROWS


COVER_TEXT_SHARE = 0.25  # at least this share of a landscape cover's width for the title
COVER_BAND_GAP = 8.0  # mm on A4: at least this much paper above the cover's band


def cover_layout(spec: CalendarSpec, pixels: tuple[int, int], fonts: FontNames) -> PageLayout:
    """The cover: title and subtitle, the drawing large, and a band with the year and motto.

    On a landscape page the title stands beside the drawing when that shows the drawing
    larger than the title above it (a very wide drawing keeps the title above).
    """
    frame = page_frame(spec)
    style = Style(frame, fonts, spec.colours, spec.language)
    c, f, lang, cover = spec.colours, fonts, spec.language, spec.cover
    content, name = frame.content, "cover"
    band_h = style.mm(44)
    band = Box(frame.bleed.x, frame.bleed.y, frame.bleed.w,
               content.y - frame.bleed.y + band_h - style.mm(12))
    band_text = Box(content.x, content.y, content.w, band.top - content.y - style.mm(6))
    year = fit_text(str(spec.year), band_text, font=f.display, size=style.pt(64),
                    min_size=style.pt(40), colour=c.paper, what="year", page=name,
                    valign="centre", max_lines=1)
    motto_box = Box(year.extent().right + style.mm(10), band_text.y,
                    band_text.right - year.extent().right - style.mm(10), band_text.h)
    items: list[Item] = [Fill(band, c.accent), year]
    if cover.motto.get(lang):
        items.append(fit_text(cover.motto.get(lang), motto_box, font=f.bold, size=style.pt(17),
                              min_size=style.pt(11), colour=c.paper, what="motto", page=name,
                              align="right", valign="centre"))
    # Above the band, with room for the drawing's caption under it.
    area = content.inset(0, band.top + style.mm(COVER_BAND_GAP) - content.y, 0, 0)
    arrangements = [_cover_title_above(area, cover, pixels, style)]
    if spec.orientation == "landscape":
        # A title too long for the column beside the drawing keeps it above.
        with suppress(TextOverflow):
            arrangements.append(_cover_title_beside(area, cover, pixels, style))
    items += max(arrangements, key=_picture_area)
    return PageLayout(name, frame, tuple(items))


def _picture_area(items: list[Item]) -> float:
    return sum(item.box.w * item.box.h for item in items if isinstance(item, Picture))


def _cover_title(cover: Cover, box: Box, style: Style, align: Align,
                 max_lines: int) -> list[TextBlock]:
    """The title, and the subtitle under it, set from the top of ``box``."""
    f, c, lang = style.fonts, style.colours, style.language
    title = fit_text(cover.title.get(lang), Box(box.x, box.top - style.mm(30) * max_lines / 2,
                                                box.w, style.mm(30) * max_lines / 2),
                     font=f.display, size=style.pt(30), min_size=style.pt(18), colour=c.accent,
                     what="title", page="cover", align=align, max_lines=max_lines)
    if not cover.subtitle.get(lang):
        return [title]
    top = title.extent().y - style.mm(3)
    subtitle = fit_text(cover.subtitle.get(lang), Box(box.x, top - style.mm(8) * max_lines,
                                                      box.w, style.mm(8) * max_lines),
                        font=f.regular, size=style.pt(14), min_size=style.pt(10), colour=c.ink,
                        what="subtitle", page="cover", align=align, max_lines=max_lines)
    return [title, subtitle]


def _cover_caption(cover: Cover, picture: Picture, across: Box, style: Style) -> list[Item]:
    """The drawing's caption under it, centred on ``across``."""
    if not cover.caption:
        return []
    box = Box(across.x, picture.box.y - style.mm(1.5 + 7), across.w, style.mm(7))
    return [caption_block(cover.caption, box, style, "cover", align="centre")]


def _cover_title_above(area: Box, cover: Cover, pixels: tuple[int, int],
                       style: Style) -> list[Item]:
    """Title and subtitle across the top, the drawing under them, evenly spaced."""
    titles = _cover_title(cover, area, style, "centre", max_lines=2)
    top = titles[-1].extent().y - (style.mm(3) if len(titles) == 1 else 0.0)
    caption_h = style.mm(7) if cover.caption else 0.0
    slot = area.below(top - style.mm(7)).inset(0, caption_h, 0, 0)
    picture = place_picture("drawing", cover.drawing, pixels, slot, valign="top")
    # The height the drawing leaves is shared out so that the paper above the title, between
    # the subtitle and the drawing, and between its caption and the band is about the same:
    # the blocks stand evenly down the page instead of the drawing floating in the middle.
    captions = _cover_caption(cover, picture, area, style)
    slack = picture.box.y - slot.y
    above = area.top - titles[0].extent().top
    between = titles[-1].extent().y - picture.box.top
    below = (captions[0].extent().y if captions else picture.box.y) - slack - area.y
    even = (above + between + below + style.mm(COVER_BAND_GAP) + slack) / 3
    titles_down = clamp(even - above, 0.0, slack)
    picture_down = clamp(titles_down + even - between, titles_down, slack)
    titles = [shifted(block, -titles_down) for block in titles]
    picture = shifted(picture, -picture_down)
    return [*titles, picture, *_cover_caption(cover, picture, area, style)]


def _cover_title_beside(area: Box, cover: Cover, pixels: tuple[int, int],
                        style: Style) -> list[Item]:
    """The drawing as tall as the area at the left, title and subtitle centred beside it."""
    gap = style.mm(1.5 * GAP)
    caption_h = style.mm(7) if cover.caption else 0.0
    slot = area.inset(0, caption_h, area.w * COVER_TEXT_SHARE + gap, 0)
    picture = place_picture("drawing", cover.drawing, pixels, slot, valign="centre")
    column = area.inset(picture.box.right + gap - area.x, 0, 0, 0)
    titles = _cover_title(cover, column, style, "centre", max_lines=4)
    # The titles' middle level with the drawing's middle, within the area.
    top, bottom = titles[0].extent().top, titles[-1].extent().y
    dy = picture.box.y + picture.box.h / 2 - (top + bottom) / 2
    dy = clamp(dy, area.y - bottom, area.top - top)
    titles = [shifted(block, dy) for block in titles]
    return [*titles, picture, *_cover_caption(cover, picture, picture.box, style)]


def back_layout(spec: CalendarSpec, pixels: dict[Path, tuple[int, int]],
                fonts: FontNames) -> PageLayout:
    """The back: about the society, every winner with a thumbnail, and the partners."""
    frame = page_frame(spec)
    style = Style(frame, fonts, spec.colours, spec.language)
    c, f, lang, back = spec.colours, fonts, spec.language, spec.back
    content, name = frame.content, "back"
    title = fit_text(back.title.get(lang), Box(content.x, content.top - style.mm(16), content.w,
                                               style.mm(16)),
                     font=f.display, size=style.pt(24), min_size=style.pt(16), colour=c.accent,
                     what="title", page=name, max_lines=1, valign="centre")
    about_top = title.extent().y - style.mm(5)
    about = fit_text(back.about.get(lang), Box(content.x, about_top - content.h * 0.2, content.w,
                                               content.h * 0.2),
                     font=f.regular, size=style.pt(11), min_size=style.pt(8), colour=c.ink,
                     what="about", page=name)
    items: list[Item] = [title, about]
    bottom = content.y
    if back.partners:
        label = f"{WORDS[lang]['partners']}: " + " · ".join(p.get(lang) for p in back.partners)
        panel = Box(content.x, content.y, content.w, style.mm(18))
        items += [Fill(panel, c.tint, style.mm(3)),
                  fit_text(label, panel.inset(*(style.mm(4),) * 4), font=f.regular,
                           size=style.pt(10), min_size=style.pt(7), colour=c.ink,
                           what="partners", page=name, valign="centre", align="centre")]
        bottom = panel.top + style.mm(6)
    area = Box(content.x, bottom, content.w, about.extent().y - style.mm(7) - bottom)
    items += winners_grid(area, back.winners, pixels, style, name)
    return PageLayout(name, frame, tuple(items))


def winners_grid(area: Box, winners: tuple[Winner, ...], pixels: dict[Path, tuple[int, int]],
                 style: Style, page: str) -> list[Item]:
    """Thumbnails in 4:3 frames with captions, in the number of columns that shows them largest.

    Most drawings are landscape; a portrait one is shown whole in the middle of its frame.
    """
    if not winners:
        return []
    gap, caption_h = style.mm(4), style.mm(9)

    def frame_height(columns: int) -> float:
        rows = math.ceil(len(winners) / columns)
        cell_w = (area.w - gap * (columns - 1)) / columns
        return min(cell_w * 3 / 4, (area.h - gap * (rows - 1)) / rows - caption_h)

    columns = max(range(1, len(winners) + 1), key=frame_height)
    frame_h = frame_height(columns)
    if frame_h < style.mm(14):
        raise TextOverflow(page, "list of winners", f"{len(winners)} winners")
    frame_w = frame_h * 4 / 3
    rows = math.ceil(len(winners) / columns)
    cell_h = frame_h + caption_h
    used_h = rows * cell_h + (rows - 1) * gap
    items: list[Item] = []
    for index, winner in enumerate(winners):
        row, col = divmod(index, columns)
        # Every row is centred, so a last row that is not full sits in the middle.
        in_row = min(columns, len(winners) - row * columns)
        x = area.x + (area.w - in_row * frame_w - (in_row - 1) * gap) / 2 + col * (frame_w + gap)
        top = area.top - (area.h - used_h) / 2 - row * (cell_h + gap)
        frame = Box(x, top - frame_h, frame_w, frame_h)
        items.append(Fill(frame, style.colours.tint, style.mm(1.5)))
        items.append(place_picture(f"winner {index + 1}", winner.drawing,
                                   pixels[winner.drawing], frame.inset(*(style.mm(1.5),) * 4),
                                   valign="centre"))
        items.append(fit_text(caption_text(winner.caption, style.language),
                              Box(x, top - cell_h, frame_w, caption_h - style.mm(1.5)),
                              font=style.fonts.regular, size=style.pt(8),
                              min_size=style.pt(5.5), colour=style.colours.ink,
                              what=f"winner {index + 1} caption", page=page, align="centre",
                              max_lines=2))
    return items


def calendar_layout(spec: CalendarSpec, pixels: dict[Path, tuple[int, int]],
                    fonts: FontNames) -> tuple[PageLayout, ...]:
    """Every page in print order: cover, twelve months, back.

    The twelve grids are set alike: every month's day numbers at one size, no larger than
    the tightest month allows; on portrait pages every grid also has the same rows (room for
    the year's most weeks and longest legend), from the same top on pages of the same
    arrangement, the rest left under it.
    """
    fits = [month_fit(spec, page, pixels[page.drawing], fonts) for page in spec.months]
    style = Style(page_frame(spec), fonts, spec.colours, spec.language)
    plan = grid_plan(fits, style, same_rows=spec.orientation == "portrait")
    return (
        cover_layout(spec, pixels[spec.cover.drawing], fonts),
        *(month_layout(spec, page, pixels[page.drawing], fonts, plan) for page in spec.months),
        back_layout(spec, pixels, fonts),
    )
