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
from ..geometry import page_frame
from ..spec import CalendarSpec
from .back import back_layout
from .blocks import MAX_CROP, age_text, caption_text, place_picture
from .cover import cover_layout
from .grid import grid_plan
from .items import Bone, Fill, Item, PageLayout, Picture, Ring, Rule, Style
from .months import month_fit, month_layout

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
