"""Boxes in points and the page frame (media, bleed, trim, safe zone, binding margin)."""

from dataclasses import dataclass

from .spec import CalendarSpec

MM = 72 / 25.4
TRIM_MM = {"A4": (210.0, 297.0), "A3": (297.0, 420.0)}
CROP_MARK_ROOM_MM = 10.0  # beyond the bleed, where the crop marks are drawn
MARGIN_MM = 12.0  # from the trim to the content on an A4 page, scaled with the page
# Month pages keep narrower margins at the sides and foot, as wall calendars do: the
# drawing and the grid take the page, still well inside the safe zone.
MONTH_MARGIN_MM = 8.0


@dataclass(frozen=True)
class Box:
    """A rectangle in points; (x, y) is its bottom-left corner, y grows upwards."""

    x: float
    y: float
    w: float
    h: float

    @property
    def right(self) -> float:
        return self.x + self.w

    @property
    def top(self) -> float:
        return self.y + self.h

    def inset(self, left: float, bottom: float, right: float, top: float) -> "Box":
        """The box shrunk by the four distances."""
        return Box(self.x + left, self.y + bottom, self.w - left - right, self.h - bottom - top)

    def grow(self, d: float) -> "Box":
        """The box enlarged by ``d`` on every side."""
        return Box(self.x - d, self.y - d, self.w + 2 * d, self.h + 2 * d)

    def below(self, top: float) -> "Box":
        """The part of this box under the height ``top``."""
        return Box(self.x, self.y, self.w, min(self.top, top) - self.y)

    def contains(self, other: "Box", tolerance: float = 0.01) -> bool:
        return (
            other.x >= self.x - tolerance
            and other.y >= self.y - tolerance
            and other.right <= self.right + tolerance
            and other.top <= self.top + tolerance
        )


@dataclass(frozen=True)
class PageFrame:
    """The boxes every page shares. ``content`` is where the layout puts things."""

    media: Box
    bleed: Box
    trim: Box
    safe: Box  # nothing readable outside it: the safe margin, and the binding at the top
    content: Box  # the safe zone with the design's own generous margins
    scale: float  # type and spacing scale: 1 for A4, about 1.41 for A3


def page_frame(spec: CalendarSpec, margin_mm: float = MARGIN_MM) -> PageFrame:
    """The frame of every page of ``spec``'s calendar, with the design's margins of
    ``margin_mm`` on A4 (``MONTH_MARGIN_MM`` for month pages)."""
    width, height = TRIM_MM[spec.page_format]
    if spec.orientation == "landscape":
        width, height = height, width
    scale = min(width, height) / 210.0
    room = spec.bleed_mm + (CROP_MARK_ROOM_MM if spec.crop_marks else 0.0)
    media = Box(0, 0, (width + 2 * room) * MM, (height + 2 * room) * MM)
    trim = Box(room * MM, room * MM, width * MM, height * MM)
    bleed = trim.grow(spec.bleed_mm * MM)
    safe_top = max(spec.safe_mm, spec.binding_mm)
    safe = trim.inset(*(spec.safe_mm * MM,) * 3, safe_top * MM)
    margin = max(spec.safe_mm, margin_mm * scale) * MM
    # The binding's wire-o holes leave room above the content, never on it.
    top = max(margin, (spec.binding_mm + 4.0 * scale) * MM)
    content = trim.inset(margin, margin, margin, top)
    return PageFrame(media, bleed, trim, safe, content, scale)
