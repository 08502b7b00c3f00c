"""The layout in numbers: every box where it belongs, for many years, formats and drawings."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from calendar_builder.fonts import FontNames
from calendar_builder.geometry import MM, Box, page_frame
from calendar_builder.images import upright_size
from calendar_builder.layout import (
    MAX_CROP,
    Fill,
    PageLayout,
    Rule,
    age_text,
    calendar_layout,
    caption_text,
    place_picture,
)
from calendar_builder.layout.measure import bounds, measure
from calendar_builder.plan import plan_calendar
from calendar_builder.spec import (
    CalendarSpec,
    Caption,
    Fact,
    MarkedDay,
    SpecError,
    Text,
    month_name,
)
from calendar_builder.text import TextBlock, TextOverflow

LANDSCAPE, PORTRAIT, PHONE, SQUAREISH, PANORAMA = (
    (3508, 2480), (2480, 3508), (4032, 3024), (3000, 2800), (6000, 1500))


def pixels_for(spec: CalendarSpec, sizes: list[tuple[int, int]]) -> dict[Path, tuple[int, int]]:
    sized = {path: sizes[i % len(sizes)] for i, path in enumerate(spec.drawings)}
    return sized | {logo: (1200, 480) for logo in spec.logos}


def item_box(item: object) -> Box:
    """The library's own measure of an item's box; every rule it draws is horizontal."""
    if isinstance(item, Rule):
        assert item.y1 == item.y2, "rules are horizontal, with butt ends"
    return bounds(item)


def assert_print_safe(layout: PageLayout) -> None:
    frame = layout.frame
    assert frame.trim.contains(frame.safe)
    for item in layout.items:
        box = item_box(item)
        if isinstance(item, Fill):  # backgrounds may run out to the bleed, never further
            assert frame.bleed.contains(box), (layout.name, item)
        else:  # anything readable, drawings, rules and marks stay in the safe zone
            assert frame.safe.contains(box), (layout.name, item)
            assert frame.content.contains(box), (layout.name, item)


@pytest.mark.parametrize("year", [2026, 2027, 2028, 2031])
@pytest.mark.parametrize("page_format", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_every_box_is_inside_trim_and_safe_zone(
    small_spec: CalendarSpec, fonts: FontNames, year: int, page_format: str, orientation: str,
    language: str,
) -> None:
    spec = dataclasses.replace(
        small_spec, year=year, page_format=page_format, orientation=orientation,
        language=language, marked_days=tuple(
            dataclasses.replace(d, date=d.date.replace(year=year))
            for d in small_spec.days_to_mark),
    )
    sizes = [LANDSCAPE, PORTRAIT, PHONE, SQUAREISH, PANORAMA]
    layouts = calendar_layout(spec, pixels_for(spec, sizes), fonts)
    assert len(layouts) == 14
    for layout in layouts:
        assert_print_safe(layout)
        for picture in layout.pictures:  # never stretched: the image keeps its proportions
            assert picture.image.w / picture.image.h == pytest.approx(
                picture.pixels[0] / picture.pixels[1], rel=1e-9)
            assert max(picture.crop.values()) <= MAX_CROP / 2 + 1e-9


def test_six_week_month_fits_and_all_days_are_printed(small_spec: CalendarSpec,
                                                      fonts: FontNames) -> None:
    spec = dataclasses.replace(small_spec, year=2026, marked_days=())
    march = calendar_layout(spec, pixels_for(spec, [LANDSCAPE]), fonts)[3]
    days = [t for t in march.texts if t.what.startswith("day ")]
    assert [t.lines[0].text for t in days] == [str(n) for n in range(1, 32)]
    rows = sorted({round(t.lines[0].y, 2) for t in days}, reverse=True)
    assert len(rows) == 6
    # Monday first: 1 March 2026 (a Sunday) is alone in the last column of the first row.
    assert days[0].extent().x > days[1].extent().x
    assert_print_safe(march)


def test_binding_margin_is_kept_free(small_spec: CalendarSpec, fonts: FontNames) -> None:
    spec = dataclasses.replace(small_spec, binding_mm=20)
    frame = page_frame(spec)
    assert frame.trim.top - frame.safe.top == pytest.approx(20 * MM)
    for layout in calendar_layout(spec, pixels_for(spec, [LANDSCAPE, PORTRAIT]), fonts):
        for item in layout.items:
            if not isinstance(item, Fill):
                assert item_box(item).top <= frame.trim.top - 20 * MM + 0.01


def test_page_frame_numbers(small_spec: CalendarSpec) -> None:
    frame = page_frame(dataclasses.replace(small_spec, page_format="A4", bleed_mm=3))
    assert (frame.trim.w / MM, frame.trim.h / MM) == pytest.approx((210, 297))
    assert (frame.media.w / MM, frame.media.h / MM) == pytest.approx((216, 303))
    assert frame.bleed == frame.media
    a3 = page_frame(dataclasses.replace(small_spec, page_format="A3", orientation="landscape",
                                        bleed_mm=2, crop_marks=True))
    assert (a3.trim.w / MM, a3.trim.h / MM) == pytest.approx((420, 297))
    assert (a3.bleed.w / MM, a3.bleed.h / MM) == pytest.approx((424, 301))
    assert (a3.media.w / MM, a3.media.h / MM) == pytest.approx((444, 321))
    assert a3.scale == pytest.approx(297 / 210)


@pytest.mark.parametrize(
    ("pixels", "slot", "cropped"),
    [
        ((1414, 1000), (141.4, 100.0), False),  # same shape: fills exactly
        ((1414, 1000), (150.0, 100.0), True),  # 5.7% too tall: cut to fill
        ((4032, 3024), (141.4, 100.0), True),  # a phone photo in an A-paper slot: 5.7%
        ((3000, 1000), (141.4, 100.0), False),  # panorama: shown whole, smaller
        ((1000, 1414), (141.4, 100.0), False),  # portrait in landscape slot: whole
    ],
)
def test_place_picture_crops_little_or_not_at_all(
    pixels: tuple[int, int], slot: tuple[float, float], cropped: bool
) -> None:
    box = Box(10, 20, *slot)
    picture = place_picture("drawing", Path("x.jpg"), pixels, box)
    assert box.contains(picture.box)
    cut = picture.crop
    assert picture.image.w / picture.image.h == pytest.approx(pixels[0] / pixels[1])
    if cropped:
        assert picture.box == box
        assert 0 < max(cut.values()) <= MAX_CROP / 2 + 1e-9
        assert cut["left"] == pytest.approx(cut["right"])
        assert cut["top"] == pytest.approx(cut["bottom"])
    else:
        assert picture.box == picture.image
        assert max(cut.values()) == pytest.approx(0, abs=1e-12)
        assert picture.box.w == pytest.approx(box.w) or picture.box.h == pytest.approx(box.h)


def test_too_long_text_is_an_error_naming_the_page(small_spec: CalendarSpec,
                                                   fonts: FontNames) -> None:
    months = list(small_spec.months)
    months[4] = dataclasses.replace(months[4], fact=Fact(Text("Кость " * 400), Text("IOF")))
    spec = dataclasses.replace(small_spec, months=tuple(months))
    with pytest.raises(TextOverflow, match=r"month 05 \(Май\): the fact"):
        calendar_layout(spec, pixels_for(spec, [LANDSCAPE]), fonts)


@pytest.mark.parametrize("page_format", ["A4", "A3"])
def test_a_long_fact_changes_only_its_own_page(small_spec: CalendarSpec, fonts: FontNames,
                                               page_format: str) -> None:
    spec = dataclasses.replace(small_spec, page_format=page_format)
    long_fact = " ".join([small_spec.months[0].fact.text.ru] * 6)
    assert len(long_fact) >= 600
    months = list(spec.months)
    months[0] = dataclasses.replace(months[0], fact=Fact(Text(long_fact), Text("IOF")))
    pixels = pixels_for(spec, [LANDSCAPE])
    before = calendar_layout(spec, pixels, fonts)
    after = calendar_layout(dataclasses.replace(spec, months=tuple(months)), pixels, fonts)
    scale = after[1].frame.scale
    fact = next(t for t in after[1].texts if t.what == "fact")
    assert fact.size >= 10 * scale - 1e-6
    assert after[2:] == before[2:]  # every other page exactly as it was
    # January's grid too: its rules, weekdays and day numbers, at the design's size.
    def grid(layout: PageLayout) -> list[object]:
        return [i for i in layout.items if isinstance(i, Rule)
                or (isinstance(i, TextBlock) and i.what.startswith(("day ", "weekday")))]
    assert grid(after[1]) == grid(before[1])
    assert {round(t.size, 9) for t in day_numbers(after[1])} == {round(24 * scale, 9)}
    assert_print_safe(after[1])


def test_captions_and_ages() -> None:
    caption = Caption(Text("Маша", "Masha"), 9, Text("Тверь", "Tver"),
                      Text("Солнце", "The sun"))
    assert caption_text(caption, "ru") == "Маша, 9 лет, Тверь. «Солнце»"
    assert caption_text(caption, "en") == "Masha, age 9, Tver. \u201cThe sun\u201d"
    assert caption_text(Caption(Text("Петя")), "ru") == "Петя"
    anonymous = Caption(Text(""), 9, Text("Тверь", "Tver"))  # the family kept the name back
    assert caption_text(anonymous, "en") == "Age 9, Tver"
    assert [age_text(n, "ru") for n in (1, 3, 5, 11, 21, 22)] == [
        "1 год", "3 года", "5 лет", "11 лет", "21 год", "22 года"]


def test_marked_days_default_to_world_osteoporosis_day(small_spec: CalendarSpec) -> None:
    spec = dataclasses.replace(small_spec, marked_days=None)
    assert [d.date for d in spec.days_to_mark] == [dt.date(2027, 10, 20)]
    with pytest.raises(SpecError, match="not in 2027"):
        dataclasses.replace(small_spec, marked_days=(
            MarkedDay(dt.date(2026, 12, 5), Text("День солидарности пациентов")),))


def landscape_layouts(small_spec: CalendarSpec, fonts: FontNames, page_format: str,
                      size: tuple[int, int], language: str = "ru") -> tuple[PageLayout, ...]:
    """The 2026 calendar (March and August span six weeks) with every drawing of ``size``."""
    spec = dataclasses.replace(small_spec, year=2026, page_format=page_format,
                               orientation="landscape", language=language, marked_days=())
    return calendar_layout(spec, pixels_for(spec, [size]), fonts)


def columns(layout: PageLayout) -> tuple[list[Box], list[Box]]:
    """The boxes of a landscape month page left and right of the drawing's column."""
    split = layout.pictures[0].box.right
    boxes = [item_box(item) for item in layout.items]
    return [b for b in boxes if b.x < split], [b for b in boxes if b.x >= split]


def largest_gap(boxes: list[Box]) -> float:
    """The tallest band of a column that no box reaches into."""
    spans = sorted((b.y, b.top) for b in boxes)
    gap, reached = 0.0, spans[0][1]
    for bottom, top in spans[1:]:
        gap, reached = max(gap, bottom - reached), max(reached, top)
    return gap


# The drawings of the layout rules: (width, height) in pixels.
SHAPES = {"landscape": (3508, 2480), "portrait": (2480, 3508), "square": (3000, 3000),
          "panorama 4:1": (8000, 2000), "panorama 3:1": (6000, 2000), "tall 1:3": (1500, 4500)}
# The least share of the trimmed page each month's drawing takes: 45 % when its shape is
# the page's, 35 % otherwise. A panorama on a portrait page and a 1:3 drawing on either
# cannot reach 35 % at all (a 4:1 band across an A4 page's 210 mm is 17 % of it): they get
# the largest their own arrangement allows, pinned here as measured.
LEAST_SHARE = {
    ("portrait", "landscape"): 0.35, ("portrait", "portrait"): 0.45,
    ("portrait", "square"): 0.35, ("portrait", "panorama 4:1"): 0.155,
    ("portrait", "panorama 3:1"): 0.205, ("portrait", "tall 1:3"): 0.225,
    ("landscape", "landscape"): 0.45, ("landscape", "portrait"): 0.35,
    ("landscape", "square"): 0.35, ("landscape", "panorama 4:1"): 0.32,
    ("landscape", "panorama 3:1"): 0.35, ("landscape", "tall 1:3"): 0.16,
}


def blank_band(layout: PageLayout) -> float:
    """The tallest horizontal band of the trimmed page, across its whole width, that no
    item's box reaches into (points)."""
    trim = layout.frame.trim
    spans = sorted((max(b.y, trim.y), min(b.top, trim.top))
                   for b in (item_box(i) for i in layout.items) if b.top > trim.y
                   and b.y < trim.top)
    band, reached = 0.0, trim.y
    for bottom, top in spans:
        band, reached = max(band, bottom - reached), max(reached, top)
    return max(band, trim.top - reached)


@pytest.mark.parametrize("page_format", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_month_pages_by_the_numbers(small_spec: CalendarSpec, fonts: FontNames,
                                    page_format: str, orientation: str, shape: str) -> None:
    spec = dataclasses.replace(small_spec, page_format=page_format, orientation=orientation)
    months = calendar_layout(spec, pixels_for(spec, [SHAPES[shape]]), fonts)[1:13]
    scale, trim = months[0].frame.scale, months[0].frame.trim
    wall = 10 * scale  # pt: the smallest text read on a wall (14.1 pt on A3)
    assert wall >= (10 if page_format == "A4" else 13)
    for month in months:
        assert_print_safe(month)
        (picture,) = month.pictures
        share = picture.box.w * picture.box.h / (trim.w * trim.h)
        assert share >= LEAST_SHARE[(orientation, shape)], (month.name, share)
        assert blank_band(month) <= (15 if page_format == "A4" else 20) * MM + 0.01, month.name
        assert {round(t.size, 9) for t in day_numbers(month)} == {round(24 * scale, 9)}
        texts = [t for t in month.texts if t.what in
                 ("legend", "fact", "fact source", "fact heading", "caption", "weekday")]
        assert {"fact", "fact source", "caption"} <= {t.what for t in texts}
        assert min(t.size for t in texts) >= wall - 1e-6, month.name
    if shape.startswith("panorama"):
        for month in months:  # a band as wide as the page's content, never a strip
            assert month.pictures[0].box.w >= month.frame.content.w * 0.95
    if orientation == "portrait":
        def grid(layout: PageLayout) -> tuple[object, ...]:
            return tuple(i for i in layout.items if isinstance(i, Rule))
        # One grid: its rules (the zone's top, every row's) where they are on every month.
        assert len({grid(month) for month in months}) == 1
        tops = {round(max(t.extent().top for t in m.texts if t.what == "weekday"), 6)
                for m in months}
        assert len(tops) == 1


# The least share of the trimmed page the cover's drawing takes: 45 % when its shape is the
# page's, 35 % otherwise, where the page allows it. Pinned as measured where it cannot:
# a 4:1 (3:1) band across a portrait page's 194 mm of content is 15 % (20 %) of the page,
# across a landscape page's 281 mm 32 %; a 1:3 drawing as tall as a landscape page's
# content is 19 %. The paper those leave is the accent field with a large year.
COVER_SHARE = LEAST_SHARE | {
    ("portrait", "panorama 4:1"): 0.15, ("portrait", "panorama 3:1"): 0.20,
    ("portrait", "tall 1:3"): 0.35, ("landscape", "panorama 4:1"): 0.315,
    ("landscape", "tall 1:3"): 0.185,
}


@pytest.mark.parametrize("page_format", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
@pytest.mark.parametrize("shape", list(SHAPES))
def test_cover_by_the_numbers(small_spec: CalendarSpec, fonts: FontNames,
                              page_format: str, orientation: str, shape: str) -> None:
    spec = dataclasses.replace(small_spec, page_format=page_format, orientation=orientation)
    cover = calendar_layout(spec, pixels_for(spec, [SHAPES[shape]]), fonts)[0]
    trim, scale = cover.frame.trim, cover.frame.scale
    assert_print_safe(cover)
    (picture,) = cover.pictures
    assert max(picture.crop.values()) <= MAX_CROP / 2 + 1e-9  # cut at most MAX_CROP in all
    share = picture.box.w * picture.box.h / (trim.w * trim.h)
    assert share >= COVER_SHARE[(orientation, shape)], share
    assert blank_band(cover) <= (15 if page_format == "A4" else 20) * MM + 0.01
    assert measure(cover).largest_blank_mm == pytest.approx(blank_band(cover) / MM)
    assert {"title", "subtitle", "year", "motto", "caption"} <= {t.what for t in cover.texts}
    assert all(t.shrink >= 0.999 for t in cover.texts if t.what == "year")
    assert min(t.size for t in cover.texts) >= 10 * scale - 1e-6
    # The field: the accent colour out to the bleed, holding the year and the motto.
    (field,) = [i for i in cover.items if isinstance(i, Fill)]
    assert field.colour == spec.colours.accent
    assert field.box.y == pytest.approx(cover.frame.bleed.y)
    for text in cover.texts:
        inside = field.box.contains(text.extent())
        assert inside == (text.what in ("year", "motto")), text.what
    boxes = [item_box(i) for i in cover.items if i is not field]
    for i, one in enumerate(boxes):  # nothing overlaps
        for other in boxes[i + 1:]:
            assert (one.right <= other.x + 0.01 or other.right <= one.x + 0.01
                    or one.top <= other.y + 0.01 or other.top <= one.y + 0.01), (one, other)


@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_small_grids_are_the_real_months_around(small_spec: CalendarSpec, fonts: FontNames,
                                                orientation: str) -> None:
    spec = dataclasses.replace(small_spec, orientation=orientation)
    months = calendar_layout(spec, pixels_for(spec, [LANDSCAPE]), fonts)[1:13]
    for number, month in enumerate(months, start=1):
        names = [t.lines[0].text for t in month.texts if t.what.startswith("mini ")
                 and t.what.endswith("name")]
        before = dt.date(2027, number, 1) - dt.timedelta(days=1)
        after = (dt.date(2027, number, 28) + dt.timedelta(days=4)).replace(day=1)
        assert names == [f"{month_name(before.month, 'ru')} {before.year}",
                         f"{month_name(after.month, 'ru')} {after.year}"]
    # January's neighbour is December 2026: 31 days, Saturdays and Sundays off (in red).
    days = [t for t in months[0].texts if t.what == "mini 12.2026 days"]
    numbers = sorted(int(line.text) for t in days for line in t.lines if line.text.isdigit())
    assert numbers == list(range(1, 32))
    off = next(t for t in days if t.colour == spec.colours.weekend)
    assert {int(line.text) for line in off.lines if line.text.isdigit()} == {
        5, 6, 12, 13, 19, 20, 26, 27, 31}  # 31 December 2026 is a day off in Russia


@pytest.mark.parametrize("page_format", ["A4", "A3"])
def test_landscape_cover_shows_the_drawing_beside_the_title(
    small_spec: CalendarSpec, fonts: FontNames, page_format: str,
) -> None:
    for size, share in [(LANDSCAPE, 0.40), (PHONE, 0.40), (PORTRAIT, 0.20)]:
        cover = landscape_layouts(small_spec, fonts, page_format, size)[0]
        frame, picture = cover.frame, cover.pictures[0]
        assert_print_safe(cover)
        assert picture.box.w * picture.box.h >= share * frame.trim.w * frame.trim.h
        for text in cover.texts:  # the column beside the drawing: the title, the field
            if text.what in ("title", "subtitle", "year", "motto"):
                assert text.extent().x > picture.box.right
    # A title too long to stand beside the drawing goes above it.
    spec = dataclasses.replace(small_spec, page_format=page_format, orientation="landscape")
    long_title = dataclasses.replace(spec, cover=dataclasses.replace(spec.cover, title=Text(
        "Крепкие кости — с детства: рисунки победителей всероссийского конкурса о здоровье "
        "костей, движении и молоке")))
    cover = calendar_layout(long_title, pixels_for(long_title, [LANDSCAPE]), fonts)[0]
    title = next(t for t in cover.texts if t.what == "title")
    assert title.extent().y > cover.pictures[0].box.top
    assert_print_safe(cover)
    # A panorama is shown larger under the title, across the page.
    cover = landscape_layouts(small_spec, fonts, page_format, PANORAMA)[0]
    title = next(t for t in cover.texts if t.what == "title")
    assert title.extent().y > cover.pictures[0].box.top
    assert cover.pictures[0].box.w == pytest.approx(cover.frame.content.w)


def demo_layouts(small_spec: CalendarSpec, fonts: FontNames, year: int, page_format: str,
                 orientation: str) -> tuple[PageLayout, ...]:
    """The demo calendar of ``year`` with its own drawings: March, July, October tall."""
    spec = dataclasses.replace(
        small_spec, year=year, page_format=page_format, orientation=orientation,
        marked_days=tuple(dataclasses.replace(d, date=d.date.replace(year=year))
                          for d in small_spec.days_to_mark))
    return calendar_layout(spec, {path: upright_size(path) for path in spec.images}, fonts)


def day_numbers(layout: PageLayout) -> list[TextBlock]:
    return [t for t in layout.texts if t.what.startswith("day ")]


def row_pitches(layout: PageLayout) -> set[float]:
    ys = sorted({round(t.lines[0].y, 6) for t in day_numbers(layout)}, reverse=True)
    return {round(a - b, 3) for a, b in zip(ys, ys[1:], strict=False)}


@pytest.mark.parametrize("year", [2026, 2027])
@pytest.mark.parametrize("page_format", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_day_numbers_are_one_size_on_every_month_page(
    small_spec: CalendarSpec, fonts: FontNames, year: int, page_format: str, orientation: str,
) -> None:
    months = demo_layouts(small_spec, fonts, year, page_format, orientation)[1:13]
    scale = months[0].frame.scale
    sizes = {round(t.size, 6) for month in months for t in day_numbers(month)}
    assert len(sizes) == 1, sizes
    # Shared with the tightest month (May 2027: six weeks and a four-entry legend), yet not
    # much smaller than the 24 pt the design wants when rows have room.
    assert 17 * scale * 0.99 <= sizes.pop() <= 24 * scale
    if orientation == "portrait":
        # The same rows on every page, from the same top on pages of the same arrangement.
        assert len({pitch for month in months for pitch in row_pitches(month)}) == 1
        for shape in (True, False):
            same = [m for m in months if (m.pictures[0].box.w > m.pictures[0].box.h) == shape]
            assert len({round(next(t for t in m.texts if t.what == "weekday").extent().top, 3)
                        for m in same}) == 1
    for month in months:
        assert_print_safe(month)
        assert all(t.shrink < 1 or t.size == 24 * scale for t in day_numbers(month))


@pytest.mark.parametrize("page_format", ["A4", "A3"])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_landscape_day_numbers_stand_clear_and_rules_show(
    small_spec: CalendarSpec, fonts: FontNames, page_format: str, language: str,
) -> None:
    for layout in landscape_layouts(small_spec, fonts, page_format, LANDSCAPE, language)[1:13]:
        mm = MM * layout.frame.scale
        days = day_numbers(layout)
        xs = sorted({round(t.extent().x + t.extent().w / 2, 3) for t in days})
        column = xs[1] - xs[0]
        assert column >= 12.8 * mm
        # Between two-digit neighbours at least 40% of a column (5 mm on A4) of clear paper;
        # the old 24 pt numbers left 3.3 mm and read as one line of text.
        widest = max(t.extent().w for t in days)
        assert column - widest >= max(0.4 * column, 5 * mm), layout.name
        # Row rules are a light grey that prints, not the cream tint of the panels.
        rules = [i for i in layout.items if isinstance(i, Rule)
                 and i.colour != small_spec.colours.accent]
        assert rules
        for rule in rules:
            luminance = sum(int(rule.colour[i:i + 2], 16) for i in (1, 3, 5)) / (3 * 255)
            assert 0.6 <= luminance <= 0.88, rule.colour


def test_portrait_fact_stands_level_with_a_tall_drawing(small_spec: CalendarSpec,
                                                       fonts: FontNames) -> None:
    for page_format in ("A4", "A3"):
        months = demo_layouts(small_spec, fonts, 2027, page_format, "portrait")[1:13]
        tall = [m for m in months if m.pictures[0].box.h > m.pictures[0].box.w]
        assert [m.name[:8] for m in tall] == ["month 03", "month 07", "month 10"]
        for month in tall:
            picture = month.pictures[0].box
            panel = next(i.box for i in month.items if isinstance(i, Fill)
                         and i.box.x > picture.right)
            caption = next(t for t in month.texts if t.what == "caption").extent()
            assert panel.top == pytest.approx(picture.top)
            assert caption.y == pytest.approx(picture.y, abs=2 * MM)
            assert panel.y > caption.top
            # The drawing grows into the room the shared grid leaves: more than half the page.
            assert picture.h > 0.5 * month.frame.content.h


def test_a_spec_lists_each_drawing_once(small_spec: CalendarSpec) -> None:
    drawings = small_spec.drawings
    assert drawings[0] == small_spec.cover.drawing and len(drawings) == len(set(drawings))
    assert {m.drawing for m in small_spec.months} <= set(drawings)
    assert set(plan_calendar(small_spec).drawings) == set(drawings) | set(small_spec.logos)
