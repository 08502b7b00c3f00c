"""A laid-out page in numbers, as a print designer checks it: the drawing's share of the
trimmed page, the tallest blank band across it, where the grid stands, the day numbers'
size and the smallest text. The preflight reports them for every page."""

from collections import Counter
from dataclasses import dataclass

from ..geometry import MM, Box
from ..text import TextBlock
from .items import Bone, Fill, Item, PageLayout, Picture, Ring, Rule


@dataclass(frozen=True)
class PageMeasure:
    drawing_share: float | None  # the page's own drawing (not the back's thumbnails)
    largest_blank_mm: float  # the tallest band across the whole trimmed width with no item
    grid_mm: tuple[float, float, float] | None  # the grid's left, top (from the trim's top
    # left corner) and width
    row_pitch_mm: float | None
    day_number_size: float | None  # pt, when every day number has one size
    smallest_text: tuple[str, float] | None  # what and its size in pt


def bounds(item: Item) -> Box:
    """The box an item covers on the page."""
    match item:
        case TextBlock():
            return item.extent()
        case Picture(box=box) | Fill(box=box) | Bone(box=box):
            return box
        case Ring(cx=cx, cy=cy, r=r, width=width):
            return Box(cx - r, cy - r, 2 * r, 2 * r).grow(width / 2)
        case Rule(x1=x1, y1=y1, x2=x2, y2=y2, width=width):
            return Box(min(x1, x2), min(y1, y2) - width / 2, abs(x2 - x1), abs(y2 - y1) + width)
    raise TypeError(item)


def largest_blank(layout: PageLayout) -> float:
    """The tallest horizontal band of the trimmed page, across its whole width, that no
    item reaches into (points): margins count, a band beside a picture does not."""
    trim = layout.frame.trim
    spans = sorted((max(b.y, trim.y), min(b.top, trim.top)) for b in map(bounds, layout.items)
                   if b.top > trim.y and b.y < trim.top)
    blank, reached = 0.0, trim.y
    for bottom, top in spans:
        blank, reached = max(blank, bottom - reached), max(reached, top)
    return max(blank, trim.top - reached)


def measure(layout: PageLayout) -> PageMeasure:
    """The page's numbers (see ``PageMeasure``)."""
    trim = layout.frame.trim
    drawings = [p for p in layout.pictures if p.what == "drawing"]
    share = (sum(p.box.w * p.box.h for p in drawings) / (trim.w * trim.h)) if drawings else None
    days = [t for t in layout.texts if t.what.startswith("day ")]
    grid = pitch = size = None
    if days:
        # The row rules: the rules of the colour most of them have.
        all_rules = [i for i in layout.items if isinstance(i, Rule)]
        colour = Counter(r.colour for r in all_rules).most_common(1)[0][0]
        rules = [bounds(r) for r in all_rules if r.colour == colour]
        left, right = min(b.x for b in rules), max(b.right for b in rules)
        top = max(t.extent().top for t in layout.texts if t.what == "weekday")
        grid = ((left - trim.x) / MM, (trim.top - top) / MM, (right - left) / MM)
        rows = sorted({round(t.lines[0].y, 3) for t in days}, reverse=True)
        pitch = (rows[0] - rows[1]) / MM if len(rows) > 1 else None
        sizes = {round(t.size, 3) for t in days}
        size = sizes.pop() if len(sizes) == 1 else None
    texts = [t for t in layout.texts if not t.what.startswith("day ")]
    smallest = min(((t.what, t.size) for t in texts), key=lambda w: w[1], default=None)
    return PageMeasure(share, largest_blank(layout) / MM, grid, pitch, size, smallest)
