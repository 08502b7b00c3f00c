"""What a page is made of: the primitive items the renderer paints, and the page's style."""

from dataclasses import dataclass, replace
from pathlib import Path

from ..fonts import FontNames
from ..geometry import MM, Box, PageFrame
from ..spec import Colours, Language
from ..text import TextBlock


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
