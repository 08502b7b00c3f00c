"""Where everything goes: pure functions from the specification to boxes in points.

Each page is a ``PageLayout``: a list of primitive items (fills, rules, rings, bones, text
blocks, pictures) that the renderer paints as they are. Sizes are given for A4 and scaled
with the page (``Style.mm``, ``Style.pt``), so A3 is the same design, larger.

- ``items``: the items a page is made of, the page, and the style every page shares;
- ``blocks``: what several pages use (a placed drawing, captions, the fact panel);
- ``grid``: a month's grid of days with its legend, and the sizes the twelve grids share;
- ``months``, ``cover``, ``back``: the pages; ``calendar_layout`` below puts them in order.
"""

from pathlib import Path

from ..fonts import FontNames
from ..geometry import MONTH_MARGIN_MM, Box, page_frame
from ..spec import CalendarSpec
from .back import back_layout
from .blocks import MAX_CROP, age_text, caption_text, place_picture
from .cover import cover_layout
from .grid import (
    GridPlan,
    ZonePlan,
    grid_plan,
    zone_grid_width,
    zone_max_height,
    zone_min_height,
)
from .items import Bone, Fill, Item, PageLayout, Picture, Ring, Rule, Style
from .months import (
    ZONE_ABOVE,
    area_wanted,
    month_fit,
    month_grid_of,
    month_layout,
    neighbours,
    uses_strip,
)
from .strip import strip_height

__all__ = [
    "MAX_CROP",
    "Bone",
    "Fill",
    "Item",
    "PageLayout",
    "Picture",
    "Ring",
    "Rule",
    "age_text",
    "calendar_layout",
    "caption_text",
    "place_picture",
]


def calendar_layout(spec: CalendarSpec, pixels: dict[Path, tuple[int, int]],
                    fonts: FontNames) -> tuple[PageLayout, ...]:
    """Every page in print order: cover, twelve months, back.

    The twelve grids are set alike. On portrait pages one calendar zone at the foot serves
    all twelve (``portrait_zone``): the same box, rows and day numbers at the design's size.
    On landscape pages every month's day numbers take one size, no larger than the tightest
    month allows.
    """
    style = Style(page_frame(spec, MONTH_MARGIN_MM), fonts, spec.colours, spec.language)
    if spec.orientation == "portrait":
        plan: ZonePlan | GridPlan = portrait_zone(spec, pixels, style)
    else:
        plan = landscape_plan(spec, pixels, style)
    return (
        cover_layout(spec, pixels[spec.cover.drawing], fonts),
        *(month_layout(spec, page, pixels[page.drawing], fonts, plan) for page in spec.months),
        back_layout(spec, pixels, fonts),
    )


def landscape_plan(spec: CalendarSpec, pixels: dict[Path, tuple[int, int]],
                   style: Style) -> GridPlan:
    """What the landscape month pages share: the strip of days along the foot (its height
    for the year's longest heading and legend), and the day numbers' size of the grids of
    the pages whose drawing stands larger beside a grid."""
    grids = [month_grid_of(spec, page.month) for page in spec.months]
    names = [f"month {grid.month:02d} ({grid.name})" for grid in grids]
    strip_h = strip_height(grids, style.frame.content.w, style, names)
    beside = [page for page, name in zip(spec.months, names, strict=True)
              if not uses_strip(page, pixels[page.drawing], style, name, strip_h,
                                neighbours(spec, page.month))]
    fits = [month_fit(spec, page, pixels[page.drawing], style.fonts) for page in beside]
    size = grid_plan(fits, style, same_rows=False).number_size if fits else 0.0
    return GridPlan(size, strip_h=strip_h)


def portrait_zone(spec: CalendarSpec, pixels: dict[Path, tuple[int, int]],
                  style: Style) -> ZonePlan:
    """The calendar zone of the portrait month pages: across the content's foot, as low as
    the year's most weeks and longest legend allow, and taller (its rows with more room to
    write in) only as far as no month's drawing would have grown into it."""
    content, gap = style.frame.content, style.mm(ZONE_ABOVE)
    grids = [month_grid_of(spec, page.month) for page in spec.months]
    names = [f"month {grid.month:02d} ({grid.name})" for grid in grids]
    lowest = zone_min_height(grids, content.w, style, names)
    area = content.inset(0, lowest + gap, 0, 0)
    wanted = max(area_wanted(area, page, pixels[page.drawing], style) for page in spec.months)
    rows = max(len(g.weeks) for g in grids)
    height = max(lowest, min(content.h - gap - wanted, zone_max_height(rows, style)))
    return ZonePlan(Box(content.x, content.y, content.w, height),
                    zone_grid_width(content.w, style), rows)
