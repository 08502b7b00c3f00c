"""The back page: about the society, every winner with a thumbnail, the partners' logos and
the imprint (выходные сведения)."""

import math
from pathlib import Path

from babel.dates import format_date

from ..fonts import FontNames
from ..geometry import Box, page_frame
from ..spec import LOCALES, CalendarSpec, Imprint, Language, Partner, Text, Winner
from ..text import NBSP, TextOverflow, fit_text
from .blocks import WORDS, caption_text, place_picture
from .items import Fill, Item, PageLayout, Picture, Rule, Style

TITLE_H = 16.0  # mm on A4: the page's title, one line
THUMB_PAD = 1.5  # mm on A4: a thumbnail's frame around it, its corners, and above its caption
LOGO_H = 14.0  # mm on A4: a row of partners' logos
LOGO_GAP = 6.0  # mm on A4: between two logos, and between two rows of them
LOGOS_PER_ROW = 6  # more logos than this go on two rows
LOGO_PPI = 300  # a logo is never placed larger than its pixels at this resolution
IMPRINT_H = 13.0  # mm on A4: at most three lines of the imprint at the foot
SECTION_GAP = 6.0  # mm on A4: between the winners, the partners and the imprint

IMPRINT_WORDS = {
    "ru": {"publisher": "Издатель", "printer": "Типография", "signed": "Подписано в печать",
           "run": "Тираж\u00a0{n} экз.", "order": "Заказ №\u00a0{order}"},
    "en": {"publisher": "Publisher", "printer": "Printed by", "signed": "Approved for printing",
           "run": "Print run\u00a0{n} copies", "order": "Order No.\u00a0{order}"},
}


def back_layout(spec: CalendarSpec, pixels: dict[Path, tuple[int, int]],
                fonts: FontNames) -> PageLayout:
    """The back: title, about, the winners' thumbnails, the partners and the imprint.

    From the foot up: the imprint, the partners (logos in balanced rows, then the names of
    those without a logo), and the winners in the height left.
    """
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
    text = imprint_text(back.imprint, spec.publisher, lang)
    if text:
        imprint = fit_text(text, Box(content.x, bottom, content.w, style.mm(IMPRINT_H)),
                           font=f.regular, size=style.pt(7.5), min_size=style.pt(6),
                           colour=c.ink, what="imprint", page=name, valign="bottom", max_lines=3)
        items.append(imprint)
        bottom = imprint.extent().top + style.mm(SECTION_GAP)
    if back.partners:
        partner_items, bottom = partners_block(back.partners, pixels, style, name, bottom)
        items += partner_items
    area = Box(content.x, bottom, content.w, about.extent().y - style.mm(7) - bottom)
    items += winners_grid(area, back.winners, pixels, style, name)
    return PageLayout(name, frame, tuple(items))


def imprint_text(imprint: Imprint, publisher: Text, language: Language) -> str:
    """The imprint as one paragraph, parts in the order a Russian book's imprint gives them:
    «Издатель: …. Типография: …. Подписано в печать 15.11.2026. Тираж 5 000 экз. Заказ № 12.»
    The publisher falls back to the specification's."""
    words = IMPRINT_WORDS[language]
    parts = []
    who = imprint.publisher.get(language) or publisher.get(language)
    if who:
        parts.append(f"{words['publisher']}: {who}")
    if printer := imprint.printer.get(language):
        parts.append(f"{words['printer']}: {printer}" if language == "ru"
                     else f"{words['printer']} {printer}")
    if imprint.signed is not None:
        day = (f"{imprint.signed:%d.%m.%Y}" if language == "ru"
               else format_date(imprint.signed, "d MMMM y", locale=LOCALES[language]))
        parts.append(f"{words['signed']} {day}")
    if imprint.print_run is not None:
        # Thousands apart as Russian and British print them: "5 000", "5,000".
        copies = f"{imprint.print_run:,}".replace(",", NBSP if language == "ru" else ",")
        parts.append(words["run"].format(n=copies))
    if imprint.order_number:
        parts.append(words["order"].format(order=imprint.order_number))
    return " ".join(part.rstrip(". ") + "." for part in parts)


def balanced_rows(count: int, columns: int) -> list[int]:
    """How many items each row holds when ``count`` items fill rows of at most ``columns``:
    as few rows as that allows, their lengths differing by one at most, longer rows first."""
    if count <= 0:
        return []
    rows = math.ceil(count / columns)
    short, extra = divmod(count, rows)
    return [short + 1] * extra + [short] * (rows - extra)


def never_alone(count: int, columns: int) -> bool:
    """No row of ``balanced_rows`` holds a single item (unless there is only one)."""
    return count < 2 or min(balanced_rows(count, columns)) >= 2


def partners_block(partners: tuple[Partner, ...], pixels: dict[Path, tuple[int, int]],
                   style: Style, page: str, bottom: float) -> tuple[list[Item], float]:
    """The partners from ``bottom`` up: a rule with the heading, the logos in balanced rows,
    and the names of partners without a logo in one paragraph. Returns the items and the top
    of the block plus the gap above it.

    Logos stand on the paper (not on a tinted panel), so that a transparent logo laid on
    white paper looks as its maker drew it. A logo is fitted whole into its cell, never cut,
    never larger than its pixels at ``LOGO_PPI``.
    """
    c, f, lang = style.colours, style.fonts, style.language
    content = style.frame.content
    items: list[Item] = []
    y = bottom
    names = [p.name.get(lang) for p in partners if p.logo is None and p.name.get(lang)]
    if names:
        block = fit_text(" · ".join(names), Box(content.x, y, content.w, style.mm(12)),
                         font=f.regular, size=style.pt(9), min_size=style.pt(7), colour=c.ink,
                         what="partners", page=page, align="centre", valign="bottom",
                         max_lines=2)
        items.append(block)
        y = block.extent().top + style.mm(3)
    logos = [(i, p) for i, p in enumerate(partners) if p.logo is not None]
    if logos:
        per_row = min(LOGOS_PER_ROW, len(logos))
        while not never_alone(len(logos), per_row):
            per_row += 1
        rows = balanced_rows(len(logos), per_row)
        gap, row_h = style.mm(LOGO_GAP), style.mm(LOGO_H if len(rows) == 1 else LOGO_H * 0.85)
        cell_w = (content.w - gap * (per_row - 1)) / per_row
        done = 0
        for row, in_row in enumerate(rows):
            top = y + len(rows) * row_h + (len(rows) - 1) * gap - row * (row_h + gap)
            x0 = content.x + (content.w - in_row * cell_w - (in_row - 1) * gap) / 2
            for col in range(in_row):
                index, partner = logos[done + col]
                cell = Box(x0 + col * (cell_w + gap), top - row_h, cell_w, row_h)
                items.append(fitted_logo(f"logo {index + 1}", partner.logo, pixels[partner.logo],
                                         cell))
            done += in_row
        y += len(rows) * row_h + (len(rows) - 1) * gap + style.mm(3)
    heading = fit_text(WORDS[lang]["partners"], Box(content.x, y, content.w, style.mm(6)),
                       font=f.bold, size=style.pt(10), min_size=style.pt(8), colour=c.accent,
                       what="partners heading", page=page, align="centre", valign="bottom",
                       max_lines=1)
    mid = heading.extent().y + heading.extent().h / 2
    side = (content.w - heading.extent().w) / 2 - style.mm(4)
    if side > style.mm(10):
        for x1, x2 in ((content.x, content.x + side), (content.right - side, content.right)):
            items.append(Rule(x1, mid, x2, mid, c.accent, style.mm(0.3)))
    items.append(heading)
    return items, heading.extent().top + style.mm(SECTION_GAP)


def fitted_logo(what: str, source: Path, pixels: tuple[int, int], cell: Box) -> Picture:
    """The logo whole, centred in ``cell``, no larger than its pixels at ``LOGO_PPI``."""
    width, height = pixels
    scale = min(cell.w / width, cell.h / height, 72 / LOGO_PPI)
    w, h = width * scale, height * scale
    image = Box(cell.x + (cell.w - w) / 2, cell.y + (cell.h - h) / 2, w, h)
    return Picture(what, source, pixels, image, image)


def winners_grid(area: Box, winners: tuple[Winner, ...], pixels: dict[Path, tuple[int, int]],
                 style: Style, page: str) -> list[Item]:
    """Thumbnails in 4:3 frames with captions, in the number of columns that shows them largest.

    The rows are balanced (``balanced_rows``): their lengths differ by one at most, and no
    drawing stands alone on its row when there are two or more (7 is 4 + 3, 5 is 3 + 2).
    Most drawings are landscape; a portrait one is shown whole in the middle of its frame.
    """
    if not winners:
        return []
    count = len(winners)
    gap, caption_h = style.mm(4), style.mm(9)

    def frame_height(columns: int) -> float:
        rows = math.ceil(count / columns)
        cell_w = (area.w - gap * (columns - 1)) / columns
        return min(cell_w * 3 / 4, (area.h - gap * (rows - 1)) / rows - caption_h)

    # Only as many columns as the balanced rows fill: 5 in rows of 4 are 3 + 2 anyway.
    choices = [c for c in range(1, count + 1)
               if never_alone(count, c) and c == max(balanced_rows(count, c))]
    columns = max(choices, key=frame_height)
    frame_h = frame_height(columns)
    if frame_h < style.mm(14):
        raise TextOverflow(page, "list of winners", f"{count} winners")
    frame_w = frame_h * 4 / 3
    rows = balanced_rows(count, columns)
    cell_h = frame_h + caption_h
    used_h = len(rows) * cell_h + (len(rows) - 1) * gap
    items: list[Item] = []
    index = 0
    for row, in_row in enumerate(rows):
        # Every row is centred, so a shorter row sits in the middle.
        x0 = area.x + (area.w - in_row * frame_w - (in_row - 1) * gap) / 2
        top = area.top - (area.h - used_h) / 2 - row * (cell_h + gap)
        for col in range(in_row):
            winner = winners[index]
            index += 1
            x = x0 + col * (frame_w + gap)
            frame = Box(x, top - frame_h, frame_w, frame_h)
            items.append(Fill(frame, style.colours.tint, style.mm(THUMB_PAD)))
            items.append(place_picture(f"winner {index}", winner.drawing,
                                       pixels[winner.drawing],
                                       frame.inset(*(style.mm(THUMB_PAD),) * 4),
                                       valign="centre"))
            items.append(fit_text(caption_text(winner.caption, style.language),
                                  Box(x, top - cell_h, frame_w, caption_h - style.mm(THUMB_PAD)),
                                  font=style.fonts.regular, size=style.pt(8),
                                  min_size=style.pt(5.5), colour=style.colours.ink,
                                  what=f"winner {index} caption", page=page, align="centre",
                                  max_lines=2))
    return items

