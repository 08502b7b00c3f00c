"""The cover: the title, the drawing as large as the page allows, its caption, and a field
of the accent colour with the year and the motto that takes the paper the drawing leaves.

Two arrangements are tried and the one showing the drawing larger is kept:

- stacked: the title across the top, the drawing across the page under it, the caption,
  and the field across the foot (out to the bleed), as tall as the paper left over, so
  that a wide drawing leaves a colour field with a large year rather than white bands;
- beside: the drawing at the left as tall as the page's content, and a column at the right
  with the title at its top and the field under it, out to the bleed at the right and foot
  (a landscape page, or a tall drawing on a portrait page).
"""

from contextlib import suppress

from ..fonts import FontNames, text_width
from ..geometry import MONTH_MARGIN_MM, Box, page_frame
from ..spec import CalendarSpec, Cover
from ..text import Align, TextBlock, TextOverflow, fit_text, text_height
from .blocks import CAPTION_GAP, CAPTION_H, GAP, caption_block, place_picture
from .items import Fill, Item, PageLayout, Picture, Style, shifted

# Sizes of the A4 design, in millimetres (``Style.mm``) or points (``Style.pt``).
FIELD_H = 30.0  # mm: the least height of the field above the content's foot
FIELD_PAD = 6.0  # mm: inside the field, around the year and the motto
TITLE_H = 30.0  # mm: the title's box for two lines
SUBTITLE_LINE_H = 8.0  # mm: the subtitle's box for each line
TITLE_GAP = 3.0  # mm: under the title
MOTTO_GAP = 10.0  # mm: between the year and the motto set beside it
YEAR_PT = (40.0, 64.0, 150.0)  # pt: the year's least size, in a low field, at most
MOTTO_PT = (11.0, 17.0, 24.0)  # pt: the motto's least size, in a low field, at most
# The column beside the drawing takes at least this share of the content's width.
BESIDE_SHARE = {"landscape": 0.25, "portrait": 0.42}


def cover_layout(spec: CalendarSpec, pixels: tuple[int, int], fonts: FontNames) -> PageLayout:
    """The cover in the arrangement that shows the drawing largest (see the module)."""
    # The cover keeps the month pages' margins: the drawing takes the page as they do.
    frame = page_frame(spec, MONTH_MARGIN_MM)
    style = Style(frame, fonts, spec.colours, spec.language)
    arrangements = [_stacked(spec, pixels, style)]
    # A title too long for the column beside the drawing keeps it above.
    with suppress(TextOverflow):
        arrangements.append(_beside(spec, pixels, style))
    return PageLayout("cover", frame, tuple(max(arrangements, key=_picture_area)))


def _picture_area(items: list[Item]) -> float:
    return sum(item.box.w * item.box.h for item in items if isinstance(item, Picture))


def _titles(cover: Cover, box: Box, style: Style, align: Align,
            max_lines: int) -> list[TextBlock]:
    """The title, and the subtitle under it, set from the top of ``box``."""
    f, c, lang = style.fonts, style.colours, style.language
    title_h = style.mm(TITLE_H) * max_lines / 2
    title = fit_text(cover.title.get(lang), Box(box.x, box.top - title_h, box.w, title_h),
                     font=f.display, size=style.pt(30), min_size=style.pt(18), colour=c.accent,
                     what="title", page="cover", align=align, max_lines=max_lines)
    if not cover.subtitle.get(lang):
        return [title]
    top = title.extent().y - style.mm(TITLE_GAP)
    subtitle_h = style.mm(SUBTITLE_LINE_H) * max_lines
    subtitle = fit_text(cover.subtitle.get(lang), Box(box.x, top - subtitle_h, box.w, subtitle_h),
                        font=f.regular, size=style.pt(14), min_size=style.pt(10), colour=c.ink,
                        what="subtitle", page="cover", align=align, max_lines=max_lines)
    return [title, subtitle]


def _caption(cover: Cover, picture: Picture, across: Box, style: Style) -> list[Item]:
    """The drawing's caption under it, centred on ``across``."""
    if not cover.caption:
        return []
    box = Box(across.x, picture.box.y - style.mm(CAPTION_GAP + CAPTION_H), across.w,
              style.mm(CAPTION_H))
    return [caption_block(cover.caption, box, style, "cover", align="centre")]


def _field(spec: CalendarSpec, field: Box, inner: Box, style: Style) -> list[Item]:
    """The accent field with the year and the motto in ``inner``: side by side in a low
    field, the year larger over the motto in a tall one (the year as large as it fits)."""
    f, c, lang = style.fonts, style.colours, style.language
    year_text, motto = str(spec.year), spec.cover.motto.get(lang)
    low_year, low_motto = style.pt(YEAR_PT[1]), style.pt(MOTTO_PT[1])
    stacked = inner.h >= text_height(1, f.display, low_year) + 2 * style.mm(SUBTITLE_LINE_H) \
        + style.mm(GAP) or not motto
    items: list[Item] = [Fill(field, c.accent)]
    if not stacked:
        year = fit_text(year_text, inner, font=f.display, size=low_year,
                        min_size=style.pt(YEAR_PT[0]), colour=c.paper, what="year",
                        page="cover", valign="centre", max_lines=1)
        motto_box = inner.inset(year.extent().right + style.mm(MOTTO_GAP) - inner.x, 0, 0, 0)
        return [*items, year, fit_text(motto, motto_box, font=f.bold, size=low_motto,
                                       min_size=style.pt(MOTTO_PT[0]), colour=c.paper,
                                       what="motto", page="cover", align="right",
                                       valign="centre")]
    mottos: list[Item] = []
    motto_h = 0.0
    if motto:
        size = min(style.pt(MOTTO_PT[2]), max(low_motto, inner.h / 12))
        box = Box(inner.x, inner.y, inner.w, min(inner.h / 3, 3 * size * 1.3))
        mottos = [fit_text(motto, box, font=f.bold, size=size, min_size=style.pt(MOTTO_PT[0]),
                           colour=c.paper, what="motto", page="cover", align="centre")]
        motto_h = mottos[0].extent().h + style.mm(GAP)
    # The year as large as the room above the motto allows, set at that size (not shrunk).
    room_h = inner.h - motto_h
    size = min(style.pt(YEAR_PT[2]), inner.w / text_width(year_text, f.display, 1.0),
               room_h / text_height(1, f.display, 1.0)) * 0.999
    year = fit_text(year_text, Box(inner.x, inner.top - room_h, inner.w, room_h),
                    font=f.display, size=size, min_size=size, colour=c.paper, what="year",
                    page="cover", align="centre", max_lines=1)
    # The year and the motto under it stand together in the middle of the field.
    used = inner.top - year.extent().y + motto_h
    down = (inner.h - used) / 2
    return [*items, *(shifted(block, -down) for block in [year, *(
        shifted(m, year.extent().y - style.mm(GAP) - m.extent().top) for m in mottos)])]


def _stacked(spec: CalendarSpec, pixels: tuple[int, int], style: Style) -> list[Item]:
    """The title across the top, the drawing, its caption, and the field across the foot,
    as tall as the paper the drawing leaves."""
    frame, cover = style.frame, spec.cover
    content = frame.content
    titles = _titles(cover, content, style, "centre", max_lines=2)
    top = titles[-1].extent().y - style.mm(GAP)
    caption_h = style.mm(CAPTION_GAP + CAPTION_H) if cover.caption else 0.0
    bottom = content.y + style.mm(FIELD_H) + style.mm(GAP) + caption_h
    slot = Box(content.x, bottom, content.w, top - bottom)
    picture = place_picture("drawing", cover.drawing, pixels, slot, valign="top")
    captions = _caption(cover, picture, content, style)
    lowest = captions[0].extent().y if captions else picture.box.y
    field = Box(frame.bleed.x, frame.bleed.y, frame.bleed.w,
                lowest - style.mm(GAP) - frame.bleed.y)
    pad = style.mm(FIELD_PAD)
    inner = Box(content.x + pad, content.y, content.w - 2 * pad, field.top - pad - content.y)
    return [*titles, picture, *captions, *_field(spec, field, inner, style)]


def _beside(spec: CalendarSpec, pixels: tuple[int, int], style: Style) -> list[Item]:
    """The drawing as tall as the content at the left; at the right the title at the top
    and the field under it, out to the bleed. The caption stands under the drawing, or in
    the column under the title when the drawing is too narrow for it."""
    frame, cover = style.frame, spec.cover
    content, gap = frame.content, style.mm(GAP)
    right = content.w * BESIDE_SHARE[spec.orientation] + gap
    caption_h = style.mm(CAPTION_GAP + CAPTION_H) if cover.caption else 0.0
    try:
        picture = _left_picture(cover, pixels, content.inset(0, caption_h, right, 0))
        captions = _caption(cover, picture, picture.box, style)
        in_column = False
    except TextOverflow:
        picture = _left_picture(cover, pixels, content.inset(0, 0, right, 0))
        in_column = True
    column = content.inset(picture.box.right + gap - content.x, 0, 0, 0)
    titles = _titles(cover, column, style, "left", max_lines=4)
    if in_column:
        top = titles[-1].extent().y - gap
        captions = [caption_block(cover.caption, Box(column.x, top - 2 * style.mm(CAPTION_H),
                                                     column.w, 2 * style.mm(CAPTION_H)),
                                  style, "cover", align="left")]
        titles = [*titles, *captions]
        captions = []
    field = Box(column.x, frame.bleed.y, frame.bleed.right - column.x,
                titles[-1].extent().y - gap - frame.bleed.y)
    pad = style.mm(FIELD_PAD)
    inner = Box(column.x + pad, content.y + pad, column.w - 2 * pad,
                field.top - 2 * pad - content.y)
    if inner.h < style.mm(FIELD_H):
        raise TextOverflow("cover", "title", cover.title.get(spec.language))
    return [*titles, picture, *captions, *_field(spec, field, inner, style)]


def _left_picture(cover: Cover, pixels: tuple[int, int], slot: Box) -> Picture:
    """The drawing placed in ``slot``, standing at its left."""
    picture = place_picture("drawing", cover.drawing, pixels, slot, valign="centre")
    if picture.box.x > slot.x:
        slot = Box(slot.x, slot.y, picture.box.w, slot.h)
        picture = place_picture("drawing", cover.drawing, pixels, slot, valign="centre")
    return picture
