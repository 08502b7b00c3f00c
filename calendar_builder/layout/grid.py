"""A month's grid: its name and year, the weekday header, the weeks, the legend, and the
small grids of the months before and after.

Portrait pages: ``zone_plan`` fixes one calendar zone for the twelve months (the same box on
every page, its day numbers at the design's size) and ``calendar_zone`` fills it: the month's
name, year, legend and the small grids in a column at the left, the grid at the right.
Landscape pages: ``grid_fit`` measures one month alone, ``grid_plan`` makes the twelve grids
share one size of day numbers, and ``calendar_block`` sets name, grid, legend and small grids
down a column.
"""

import math
from dataclasses import dataclass, replace

from ..days import MonthGrid
from ..fonts import text_width
from ..geometry import Box
from ..text import (
    Line,
    TextBlock,
    TextOverflow,
    common_size,
    fit_text,
    set_lines,
    text_height,
    wrap,
)
from .items import Fill, Item, Ring, Rule, Style
from .minis import mini_pair, minis_height

# The widest day number takes at most this share of its column, so that neighbours in a
# row keep clear paper between them and read as separate days.
NUMBER_WIDTH = 0.55
NUMBER_SIZE = 24.0  # the day numbers' size of the A4 design, when their rows have room
# The rows of the grid are at least this many times the day numbers' size apart.
ROW_PITCH = 1.12
ROW_RULE_STRENGTH = 0.22  # row rules: the ink at this strength on paper, a light grey
ROW_RULE_W = 1.5  # pt on A4
# Down the block, in mm of the A4 design: the month's name and year, the accent rule under
# them, the gap under the rule, the weekdays' line.
HEADER_H, RULE_DROP, RULE_GAP, WEEKDAY_H = 13.0, 2.5, 2.0, 8.0


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
    strip_h: float = 0.0  # landscape pages: the strip of days along the foot


def blend(colour: str, paper: str, strength: float) -> str:
    """``colour`` printed at ``strength`` (0–1) on ``paper``, as #RRGGBB."""
    channels = zip(bytes.fromhex(colour[1:]), bytes.fromhex(paper[1:]), strict=True)
    return "#" + "".join(f"{round(base + (ink - base) * strength):02X}"
                         for ink, base in channels)


def number_size(row_h: float, cell_w: float, style: Style) -> float:
    """The day numbers' size in a cell: rows ``ROW_PITCH`` times the size apart, clear of
    their neighbours in the row."""
    widest = max(text_width(str(n), style.fonts.bold, 1.0) for n in range(10, 32))
    return min(row_h / ROW_PITCH, style.pt(NUMBER_SIZE), cell_w * NUMBER_WIDTH / widest)


def _grid_geometry(style: Style) -> tuple[float, float, float, float]:
    """Header height, the rule's drop under it, the weekday line and the row rules' width."""
    return style.mm(HEADER_H), style.mm(RULE_DROP), style.mm(WEEKDAY_H), style.pt(ROW_RULE_W)


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
    room = rule_y - style.mm(RULE_GAP) - weekday_h - rule_w / 2 - box.y
    rows, cell_w = len(grid.weeks), box.w / 7
    row_h = min((room - legend_h) / rows, cell_w * max_row)
    return GridFit(rows, cell_w, box.h, room, row_h, cell_w * max_row, legend_h, columns,
                   legend_size, legend_lines, number_size(row_h, cell_w, style))


# The legend, in mm of the A4 design: the paper above it, between its entries, a swatch
# and the gap after it, between two columns; its type size in points.
LEGEND_TOP, LEGEND_GAP, LEGEND_SWATCH, LEGEND_SWATCH_GAP = 3.0, 1.5, 3.2, 2.0
LEGEND_COLUMN_GAP = 6.0
# Read on a wall: the legend is never set below 10 pt on A4 (14 pt on A3).
LEGEND_SIZE, LEGEND_MIN_SIZE = 10.0, 10.0


def _legend_fit(texts: list[str], width: float, max_h: float, style: Style, page: str
                ) -> tuple[int, float, tuple[tuple[str, ...], ...], float]:
    """The legend's columns, size, lines of each entry and height with its gap above.

    Entries that each fit one line of half the width stand in two columns, read down; else
    they are stacked, shrinking together when they must, to at most ``max_h``.
    """
    if not texts:
        return 1, style.pt(LEGEND_SIZE), (), 0.0
    font, gap, preferred = style.fonts.regular, style.mm(LEGEND_GAP), style.pt(LEGEND_SIZE)
    if len(texts) > 1 and all(text_width(t, font, preferred) <= _legend_text_w(width, 2, style)
                              for t in texts):
        down = math.ceil(len(texts) / 2)
        height = text_height(1, font, preferred) * down + gap * (down - 1)
        if height <= max_h:
            return 2, preferred, tuple((t,) for t in texts), height + style.mm(LEGEND_TOP)
    size, lines = common_size(texts, _legend_text_w(width, 1, style), max_h, gap, font=font,
                              size=preferred, min_size=style.pt(LEGEND_MIN_SIZE), page=page,
                              what="legend")
    height = sum(text_height(len(entry), font, size) for entry in lines)
    height += gap * (len(texts) - 1)
    return 1, size, tuple(tuple(entry) for entry in lines), height + style.mm(LEGEND_TOP)


def _legend_text_w(width: float, columns: int, style: Style) -> float:
    """The width of an entry's text in a legend of ``columns`` across ``width``."""
    column_w = (width - style.mm(LEGEND_COLUMN_GAP) * (columns - 1)) / columns
    return column_w - style.mm(LEGEND_SWATCH + LEGEND_SWATCH_GAP)


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

    cell_h = fit.row_h if plan is None or plan.row_h is None else min(plan.row_h, fit.row_h)
    size = fit.number_size if plan is None else plan.number_size
    if cell_h < style.mm(6):
        raise TextOverflow(page, "month grid", grid.name)
    grid_box = box.below(rule_y - style.mm(RULE_GAP))
    items += _weeks(grid_box, grid, style, page, cell_h, size)
    grid_bottom = grid_box.top - weekday_h - len(grid.weeks) * cell_h
    items += _legend_items(grid, box.x, grid_bottom - style.mm(LEGEND_TOP), box.w,
                           fit.legend_columns, style, page, fit.legend_size, fit.legend_lines)
    return items


def _weeks(box: Box, grid: MonthGrid, style: Style, page: str, cell_h: float,
           size: float, weekday_h: float | None = None) -> list[Item]:
    """The weekday header and the weeks from ``box``'s top, rows ``cell_h`` apart, the day
    numbers at ``size``, a light rule above each row and under the last."""
    c, f = style.colours, style.fonts
    weekday_h = style.mm(WEEKDAY_H) if weekday_h is None else weekday_h
    rule_w = style.pt(ROW_RULE_W)
    cell_w, grid_top = box.w / 7, box.top
    items: list[Item] = []
    for col, label in enumerate(grid.weekday_names):
        cell = Box(box.x + col * cell_w, grid_top - weekday_h, cell_w, weekday_h)
        colour = c.weekend if col in grid.weekend_columns else c.ink
        items.append(fit_text(label, cell, font=f.bold, size=style.pt(10.5),
                              min_size=style.pt(10), colour=colour, what="weekday", page=page,
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
    return items


def _legend_items(grid: MonthGrid, x0: float, top0: float, width: float, columns: int,
                  style: Style, page: str, legend_size: float,
                  legend_lines: tuple[tuple[str, ...], ...] | None = None) -> list[Item]:
    """The legend's entries from ``top0`` down, each with its swatch, in ``columns``."""
    c, f = style.colours, style.fonts
    swatch, gap = style.mm(LEGEND_SWATCH), style.mm(LEGEND_GAP)
    text_w = _legend_text_w(width, columns, style)
    if legend_lines is None:
        legend_lines = tuple(tuple(wrap(f"{e.days} — {e.label}", f.regular, legend_size, text_w)
                                   or (f"{e.days} — {e.label}",)) for e in grid.legend)
    items: list[Item] = []
    down = math.ceil(len(grid.legend) / columns)
    top = top0
    for index, (entry, lines) in enumerate(zip(grid.legend, legend_lines, strict=True)):
        column, place = divmod(index, down)
        if place == 0:
            top = top0
        x = x0 + column * (text_w + swatch + style.mm(LEGEND_SWATCH_GAP + LEGEND_COLUMN_GAP))
        h = text_height(len(lines), f.regular, legend_size)
        text_x = x + swatch + style.mm(LEGEND_SWATCH_GAP)
        placed = set_lines(list(lines), Box(text_x, top - h, text_w, h), f.regular, legend_size,
                           "left")
        first = placed[0].y
        colour = {"holiday": c.weekend, "working": c.ink, "marked": c.marked}[entry.kind]
        if entry.kind == "marked":
            items.append(Ring(x + swatch / 2, first + legend_size * 0.33, swatch * 0.4, colour,
                              style.pt(1.5)))
        else:
            items.append(Fill(Box(x + swatch * 0.15, first - legend_size * 0.02, swatch * 0.7,
                                  swatch * 0.7), colour, swatch * 0.15))
        items.append(TextBlock("legend", placed, f.regular, legend_size, style.pt(LEGEND_SIZE),
                               c.ink))
        top -= h + gap
    return items




# Portrait pages: one calendar zone for the twelve months ----------------------------------

ZONE_GAP = 6.0  # mm on A4: between the left column and the grid
ZONE_TOP = 2.0  # mm on A4: under the accent rule at the zone's top
NAME_H, YEAR_H = 10.5, 8.0  # mm on A4: the month's name and the year in the left column
ZONE_WEEKDAY_H = 6.5  # mm on A4: the weekdays' line over the zone's grid
# The zone's rows grow (room to write in) up to this pitch, in mm of the A4 design.
ROW_MAX = 14.0


@dataclass(frozen=True)
class ZonePlan:
    """The calendar zone every portrait month page shares: its box and the grid's rows."""

    box: Box
    grid_w: float  # the grid at the zone's right
    rows: int  # the year's most weeks: every month has this many rows, from the same top


def _legend_height(grid: MonthGrid, width: float, style: Style, page: str) -> float:
    texts = [f"{e.days} — {e.label}" for e in grid.legend]
    if not texts:
        return 0.0
    size, lines = common_size(texts, _legend_text_w(width, 1, style), 1e9, style.mm(LEGEND_GAP),
                              font=style.fonts.regular, size=style.pt(LEGEND_SIZE),
                              min_size=style.pt(LEGEND_SIZE), page=page, what="legend")
    return (sum(text_height(len(entry), style.fonts.regular, size) for entry in lines)
            + style.mm(LEGEND_GAP) * (len(texts) - 1) + style.mm(LEGEND_TOP))


def full_size_grid_width(style: Style) -> float:
    """The narrowest grid whose day numbers at the design's size stand clear of each other."""
    widest = max(text_width(str(n), style.fonts.bold, style.pt(NUMBER_SIZE)) for n in range(10, 32))
    return 7 * widest / NUMBER_WIDTH


def zone_grid_width(width: float, style: Style) -> float:
    """The grid's width in a zone ``width`` wide: day numbers of the design's size stand clear."""
    return min(width * 0.7, max(width * 0.62, full_size_grid_width(style)))


def zone_min_height(grids: list[MonthGrid], width: float, style: Style,
                    names: list[str]) -> float:
    """The least height of a zone ``width`` wide that holds every month of ``grids``."""
    _, rule_w = style.mm(WEEKDAY_H), style.pt(ROW_RULE_W)
    rows = max(len(grid.weeks) for grid in grids)
    grid_h = (style.mm(ZONE_TOP + ZONE_WEEKDAY_H) + rows * style.pt(NUMBER_SIZE) * ROW_PITCH
              + rule_w)
    column_w = width - zone_grid_width(width, style) - style.mm(ZONE_GAP)
    column_h = max(style.mm(ZONE_TOP) + _heading_height(grid, column_w, style, name)
                   + _legend_height(grid, column_w, style, name) + minis_height(style)
                   for grid, name in zip(grids, names, strict=True))
    return max(grid_h, column_h)


def _heading(grid: MonthGrid, box: Box, style: Style, page: str) -> list[TextBlock]:
    """The month's name and the year from ``box``'s top: on one line when they fit."""
    c, f = style.colours, style.fonts
    name_box = Box(box.x, box.top - style.mm(NAME_H), box.w, style.mm(NAME_H))
    name = fit_text(grid.name, name_box, font=f.display, size=style.pt(24),
                    min_size=style.pt(18), colour=c.accent, what="month name", page=page,
                    valign="centre", max_lines=1)
    year_w = text_width(str(grid.year), f.display, style.pt(17))
    if name.extent().w + style.mm(3) + year_w <= box.w:
        # The year on the name's baseline, after it.
        year_x = name.extent().right + style.mm(3)
        return [name, TextBlock("year", (Line(str(grid.year), year_x, name.lines[0].y),),
                                f.display, style.pt(17), style.pt(17), c.ink)]
    year = fit_text(str(grid.year), Box(box.x, name.extent().y - style.mm(YEAR_H), box.w,
                                        style.mm(YEAR_H)),
                    font=f.display, size=style.pt(17), min_size=style.pt(12), colour=c.ink,
                    what="year", page=page, valign="centre", max_lines=1)
    return [name, year]


def _heading_height(grid: MonthGrid, width: float, style: Style, page: str) -> float:
    blocks = _heading(grid, Box(0, 0, width, 1000), style, page)
    return 1000 - min(b.extent().y for b in blocks)


def zone_max_height(rows: int, style: Style) -> float:
    """The tallest zone: its rows at ``ROW_MAX``."""
    return (style.mm(ZONE_TOP + ZONE_WEEKDAY_H) + rows * style.mm(ROW_MAX)
            + style.pt(ROW_RULE_W))


def calendar_zone(zone: ZonePlan, grid: MonthGrid, neighbours: tuple[MonthGrid, MonthGrid],
                  style: Style, page: str) -> list[Item]:
    """The month in its zone: an accent rule across the top; the name, the year, the legend
    and the small grids of the months around in a column at the left; the grid at the right,
    its rows ``zone.rows`` and its day numbers at the design's size."""
    c, _f, box = style.colours, style.fonts, zone.box
    items: list[Item] = [Rule(box.x, box.top, box.right, box.top, c.accent, style.pt(1.2))]
    top = box.top - style.mm(ZONE_TOP)
    column = Box(box.x, box.y, box.w - zone.grid_w - style.mm(ZONE_GAP), top - box.y)
    heading = _heading(grid, column, style, page)
    items += heading
    legend_top = min(b.extent().y for b in heading) - style.mm(LEGEND_TOP)
    items += _legend_items(grid, column.x, legend_top, column.w, 1, style, page,
                           style.pt(LEGEND_SIZE))
    items += mini_pair(Box(column.x, box.y, column.w, minis_height(style)), neighbours, style)
    grid_box = Box(box.right - zone.grid_w, box.y, zone.grid_w, top - box.y)
    weekday_h, rule_w = style.mm(ZONE_WEEKDAY_H), style.pt(ROW_RULE_W)
    row_h = (grid_box.h - weekday_h - rule_w / 2) / zone.rows
    size = style.pt(NUMBER_SIZE)
    if row_h < size * ROW_PITCH - 0.01:
        raise TextOverflow(page, "month grid", grid.name)
    # Every month shows the same ruled rows; a month of fewer weeks leaves the last empty.
    padded = replace(grid, weeks=grid.weeks + ((None,) * 7,) * (zone.rows - len(grid.weeks)))
    items += _weeks(grid_box, padded, style, page, row_h, size, weekday_h)
    return items
