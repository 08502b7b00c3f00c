"""Text set into boxes: typeset by rule, wrapped, shrunk within limits, or refused by page.

Every text of every page passes through ``wrap`` or ``set_lines``, and both apply
``typeset``: the one place where the typographic rules live. A text with Cyrillic letters
gets the Russian rules, any other the English ones, so the English edition's texts (and a
Russian text left untranslated in it) are each set by their own language's rules.
"""

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cache
from typing import Literal

import pyphen

from .fonts import ascent, descent, text_width
from .geometry import Box

Align = Literal["left", "centre", "right"]
LEADING = 1.22
SHRINK_STEP = 0.96
NBSP = "\u00a0"
# A word of this many letters or more, not the paragraph's last, is hyphenated at the end
# of a line that it would otherwise leave more than HYPHENATE_ROOM empty.
LONG_WORD = 10
HYPHENATE_ROOM = 0.25


# Typography -------------------------------------------------------------------------------

CYRILLIC = re.compile(r"[А-Яа-яЁё]")
# Words of one or two letters (prepositions, conjunctions, particles), two in a row too,
# are tied to the word after them: "и в доме" never leaves "и" or "в" at a line's end.
SHORT_WORD = re.compile(r"(?<![\w\-’'])([А-Яа-яЁё]{1,2}) (?=\S)")
# Particles that belong to the word before them.
PARTICLE = re.compile(r" (ли|ль|же|ж|бы|б)(?![\w\-])")
# A capital Latin letter or a code after a word belongs to it: "витамин D", "группы B12".
CODE = re.compile(r"(?<=\w) ([A-Z][A-Z0-9]{0,2})(?![\w\-])")
# A number and the word after it: "20 октября", "8,9 миллиона", "3 seconds", "№ 5".
NUMBER_WORD = re.compile(r"(?<=\d) (?=[^\W\d_])|(?<=№) (?=\d)")
# A dash never starts a line: the space before it does not break.
DASH = re.compile(r" +([—–]) ")
SPACED_HYPHEN = re.compile(r"(?<=\S) - (?=\S)")
QUOTES = {"ru": (("«", "»"), ("„", "“")), "en": (("\u201c", "\u201d"), ("\u2018", "\u2019"))}
OPENING_BEFORE = set(" \u00a0\n([{—–-/") | {""}


def language_of(text: str) -> str:
    """"ru" for a text with Cyrillic letters, "en" for any other."""
    return "ru" if CYRILLIC.search(text) else "en"


def typeset(text: str) -> str:
    """``text`` with its language's typography applied; applying it twice changes nothing.

    Both languages: straight quotes become typographic ones («ёлочки» and „лапки“ inside
    them in Russian, “double” and ‘single’ in English), an apostrophe becomes ’, a space
    before a dash does not break, nor one between a number and the word after it. Russian
    ties every word of one or two letters to the word after it (particles such as «же»,
    «ли» to the word before), English ties "a" and "I"; a capital Latin code stays with
    the word before it ("витамин D").
    """
    language = language_of(text)
    text = _quotes(text, language)
    if language == "ru":
        text = SPACED_HYPHEN.sub(" — ", text)
    text = DASH.sub(NBSP + r"\1 ", text)
    text = NUMBER_WORD.sub(NBSP, text)
    text = CODE.sub(NBSP + r"\1", text)
    if language == "ru":
        text = PARTICLE.sub(NBSP + r"\1", text)
        text = SHORT_WORD.sub(r"\1" + NBSP, text)
    else:
        text = re.sub(r"(?<![\w\-’'])([aAI]) (?=\S)", r"\1" + NBSP, text)
    return text


def _quotes(text: str, language: str) -> str:
    """Straight quotes made typographic, nested by depth; an apostrophe made ’."""
    (outer_open, outer_close), (inner_open, inner_close) = QUOTES[language]
    opening = {outer_open, inner_open}
    closing = {outer_close, inner_close} - opening
    result, depth = [], 0
    for index, char in enumerate(text):
        before = text[index - 1] if index else ""
        after = text[index + 1] if index + 1 < len(text) else ""
        if char in opening and not (char == inner_close and depth == 2):
            depth += 1
        elif char in closing:
            depth = max(0, depth - 1)
        elif char == "'" and before.isalnum() and after.isalpha():
            char = "\u2019"  # an apostrophe: "children's", "Д'Артаньян"
        elif char == '"' or (char == "'" and language == "en"):
            if before in OPENING_BEFORE or before.isspace():
                char = outer_open if depth == 0 else inner_open
                depth += 1
            else:
                depth = max(0, depth - 1)
                char = outer_close if depth == 0 else inner_close
        result.append(char)
    return "".join(result)


@cache
def _hyphenator(language: str) -> pyphen.Pyphen:
    return pyphen.Pyphen(lang="ru_RU" if language == "ru" else "en_GB", left=2, right=3)


def hyphenated(word: str, fits: Callable[[str], bool]) -> tuple[str, str] | None:
    """``word`` broken at the last hyphenation point whose head (with its hyphen) ``fits``.

    A word tied by non-breaking spaces breaks only in its last part with letters;
    punctuation around the letters stays with them; an existing hyphen is a break that adds
    none.
    """
    parts = word.split(NBSP)
    at = max((i for i, part in enumerate(parts) if re.search(r"[^\W\d_]", part)), default=-1)
    found = re.fullmatch(r"(\W*)(.+?)(\W*)", parts[at]) if at >= 0 else None
    if found is None:
        return None
    lead, core, trail = found.groups()
    prefix = "".join(f"{part}{NBSP}" for part in parts[:at]) + lead
    trail += "".join(f"{NBSP}{part}" for part in parts[at + 1:])
    points = [(head, tail) for head, tail in _hyphenator(language_of(core)).iterate(core)]
    # An existing hyphen is a break, and so is a slash (a reference's "doi:10.1007/s116…").
    points += [(core[:i + 1], core[i + 1:]) for i, char in enumerate(core[:-1]) if char in "-/"]
    for head, tail in sorted(points, key=lambda pair: -len(pair[0])):
        shown = prefix + head + ("" if head.endswith(("-", "/")) else "-")
        if fits(shown):
            return shown, tail + trail
    return None


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
    """``text`` typeset (``typeset``) and wrapped greedily, paragraph by paragraph.

    Lines break only at ordinary spaces, so the rules' ties hold. A word that would leave
    its line more than ``HYPHENATE_ROOM`` empty, or that is wider than a line, is
    hyphenated when it is long (``LONG_WORD``); None when a word still does not fit.
    """

    def fits(line: str) -> bool:
        return text_width(line, font, size) <= width

    lines: list[str] = []
    for paragraph in typeset(text).split("\n"):
        current = ""
        words = [w for w in paragraph.split(" ") if w]
        for index, word in enumerate(words):
            candidate = f"{current} {word}" if current else word
            if fits(candidate):
                current = candidate
                continue
            lead = f"{current} " if current else ""
            tied, _, last = word.rpartition(NBSP)
            long = (len(re.sub(r"\W", "", last)) >= LONG_WORD and index < len(words) - 1
                    and not re.search(r"\d", tied)) or not fits(word)
            if long and text_width(current, font, size) < width * (1 - HYPHENATE_ROOM):
                split = hyphenated(word, lambda head, lead=lead: fits(lead + head))
                if split is not None:
                    lines.append(lead + split[0])
                    current, word = "", split[1]
            if current:
                lines.append(current)
            while not fits(word):  # alone on its lines, broken where it may be
                split = hyphenated(word, fits)
                if split is None:
                    return None
                lines.append(split[0])
                word = split[1]
            current = word
        lines.append(current)
    return lines


def text_height(lines: int, font: str, size: float) -> float:
    """Height of ``lines`` lines from the first ascent to the last descent."""
    return ascent(font, size) + descent(font, size) + (lines - 1) * size * LEADING


def set_lines(
    lines: list[str], box: Box, font: str, size: float, align: Align, valign: str = "top"
) -> tuple[Line, ...]:
    """Baselines of ``lines`` in ``box``, aligned; assumes they fit. Each line is typeset
    (``typeset``), which changes nothing in lines that ``wrap`` made."""
    lines = [typeset(line) for line in lines]
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
