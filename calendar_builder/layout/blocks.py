"""Blocks several pages share: a placed drawing, its caption, the fact panel."""

from pathlib import Path

from babel import Locale

from ..geometry import Box
from ..spec import Caption, Fact, Language
from ..text import Align, TextBlock, fit_text
from .items import Bone, Fill, Item, Picture, Style, shifted

# At most this share of a drawing's width or height is cut to fill its box; beyond it the
# whole drawing is shown, smaller, and the box keeps the drawing's own proportions.
MAX_CROP = 0.08

# Sizes of the A4 design, in millimetres (``Style.mm``) or points (``Style.pt``).
GAP = 7.0  # mm: between the blocks of a page
CAPTION_H = 7.0  # mm: one line of caption under a drawing
CAPTION_GAP = 1.5  # mm: between a drawing and its caption
CAPTION_SIZE = 10.0  # pt
# Nothing on a month page is read from closer than a wall allows: no text of the design is
# set below this size (pt on A4, scaled like every size: 14.1 pt on A3).
MIN_TEXT = 10.0
PANEL_RADIUS = 3.0  # mm: the rounded corners of a tinted panel (a fact, the partners)
FACT_SIZE = 12.0  # pt: a fact's text when it has room
FACT_PAD = 4.5  # mm: inside a fact panel, on every side
FACT_GAP = 2.5  # mm: beside the bone, and under it
BONE_W, BONE_H = 9.0, 4.2  # mm: the bone before "Did you know?"

WORDS = {
    "ru": {"did_you_know": "Знаете ли вы?", "source": "Источник", "partners": "Партнёры"},
    "en": {"did_you_know": "Did you know?", "source": "Source", "partners": "Partners"},
}
QUOTES = {"ru": ("«", "»"), "en": ("\u201c", "\u201d")}


# Pictures ---------------------------------------------------------------------------------


def place_picture(
    what: str, source: Path, pixels: tuple[int, int], slot: Box, valign: str = "top"
) -> Picture:
    """The drawing filling ``slot`` when at most ``MAX_CROP`` must be cut, else fitted whole.

    A fitted drawing keeps the slot's width or height and its own proportions, centred
    across and aligned ``valign`` ("top", "centre", "bottom") along the other side.
    """
    width, height = pixels
    fill = max(slot.w / width, slot.h / height)
    fit = min(slot.w / width, slot.h / height)
    cut = 1 - fit / fill
    if cut <= MAX_CROP:
        w, h = width * fill, height * fill
        image = Box(slot.x + (slot.w - w) / 2, slot.y + (slot.h - h) / 2, w, h)
        return Picture(what, source, pixels, slot, image)
    w, h = width * fit, height * fit
    y = {"top": slot.top - h, "centre": slot.y + (slot.h - h) / 2, "bottom": slot.y}[valign]
    image = Box(slot.x + (slot.w - w) / 2, y, w, h)
    return Picture(what, source, pixels, image, image)


def clamp(value: float, low: float, high: float) -> float:
    return max(low, min(high, value))


# Small texts -------------------------------------------------------------------------------


def caption_text(caption: Caption, language: Language) -> str:
    """'Маша, 9 лет, Тверь. «Солнце»' / 'Masha, age 9, Tver. “The sun”', or, with no English
    title given, 'Masha, age 9, Tver. “Солнце” (title in Russian)'."""
    parts = [caption.first_name.get(language)]
    if caption.age is not None:
        parts.append(age_text(caption.age, language))
    town = caption.town.get(language)
    if town:
        parts.append(town)
    text = ", ".join(p for p in parts if p)
    text = text[:1].upper() + text[1:]  # "Age 9, Tver" when the name is not shown
    title = caption.title.get(language)
    if title:
        left, right = QUOTES[language]
        text += f". {left}{title}{right}"
        if language == "en" and not caption.title.en:  # an English reader is told why
            text += " (title in Russian)"
    return text


def age_text(age: int, language: Language) -> str:
    """'9 лет', '21 год', '3 года'; 'age 9'."""
    if language == "en":
        return f"age {age}"
    form = Locale.parse("ru").plural_form(age)
    return f"{age} " + {"one": "год", "few": "года"}.get(form, "лет")


def caption_block(caption: Caption, box: Box, style: Style, page: str,
                  align: Align = "right", valign: str = "top") -> TextBlock:
    return fit_text(caption_text(caption, style.language), box, font=style.fonts.italic,
                    size=style.pt(CAPTION_SIZE), min_size=style.pt(MIN_TEXT),
                    colour=style.colours.ink,
                    what="caption", page=page, align=align, valign=valign)


# The fact panel ---------------------------------------------------------------------------


# A panel that fills a tall box sets its fact up to this size (pt of the A4 design).
FACT_LARGE = 16.0


def fact_panel(box: Box, fact: Fact, style: Style, page: str,
               at: str = "bottom", size: float = FACT_SIZE, fill: bool = False) -> list[Item]:
    """A tinted panel with a bone, 'Did you know?', the fact and its source.

    The panel is as tall as its text needs, at most the box, and sits ``at`` its bottom or
    top; with ``fill`` it fills the box, its text (up to ``FACT_LARGE``) in the middle.
    The fact is set at ``size`` points of the A4 design, or smaller when it must (not below
    ``MIN_TEXT``: ``TextOverflow`` naming the page when it still does not fit).
    """
    if fill:
        tries = [s for s in (FACT_LARGE, 14.0, size) if s >= size]
        for current in tries:
            items, used = _fact_items(box, fact, style, page, current)
            if current == tries[-1] or (items[3].shrink >= 0.999
                                        and used <= box.h - style.mm(2 * FACT_PAD)):
                break
        panel = Fill(box, style.colours.tint, style.mm(PANEL_RADIUS))
        return [panel, *(shifted(item, -(box.h - used) / 2) for item in items[1:])]
    items, used = _fact_items(box, fact, style, page, size)
    return items if at == "top" else [shifted(item, used - box.h) for item in items]


def fact_height(box: Box, fact: Fact, style: Style, page: str, size: float = FACT_SIZE) -> float:
    """The height ``fact_panel`` takes in ``box``."""
    return _fact_items(box, fact, style, page, size)[1]


def _fact_items(box: Box, fact: Fact, style: Style, page: str,
                size: float) -> tuple[list[Item], float]:
    """The panel's items set from the top of ``box``, and the height they use."""
    c, f, lang = style.colours, style.fonts, style.language
    pad = style.mm(FACT_PAD)
    inner = box.inset(pad, pad, pad, pad)
    bone = Box(inner.x, inner.top - style.mm(BONE_H), style.mm(BONE_W), style.mm(BONE_H))
    head_box = Box(bone.right + style.mm(FACT_GAP), bone.y - style.mm(1), inner.right - bone.right
                   - style.mm(FACT_GAP), bone.h + style.mm(2))
    heading = fit_text(WORDS[lang]["did_you_know"], head_box, font=f.bold, size=style.pt(11),
                       min_size=style.pt(MIN_TEXT), colour=c.accent, what="fact heading", page=page,
                       valign="centre", max_lines=1)
    source_text = f"{WORDS[lang]['source']}: {fact.source.get(lang)}"
    body_top = bone.y - style.mm(FACT_GAP)
    source_gap = style.mm(2)
    # The source is set first, at the bottom, so that the fact knows the room left to it.
    source = fit_text(source_text, Box(inner.x, inner.y, inner.w,
                                       min(style.mm(28), (body_top - inner.y) / 2)),
                      font=f.italic, size=style.pt(MIN_TEXT), min_size=style.pt(MIN_TEXT),
                      colour=c.ink,
                      what="fact source", page=page)
    source_h = source.extent().h
    body = fit_text(fact.text.get(lang), Box(inner.x, inner.y + source_h + source_gap, inner.w,
                                             body_top - inner.y - source_h - source_gap),
                    font=f.regular, size=style.pt(size), min_size=style.pt(MIN_TEXT), colour=c.ink,
                    what="fact", page=page)
    source_box = Box(inner.x, inner.y, inner.w, body.extent().y - source_gap - inner.y)
    source = fit_text(source_text, source_box, font=f.italic, size=source.size,
                      min_size=source.size, colour=c.ink, what="fact source", page=page)
    used = box.top - source.extent().y + pad
    panel = Box(box.x, box.top - used, box.w, used)
    return [Fill(panel, c.tint, style.mm(PANEL_RADIUS)), Bone(bone, c.accent), heading, body,
            source], used
