"""The back page: about the society, every winner with a thumbnail, and the partners."""

import math
from pathlib import Path

from ..fonts import FontNames
from ..geometry import Box, page_frame
from ..spec import CalendarSpec, Winner
from ..text import TextOverflow, fit_text
from .blocks import PANEL_RADIUS, WORDS, caption_text, place_picture
from .items import Fill, Item, PageLayout, Style

TITLE_H = 16.0  # mm on A4: the page's title, one line
PARTNERS_H = 18.0  # mm on A4: the partners' panel at the foot
THUMB_PAD = 1.5  # mm on A4: a thumbnail's frame around it, its corners, and above its caption


def back_layout(spec: CalendarSpec, pixels: dict[Path, tuple[int, int]],
                fonts: FontNames) -> PageLayout:
    """The back: about the society, every winner with a thumbnail, and the partners."""
    frame = page_frame(spec)
    style = Style(frame, fonts, spec.colours, spec.language)
    c, f, lang, back = spec.colours, fonts, spec.language, spec.back
    content, name = frame.content, "back"
    title_box = Box(content.x, content.top - style.mm(TITLE_H), content.w, style.mm(TITLE_H))
    title = fit_text(back.title.get(lang), title_box,
                     font=f.display, size=style.pt(24), min_size=style.pt(16), colour=c.accent,
                     what="title", page=name, max_lines=1, valign="centre")
    about_top = title.extent().y - style.mm(5)
    about = fit_text(back.about.get(lang), Box(content.x, about_top - content.h * 0.2, content.w,
                                               content.h * 0.2),
                     font=f.regular, size=style.pt(11), min_size=style.pt(8), colour=c.ink,
                     what="about", page=name)
    items: list[Item] = [title, about]
    bottom = content.y
    if back.partners:
        label = f"{WORDS[lang]['partners']}: " + " · ".join(p.get(lang) for p in back.partners)
        panel = Box(content.x, content.y, content.w, style.mm(PARTNERS_H))
        items += [Fill(panel, c.tint, style.mm(PANEL_RADIUS)),
                  fit_text(label, panel.inset(*(style.mm(4),) * 4), font=f.regular,
                           size=style.pt(10), min_size=style.pt(7), colour=c.ink,
                           what="partners", page=name, valign="centre", align="centre")]
        bottom = panel.top + style.mm(6)
    area = Box(content.x, bottom, content.w, about.extent().y - style.mm(7) - bottom)
    items += winners_grid(area, back.winners, pixels, style, name)
    return PageLayout(name, frame, tuple(items))


def winners_grid(area: Box, winners: tuple[Winner, ...], pixels: dict[Path, tuple[int, int]],
                 style: Style, page: str) -> list[Item]:
    """Thumbnails in 4:3 frames with captions, in the number of columns that shows them largest.

    Most drawings are landscape; a portrait one is shown whole in the middle of its frame.
    """
    if not winners:
        return []
    gap, caption_h = style.mm(4), style.mm(9)

    def frame_height(columns: int) -> float:
        rows = math.ceil(len(winners) / columns)
        cell_w = (area.w - gap * (columns - 1)) / columns
        return min(cell_w * 3 / 4, (area.h - gap * (rows - 1)) / rows - caption_h)

    columns = max(range(1, len(winners) + 1), key=frame_height)
    frame_h = frame_height(columns)
    if frame_h < style.mm(14):
        raise TextOverflow(page, "list of winners", f"{len(winners)} winners")
    frame_w = frame_h * 4 / 3
    rows = math.ceil(len(winners) / columns)
    cell_h = frame_h + caption_h
    used_h = rows * cell_h + (rows - 1) * gap
    items: list[Item] = []
    for index, winner in enumerate(winners):
        row, col = divmod(index, columns)
        # Every row is centred, so a last row that is not full sits in the middle.
        in_row = min(columns, len(winners) - row * columns)
        x = area.x + (area.w - in_row * frame_w - (in_row - 1) * gap) / 2 + col * (frame_w + gap)
        top = area.top - (area.h - used_h) / 2 - row * (cell_h + gap)
        frame = Box(x, top - frame_h, frame_w, frame_h)
        items.append(Fill(frame, style.colours.tint, style.mm(THUMB_PAD)))
        items.append(place_picture(f"winner {index + 1}", winner.drawing,
                                   pixels[winner.drawing], frame.inset(*(style.mm(THUMB_PAD),) * 4),
                                   valign="centre"))
        items.append(fit_text(caption_text(winner.caption, style.language),
                              Box(x, top - cell_h, frame_w, caption_h - style.mm(THUMB_PAD)),
                              font=style.fonts.regular, size=style.pt(8),
                              min_size=style.pt(5.5), colour=style.colours.ink,
                              what=f"winner {index + 1} caption", page=page, align="centre",
                              max_lines=2))
    return items

