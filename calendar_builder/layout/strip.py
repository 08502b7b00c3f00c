"""Landscape pages: the month in a strip of two rows of days along the foot of the page,
under its name, year and legend, so that a wide drawing takes the page's height above it."""

from dataclasses import replace

from ..days import MonthGrid
from ..geometry import Box
from ..text import fit_text
from .grid import (
    LEGEND_TOP,
    NUMBER_SIZE,
    ROW_PITCH,
    ROW_RULE_STRENGTH,
    ROW_RULE_W,
    ZONE_TOP,
    _heading,
    _legend_fit,
    _legend_items,
    blend,
)
from .items import Item, Ring, Rule, Style

# In mm of the A4 design: the weekday's line over each day, and the gap between the heading
# and the rows. A strip's day is a sixteenth of the page's width: its number at the design's
# size keeps 44 % of it clear.
STRIP_WEEKDAY_H, STRIP_GAP = 4.5, 1.5
STRIP_COLUMNS = 16
STRIP_HEADING_W = 75.0  # mm on A4: the name and year; the legend takes the rest of the line


def strip_height(grids: list[MonthGrid], width: float, style: Style,
                 names: list[str]) -> float:
    """The height of the strip ``width`` wide: the heading (and the legend beside it) over
    two rows of days."""
    return (style.mm(ZONE_TOP + STRIP_GAP) + _strip_row_h(style) * 2 + style.pt(ROW_RULE_W)
            + max(_strip_heading_h(grid, width, style, name)
                  for grid, name in zip(grids, names, strict=True)))


def _strip_row_h(style: Style) -> float:
    return style.mm(STRIP_WEEKDAY_H) + style.pt(NUMBER_SIZE) * ROW_PITCH


def _strip_heading_h(grid: MonthGrid, width: float, style: Style, page: str) -> float:
    heading_w = style.mm(STRIP_HEADING_W)
    heading = _heading(grid, Box(0, 0, heading_w, 1000), style, page)
    legend = _strip_legend(grid, width - heading_w, style, page)[3] - style.mm(LEGEND_TOP)
    return max(1000 - min(b.extent().y for b in heading), legend)


def _strip_legend(grid: MonthGrid, width: float, style: Style, page: str
                  ) -> tuple[int, float, tuple[tuple[str, ...], ...], float]:
    """The strip's legend in ``width``: in two columns when its entries are short."""
    texts = [f"{e.days} — {e.label}" for e in grid.legend]
    return _legend_fit(texts, width, style.mm(60), style, page)


def calendar_strip(box: Box, grid: MonthGrid, style: Style, page: str) -> list[Item]:
    """The month along ``box``: an accent rule over it, the name and year at the left with
    the legend beside them, then the days in two rows (1–16 and 17 on), each day's weekday
    over its number, the number at the design's size; days off in the weekend colour."""
    c, f = style.colours, style.fonts
    items: list[Item] = [Rule(box.x, box.top, box.right, box.top, c.accent, style.pt(1.2))]
    top = box.top - style.mm(ZONE_TOP)
    heading_w = style.mm(STRIP_HEADING_W)
    items += _heading(grid, Box(box.x, box.y, heading_w, top - box.y), style, page)
    columns, size, lines, _ = _strip_legend(grid, box.w - heading_w, style, page)
    items += _legend_items(grid, box.x + heading_w, top, box.w - heading_w, columns, style,
                           page, size, lines)
    row_h, size = _strip_row_h(style), style.pt(NUMBER_SIZE)
    cell_w = box.w / STRIP_COLUMNS
    days = [(day, col) for week in grid.weeks for col, day in enumerate(week)
            if day is not None]
    rule_colour, rule_w = blend(c.ink, c.paper, ROW_RULE_STRENGTH), style.pt(ROW_RULE_W)
    rows_top = box.y + rule_w / 2 + 2 * row_h
    for row in range(2):
        row_top = rows_top - row * row_h
        items.append(Rule(box.x, row_top, box.right, row_top, rule_colour, rule_w))
        for col, (day, weekday_col) in enumerate(
                days[row * STRIP_COLUMNS:(row + 1) * STRIP_COLUMNS]):
            x = box.x + col * cell_w
            label = grid.weekday_names[weekday_col]
            off = day.off or (weekday_col in grid.weekend_columns and not day.working_weekend)
            weekday = fit_text(label, Box(x, row_top - style.mm(STRIP_WEEKDAY_H), cell_w,
                                          style.mm(STRIP_WEEKDAY_H)),
                               font=f.bold, size=style.pt(10), min_size=style.pt(10),
                               colour=c.weekend if off else c.ink, what="weekday", page=page,
                               align="centre", valign="centre", max_lines=1)
            cell = Box(x, row_top - row_h, cell_w, row_h - style.mm(STRIP_WEEKDAY_H))
            if day.marked:
                r = min(cell.w, cell.h) * 0.45
                items.append(Ring(cell.x + cell.w / 2, cell.y + cell.h / 2, r, c.marked,
                                  style.pt(2)))
            colour = c.marked if day.marked else c.weekend if day.off else c.ink
            font = f.bold if day.off or day.marked else f.regular
            number = fit_text(str(day.date.day), cell, font=font, size=size, min_size=size * 0.6,
                              colour=colour, what=f"day {day.date.day}", page=page,
                              align="centre", valign="centre", max_lines=1)
            items += [weekday, replace(number, preferred_size=size)]
    items.append(Rule(box.x, box.y + rule_w / 2, box.right, box.y + rule_w / 2, rule_colour,
                      rule_w))
    return items
