"""Text set into boxes: wrapped, shrunk within limits, or refused with the page's name."""

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

from .fonts import ascent, descent, text_width
from .geometry import Box

Align = Literal["left", "centre", "right"]
LEADING = 1.22
SHRINK_STEP = 0.96


class TextOverflow(ValueError):
    """A text too long for its box even at its smallest allowed size."""

    def __init__(self, page: str, what: str, text: str) -> None:
        short = text if len(text) <= 60 else text[:57] + "..."
        super().__init__(f"{page}: the {what} does not fit its box even shrunk: {short!r}")
        self.page = page
        self.what = what


@dataclass(frozen=True)
class Line:
    text: str
    x: float  # start of the baseline
    y: float


@dataclass(frozen=True)
class TextBlock:
    """Lines ready to paint, and what the layout did to make them fit."""

    what: str  # "fact", "caption", "day 20"...: named in the preflight report
    lines: tuple[Line, ...]
    font: str
    size: float
    preferred_size: float
    colour: str

    @property
    def shrink(self) -> float:
        """The size set over the size wanted: 1.0 when the text fitted as designed."""
        return self.size / self.preferred_size

    def extent(self) -> Box:
        """The box the painted glyphs occupy (advance widths, ascent and descent)."""
        up, down = ascent(self.font, self.size), descent(self.font, self.size)
        left = min(line.x for line in self.lines)
        right = max(line.x + text_width(line.text, self.font, self.size) for line in self.lines)
        bottom = min(line.y for line in self.lines) - down
        top = max(line.y for line in self.lines) + up
        return Box(left, bottom, right - left, top - bottom)


def sizes(size: float, min_size: float) -> Iterator[float]:
    """Font sizes to try, from ``size`` down to ``min_size`` in small steps."""
    yield size
    while size > min_size:
        size = max(min_size, round(size * SHRINK_STEP, 2))
        yield size


def wrap(text: str, font: str, size: float, width: float) -> list[str] | None:
    """Greedy word wrap of each paragraph; None when a single word is wider than ``width``.

    A one-letter preposition or conjunction ("с", "и", "a") does not end a line: it starts
    the next one, with the word it belongs to.
    """
    lines: list[str] = []
    for paragraph in text.split("\n"):
        current = ""
        for word in paragraph.split():
            if text_width(word, font, size) > width:
                return None
            candidate = f"{current} {word}" if current else word
            if text_width(candidate, font, size) <= width:
                current = candidate
                continue
            # A one-letter word ("с", "и", "a", a sentence's "В") goes down with the word it
            # belongs to; "витамин D" keeps its letter.
            head, _, last = current.rpartition(" ")
            if (head and len(last) == 1 and last.isalpha()
                    and (last.islower() or not head[-1].isalnum())
                    and text_width(f"{last} {word}", font, size) <= width):
                lines.append(head)
                current = f"{last} {word}"
            else:
                lines.append(current)
                current = word
        lines.append(current)
    return lines


def text_height(lines: int, font: str, size: float) -> float:
    """Height of ``lines`` lines from the first ascent to the last descent."""
    return ascent(font, size) + descent(font, size) + (lines - 1) * size * LEADING


def set_lines(
    lines: list[str], box: Box, font: str, size: float, align: Align, valign: str = "top"
) -> tuple[Line, ...]:
    """Baselines of ``lines`` in ``box``, aligned; assumes they fit."""
    height = text_height(len(lines), font, size)
    top = {"top": box.top, "centre": box.y + (box.h + height) / 2, "bottom": box.y + height}[valign]
    first = top - ascent(font, size)
    placed = []
    for i, line in enumerate(lines):
        slack = box.w - text_width(line, font, size)
        x = box.x + {"left": 0.0, "centre": slack / 2, "right": slack}[align]
        placed.append(Line(line, x, first - i * size * LEADING))
    return tuple(placed)


def fit_text(
    text: str,
    box: Box,
    *,
    font: str,
    size: float,
    min_size: float,
    colour: str,
    what: str,
    page: str,
    align: Align = "left",
    valign: str = "top",
    max_lines: int | None = None,
) -> TextBlock:
    """``text`` wrapped into ``box`` at the largest size from ``size`` down to ``min_size``."""
    for current in sizes(size, min_size):
        lines = wrap(text, font, current, box.w)
        if (
            lines is not None
            and (max_lines is None or len(lines) <= max_lines)
            and text_height(len(lines), font, current) <= box.h
        ):
            placed = set_lines(lines, box, font, current, align, valign)
            return TextBlock(what, placed, font, current, size, colour)
    raise TextOverflow(page, what, text)


def common_size(
    texts: list[str], width: float, height: float, gap: float, *, font: str, size: float,
    min_size: float, page: str, what: str,
) -> tuple[float, list[list[str]]]:
    """The largest size at which all ``texts``, stacked with ``gap`` between, fit the height."""
    for current in sizes(size, min_size):
        wrapped = [wrap(text, font, current, width) for text in texts]
        if all(w is not None for w in wrapped):
            total = sum(text_height(len(w), font, current) for w in wrapped)  # type: ignore[arg-type]
            if total + gap * (len(texts) - 1) <= height:
                return current, wrapped  # type: ignore[return-value]
    raise TextOverflow(page, what, " / ".join(texts))
