"""The public plan: the calendar laid out once, then checked, previewed and built from it."""

import dataclasses
import io
from pathlib import Path

import pytest
from PIL import Image

import calendar_builder
from calendar_builder import (
    MIN_DPI,
    CalendarSpec,
    SpecError,
    build_calendar,
    placed_dpi,
    plan_calendar,
    preview_page,
)
from calendar_builder.demo import demo_spec
from calendar_builder.geometry import MM
from calendar_builder.samples import make_drawing


@pytest.fixture
def layouts_made(monkeypatch: pytest.MonkeyPatch) -> list[CalendarSpec]:
    """The specifications laid out from now on, one item per ``calendar_layout`` call."""
    made = []
    real = calendar_builder.plan.calendar_layout

    def counted(spec, pixels, fonts):
        made.append(spec)
        return real(spec, pixels, fonts)

    monkeypatch.setattr(calendar_builder.plan, "calendar_layout", counted)
    return made


def test_a_plan_gives_each_drawings_placed_size_and_dpi(small_spec: CalendarSpec) -> None:
    plan = plan_calendar(small_spec)
    assert [page.index for page in plan.pages] == list(range(14))
    assert plan.pages[0].name == "cover" and plan.pages[13].name == "back"
    assert plan.problems == ()
    for page, drawing in zip(plan.pages[1:13], (m.drawing for m in small_spec.months),
                             strict=True):
        placed = page.drawing()
        picture = next(p for p in page.layout.pictures if p.what == "drawing")
        assert placed.source == drawing and placed.readable
        assert placed.size_mm == pytest.approx((picture.image.w / MM, picture.image.h / MM))
        assert placed.dpi == pytest.approx(placed_dpi(picture))
        # 1250 pixels over the drawing's long side, far less than 1200 dpi, more than 150.
        long_mm = max(placed.size_mm)
        assert placed.dpi <= 1250 / (long_mm / 25.4) + 0.01 and placed.dpi > MIN_DPI
        assert 0 < placed.share <= 1
        content = page.layout.frame.content  # the month pages' own margins
        assert placed.share == pytest.approx(
            picture.box.w * picture.box.h / (content.w * content.h))
    winners = [d for d in plan.pages[13].drawings if d.what.startswith("winner ")]
    assert len(winners) == len(small_spec.back.winners)


def test_a_plan_lists_what_a_build_refuses_and_the_build_refuses_it(
        small_spec: CalendarSpec, tmp_path: Path) -> None:
    tiny = tmp_path / "tiny.jpg"
    make_drawing(7, (300, 212)).save(tiny, quality=90)
    missing = tmp_path / "missing.jpg"
    months = list(small_spec.months)
    months[2] = dataclasses.replace(months[2], drawing=tiny)
    months[5] = dataclasses.replace(months[5], drawing=missing)
    spec = dataclasses.replace(small_spec, months=tuple(months))
    plan = plan_calendar(spec)  # lists, never refuses
    assert len(plan.problems) == 2
    assert any(p.startswith("month 03") and "ppi" in p for p in plan.problems)
    assert any(p.startswith("month 06") for p in plan.problems)
    assert plan.pages[3].drawing().dpi < MIN_DPI and plan.pages[3].drawing().readable
    assert not plan.pages[6].drawing().readable
    with pytest.raises(SpecError) as caught:
        build_calendar(spec, tmp_path / "out.pdf", plan=plan)
    assert list(caught.value.problems) == list(plan.problems)
    assert not (tmp_path / "out.pdf").exists()


def test_building_from_a_plan_lays_out_nothing_again(small_spec: CalendarSpec, tmp_path: Path,
                                                      layouts_made: list) -> None:
    plan = plan_calendar(small_spec)
    report = build_calendar(small_spec, tmp_path / "calendar.pdf", plan=plan, output=
                            calendar_builder.output_for("rgb"), deterministic=True)
    assert len(layouts_made) == 1 and len(report.pages) == 14
    build_calendar(small_spec, tmp_path / "again.pdf", output=calendar_builder.output_for("rgb"),
                   deterministic=True)
    assert len(layouts_made) == 2  # without a plan, the build lays it out itself, once
    assert (tmp_path / "calendar.pdf").read_bytes() == (tmp_path / "again.pdf").read_bytes()
    other = dataclasses.replace(small_spec, language="en")
    with pytest.raises(ValueError, match="another specification"):
        build_calendar(other, tmp_path / "en.pdf", plan=plan)


def test_a_page_preview_is_one_page_of_the_plan(small_spec: CalendarSpec,
                                                layouts_made: list) -> None:
    plan = plan_calendar(small_spec)
    march = Image.open(io.BytesIO(preview_page(plan, 3, dpi=30)))
    cover = Image.open(io.BytesIO(preview_page(plan, 0, dpi=30)))
    assert len(layouts_made) == 1
    assert march.format == "PNG" and march.size == cover.size
    # The trimmed A4 page at 30 dpi.
    assert march.size == pytest.approx((210 / 25.4 * 30, 297 / 25.4 * 30), abs=1.5)
    assert march.tobytes() != cover.tobytes()


def test_a_landscape_plan_keeps_the_shape_of_the_page(tmp_path: Path) -> None:
    spec = demo_spec(tmp_path, year=2027, drawing_long_edge=600, orientation="landscape")
    plan = plan_calendar(spec)
    page = Image.open(io.BytesIO(preview_page(plan, 1, dpi=20)))
    assert page.width > page.height
