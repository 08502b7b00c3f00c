"""The cover: title and subtitle, the drawing large, and a band with the year and motto."""

from contextlib import suppress

from ..fonts import FontNames
from ..geometry import Box, page_frame
from ..spec import CalendarSpec, Cover
from ..text import Align, TextBlock, TextOverflow, fit_text
from .blocks import CAPTION_GAP, CAPTION_H, GAP, caption_block, clamp, place_picture
from .items import Fill, Item, PageLayout, Picture, Style, shifted

COVER_TEXT_SHARE = 0.25  # at least this share of a landscape cover's width for the title
COVER_BAND_GAP = 8.0  # mm on A4: at least this much paper above the cover's band
TITLE_H = 30.0  # mm on A4: the title's box for two lines
SUBTITLE_LINE_H = 8.0  # mm on A4: the subtitle's box for each line
TITLE_GAP = 3.0  # mm on A4: under the title
MOTTO_GAP = 10.0  # mm on A4: between the year and the motto in the band


def cover_layout(spec: CalendarSpec, pixels: tuple[int, int], fonts: FontNames) -> PageLayout:
    """The cover: title and subtitle, the drawing large, and a band with the year and motto.

    On a landscape page the title stands beside the drawing when that shows the drawing
    larger than the title above it (a very wide drawing keeps the title above).
    """
    frame = page_frame(spec)
    style = Style(frame, fonts, spec.colours, spec.language)
    c, f, lang, cover = spec.colours, fonts, spec.language, spec.cover
    content, name = frame.content, "cover"
    band_h = style.mm(44)
    band = Box(frame.bleed.x, frame.bleed.y, frame.bleed.w,
               content.y - frame.bleed.y + band_h - style.mm(12))
    band_text = Box(content.x, content.y, content.w, band.top - content.y - style.mm(6))
    year = fit_text(str(spec.year), band_text, font=f.display, size=style.pt(64),
                    min_size=style.pt(40), colour=c.paper, what="year", page=name,
                    valign="centre", max_lines=1)
    motto_box = Box(year.extent().right + style.mm(MOTTO_GAP), band_text.y,
                    band_text.right - year.extent().right - style.mm(MOTTO_GAP), band_text.h)
    items: list[Item] = [Fill(band, c.accent), year]
    if cover.motto.get(lang):
        items.append(fit_text(cover.motto.get(lang), motto_box, font=f.bold, size=style.pt(17),
                              min_size=style.pt(11), colour=c.paper, what="motto", page=name,
                              align="right", valign="centre"))
    # Above the band, with room for the drawing's caption under it.
    area = content.inset(0, band.top + style.mm(COVER_BAND_GAP) - content.y, 0, 0)
    arrangements = [_cover_title_above(area, cover, pixels, style)]
    if spec.orientation == "landscape":
        # A title too long for the column beside the drawing keeps it above.
        with suppress(TextOverflow):
            arrangements.append(_cover_title_beside(area, cover, pixels, style))
    items += max(arrangements, key=_picture_area)
    return PageLayout(name, frame, tuple(items))


def _picture_area(items: list[Item]) -> float:
    return sum(item.box.w * item.box.h for item in items if isinstance(item, Picture))


def _cover_title(cover: Cover, box: Box, style: Style, align: Align,
                 max_lines: int) -> list[TextBlock]:
    """The title, and the subtitle under it, set from the top of ``box``."""
    f, c, lang = style.fonts, style.colours, style.language
    title = fit_text(cover.title.get(lang), Box(box.x, box.top - style.mm(TITLE_H) * max_lines / 2,
                                                box.w, style.mm(TITLE_H) * max_lines / 2),
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


def _cover_caption(cover: Cover, picture: Picture, across: Box, style: Style) -> list[Item]:
    """The drawing's caption under it, centred on ``across``."""
    if not cover.caption:
        return []
    box = Box(across.x, picture.box.y - style.mm(CAPTION_GAP + CAPTION_H), across.w,
              style.mm(CAPTION_H))
    return [caption_block(cover.caption, box, style, "cover", align="centre")]


def _cover_title_above(area: Box, cover: Cover, pixels: tuple[int, int],
                       style: Style) -> list[Item]:
    """Title and subtitle across the top, the drawing under them, evenly spaced."""
    titles = _cover_title(cover, area, style, "centre", max_lines=2)
    top = titles[-1].extent().y - (style.mm(TITLE_GAP) if len(titles) == 1 else 0.0)
    caption_h = style.mm(CAPTION_H) if cover.caption else 0.0
    slot = area.below(top - style.mm(GAP)).inset(0, caption_h, 0, 0)
    picture = place_picture("drawing", cover.drawing, pixels, slot, valign="top")
    # The height the drawing leaves is shared out so that the paper above the title, between
    # the subtitle and the drawing, and between its caption and the band is about the same:
    # the blocks stand evenly down the page instead of the drawing floating in the middle.
    captions = _cover_caption(cover, picture, area, style)
    slack = picture.box.y - slot.y
    above = area.top - titles[0].extent().top
    between = titles[-1].extent().y - picture.box.top
    below = (captions[0].extent().y if captions else picture.box.y) - slack - area.y
    even = (above + between + below + style.mm(COVER_BAND_GAP) + slack) / 3
    titles_down = clamp(even - above, 0.0, slack)
    picture_down = clamp(titles_down + even - between, titles_down, slack)
    titles = [shifted(block, -titles_down) for block in titles]
    picture = shifted(picture, -picture_down)
    return [*titles, picture, *_cover_caption(cover, picture, area, style)]


def _cover_title_beside(area: Box, cover: Cover, pixels: tuple[int, int],
                        style: Style) -> list[Item]:
    """The drawing as tall as the area at the left, title and subtitle centred beside it."""
    gap = style.mm(1.5 * GAP)
    caption_h = style.mm(CAPTION_H) if cover.caption else 0.0
    slot = area.inset(0, caption_h, area.w * COVER_TEXT_SHARE + gap, 0)
    picture = place_picture("drawing", cover.drawing, pixels, slot, valign="centre")
    column = area.inset(picture.box.right + gap - area.x, 0, 0, 0)
    titles = _cover_title(cover, column, style, "centre", max_lines=4)
    # The titles' middle level with the drawing's middle, within the area.
    top, bottom = titles[0].extent().top, titles[-1].extent().y
    dy = picture.box.y + picture.box.h / 2 - (top + bottom) / 2
    dy = clamp(dy, area.y - bottom, area.top - top)
    titles = [shifted(block, dy) for block in titles]
    return [*titles, picture, *_cover_caption(cover, picture, picture.box, style)]

