"""The small grids of the months before and after the page's own, as wall calendars print
them beside the month: real months (December of the year before January)."""

from ..days import MonthGrid
from ..fonts import descent as descent_of
from ..fonts import text_width
from ..geometry import Box
from ..text import Line, TextBlock
from .items import Item, Style

# The small grids of the months before and after, in points of the A4 design: their type,
# the gap between the two, and the paper above them.
MINI_SIZE = 7.0
MINI_GAP, MINI_TOP = 4.0, 2.0  # mm
MINI_LEADING = 1.28


def mini_size(style: Style, room: float | None = None) -> tuple[float, float]:
    """Width and height of one small month grid (name, weekdays, six weeks), two of which
    stand side by side in ``room``."""
    size = style.pt(MINI_SIZE)
    column = text_width("28", style.fonts.regular, size) * 1.75
    if room is not None:
        column = min(column, (room - style.mm(MINI_GAP)) / 14)
    return 7 * column, size * MINI_LEADING * 7 + size


def mini_grid(box: Box, grid: MonthGrid, style: Style, weeks: int = 6) -> list[Item]:
    """A small grid of another month at ``box``'s top left, ``box.w`` wide: its name and
    year, the weekdays' initials and the days, days off in the weekend colour."""
    c, f, size = style.colours, style.fonts, style.pt(MINI_SIZE)
    width = box.w
    column, pitch = width / 7, size * MINI_LEADING
    # The last of ``weeks`` lines sits on the box's foot.
    baseline = box.y + descent_of(f.regular, size) + (weeks + 1) * pitch
    title = f"{grid.name} {grid.year}"
    items: list[Item] = [TextBlock(f"mini {grid.month:02d}.{grid.year} name", (
        Line(title, box.x + (width - text_width(title, f.bold, size)) / 2, baseline),),
        f.bold, size, size, c.accent)]

    def centred(text: str, font: str, col: int, y: float) -> Line:
        return Line(text, box.x + col * column + (column - text_width(text, font, size)) / 2, y)

    kinds: dict[str, list[Line]] = {"ink": [], "off": []}
    for col, label in enumerate(grid.weekday_names):
        kinds["off" if col in grid.weekend_columns else "ink"].append(
            centred(label[:2], f.bold, col, baseline - pitch))
    for row, week in enumerate(grid.weeks):
        for col, day in enumerate(week):
            if day is not None:
                kinds["off" if day.off else "ink"].append(
                    centred(str(day.date.day), f.regular, col, baseline - (row + 2) * pitch))
    what = f"mini {grid.month:02d}.{grid.year}"
    for kind, colour in (("ink", c.ink), ("off", c.weekend)):
        if kinds[kind]:
            items.append(TextBlock(f"{what} days", tuple(kinds[kind]), f.regular, size, size,
                                   colour))
    return items


def minis_height(style: Style) -> float:
    return style.mm(MINI_TOP) + mini_size(style)[1]


def mini_pair(box: Box, neighbours: tuple[MonthGrid, MonthGrid], style: Style) -> list[Item]:
    """The months before and after side by side at the foot of ``box``, centred across it."""
    width, height = mini_size(style, box.w)
    gap = style.mm(MINI_GAP)
    x = box.x + (box.w - 2 * width - gap) / 2
    items: list[Item] = []
    weeks = max(len(grid.weeks) for grid in neighbours)  # the two aligned, on the foot
    for index, grid in enumerate(neighbours):
        items += mini_grid(Box(x + index * (width + gap), box.y, width, height), grid, style,
                           weeks)
    return items
