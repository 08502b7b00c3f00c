"""The layout in numbers: every box where it belongs, for many years, formats and drawings."""

import dataclasses
import datetime as dt
from pathlib import Path

import pytest

from calendar_builder.fonts import FontNames
from calendar_builder.geometry import MM, Box, page_frame
from calendar_builder.layout import (
    MAX_CROP,
    Bone,
    Fill,
    PageLayout,
    Picture,
    Ring,
    Rule,
    age_text,
    calendar_layout,
    caption_text,
    place_picture,
)
from calendar_builder.spec import CalendarSpec, Caption, Fact, MarkedDay, SpecError, Text
from calendar_builder.text import TextBlock, TextOverflow

LANDSCAPE, PORTRAIT, PHONE, SQUAREISH, PANORAMA = (
    (3508, 2480), (2480, 3508), (4032, 3024), (3000, 2800), (6000, 1500))


def pixels_for(spec: CalendarSpec, sizes: list[tuple[int, int]]) -> dict[Path, tuple[int, int]]:
    paths = [spec.cover.drawing, *(m.drawing for m in spec.months),
             *(w.drawing for w in spec.back.winners)]
    return {path: sizes[i % len(sizes)] for i, path in enumerate(dict.fromkeys(paths))}


def item_box(item: object) -> Box:
    match item:
        case TextBlock():
            return item.extent()
        case Picture(box=box) | Fill(box=box) | Bone(box=box):
            return box
        case Ring(cx=cx, cy=cy, r=r, width=width):
            return Box(cx - r, cy - r, 2 * r, 2 * r).grow(width / 2)
        case Rule(x1=x1, y1=y1, x2=x2, y2=y2, width=width):
            assert y1 == y2, "rules are horizontal, with butt ends"
            return Box(min(x1, x2), y1 - width / 2, abs(x2 - x1), width)
    raise AssertionError(item)


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


def test_long_text_shrinks_within_limits(small_spec: CalendarSpec, fonts: FontNames) -> None:
    months = list(small_spec.months)
    long_fact = " ".join([small_spec.months[0].fact.text.ru] * 6)
    months[0] = dataclasses.replace(months[0], fact=Fact(Text(long_fact), Text("IOF")))
    spec = dataclasses.replace(small_spec, months=tuple(months))
    january = calendar_layout(spec, pixels_for(spec, [LANDSCAPE]), fonts)[1]
    fact = next(t for t in january.texts if t.what == "fact")
    assert fact.shrink < 1
    assert fact.size >= 8
    assert_print_safe(january)


def test_captions_and_ages() -> None:
    caption = Caption(Text("Маша", "Masha"), 9, Text("Тверь", "Tver"),
                      Text("Солнце", "The sun"))
    assert caption_text(caption, "ru") == "Маша, 9 лет, Тверь. «Солнце»"
    assert caption_text(caption, "en") == "Masha, age 9, Tver. \u201cThe sun\u201d"
    assert caption_text(Caption(Text("Петя")), "ru") == "Петя"
    assert [age_text(n, "ru") for n in (1, 3, 5, 11, 21, 22)] == [
        "1 год", "3 года", "5 лет", "11 лет", "21 год", "22 года"]


def test_marked_days_default_to_world_osteoporosis_day(small_spec: CalendarSpec) -> None:
    spec = dataclasses.replace(small_spec, marked_days=None)
    assert [d.date for d in spec.days_to_mark] == [dt.date(2027, 10, 20)]
    with pytest.raises(SpecError, match="not in 2027"):
        dataclasses.replace(small_spec, marked_days=(
            MarkedDay(dt.date(2026, 12, 5), Text("День солидарности пациентов")),))
