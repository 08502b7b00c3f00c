"""Everything is checked before any pixel work: days off, files, resolution, the whole spec."""

import dataclasses
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner
from PIL import Image

from calendar_builder.__main__ import main
from calendar_builder.build import build_calendar, preflight
from calendar_builder.demo import demo_spec
from calendar_builder.fonts import FontNames
from calendar_builder.images import GOOD_DPI, MIN_DPI
from calendar_builder.layout import calendar_layout
from calendar_builder.samples import make_drawing
from calendar_builder.spec import CalendarSpec, SpecError

from .test_images import png_header_only

README = Path(__file__).parents[2] / "calendar_builder" / "README.md"


def never_called(*args: object) -> None:
    raise AssertionError(f"an image was prepared: {args}")


@pytest.fixture(scope="module")
def year_2028(small_spec: CalendarSpec) -> CalendarSpec:
    """The small demo calendar for 2028, a year whose decree ``holidays`` does not know."""
    return demo_spec(small_spec.cover.drawing.parent, year=2028, drawing_long_edge=1200)


def test_a_year_without_its_decree_is_refused_before_any_image(year_2028: CalendarSpec,
                                                               tmp_path: Path) -> None:
    with pytest.raises(SpecError) as caught:
        build_calendar(year_2028, tmp_path / "2028.pdf", never_called)
    assert len(caught.value.problems) == 1
    assert caught.value.problems[0].startswith(
        "year 2028: the government's decree moving the days off of 2028 is not in the "
        "holidays data")
    assert not (tmp_path / "2028.pdf").exists()


def test_confirmed_holidays_follow_the_labour_code(year_2028: CalendarSpec,
                                                   fonts: FontNames) -> None:
    spec = dataclasses.replace(year_2028, holidays_confirmed=True)
    checked = preflight(spec)
    november = checked.layouts[11]
    colour = {t.what: t.colour for t in november.texts if t.what.startswith("day ")}
    # 4 November 2028 is a Saturday: the Monday after it is off (art. 112).
    assert colour["day 6"] == spec.colours.weekend
    assert colour["day 7"] == spec.colours.ink
    legend = " ".join(line.text for t in november.texts if t.what == "legend"
                      for line in t.lines)
    assert "День народного единства (выходной)" in legend.replace("\u00a0", " ")


def test_every_problem_is_found_before_any_image_is_prepared(small_spec: CalendarSpec,
                                                             tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.jpg"
    whole = small_spec.months[4].drawing.read_bytes()
    truncated.write_bytes(whole[: len(whole) // 2])
    huge = tmp_path / "huge.png"
    huge.write_bytes(png_header_only(20_000, 15_000))
    small = tmp_path / "small.jpg"
    make_drawing(3, (400, 283)).save(small, quality=90)
    months = list(small_spec.months)
    months[4] = dataclasses.replace(months[4], drawing=truncated)
    months[6] = dataclasses.replace(months[6], drawing=huge)
    months[8] = dataclasses.replace(months[8], drawing=small)
    months[9] = dataclasses.replace(months[9], drawing=tmp_path / "missing.jpg")
    spec = dataclasses.replace(small_spec, months=tuple(months))
    with pytest.raises(SpecError) as caught:
        build_calendar(spec, tmp_path / "calendar.pdf", never_called)
    problems = caught.value.problems
    assert [p.split(": ")[0] for p in problems] == [
        "month 05 (Май)", "month 07 (Июль)", "month 10 (Октябрь)", "month 09 (Сентябрь)"]
    assert "truncated.jpg: the JPEG file is truncated" in problems[0]
    assert "huge.png: the image has 300 megapixels" in problems[1]
    assert "missing.jpg: file not found" in problems[2]
    assert re.search(r"drawing small.jpg would print at \d+ ppi \(400 × 283 pixels over "
                     rf"\d+ × \d+ mm\); at least {MIN_DPI} ppi are needed", problems[3])


def test_resolution_thresholds(small_spec: CalendarSpec, fonts: FontNames) -> None:
    """150 ppi refuses, 250 ppi warns: the small calendar's drawings sit between."""
    assert (MIN_DPI, GOOD_DPI) == (150, 250)
    checked = preflight(small_spec)
    drawings = [p for layout in checked.layouts[1:13] for p in layout.pictures]
    assert all(MIN_DPI <= p.pixels[0] / (p.image.w / 72) < GOOD_DPI for p in drawings)
    layouts = calendar_layout(small_spec, {p: (600, 424) for p in small_spec.images}, fonts)
    assert any(p.pixels[0] / (p.image.w / 72) < MIN_DPI for p in layouts[1].pictures)


# --- the command line: a clear message naming the page, no traceback ------------------------


@pytest.fixture(scope="module")
def example_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("example")
    example = json.loads(re.search(r"Complete example.*?```json\n(.*?)```",
                                   README.read_text("utf-8"), re.S).group(1))
    paths = {example["cover"]["drawing"]} | {m["drawing"] for m in example["months"]}
    for seed, relative in enumerate(sorted(paths)):
        (folder / relative).parent.mkdir(exist_ok=True)
        make_drawing(seed, (1400, 990)).save(folder / relative, quality=90)
    (folder / "calendar.json").write_text(json.dumps(example, ensure_ascii=False), "utf-8")
    return folder


def run_build(folder: Path, change) -> str:
    example = json.loads((folder / "calendar.json").read_text("utf-8"))
    change(example, folder)
    spec_file = folder / "changed.json"
    spec_file.write_text(json.dumps(example, ensure_ascii=False), encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(spec_file), "-o", str(folder / "out.pdf")])
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "Traceback" not in result.output
    return result.output


def truncate_may(example: dict, folder: Path) -> None:
    data = (folder / "drawings/05.jpg").read_bytes()
    (folder / "drawings/05-cut.jpg").write_bytes(data[: len(data) * 3 // 5])
    example["months"][4]["drawing"] = "drawings/05-cut.jpg"


def huge_july(example: dict, folder: Path) -> None:
    (folder / "drawings/07-huge.png").write_bytes(png_header_only(20_000, 15_000))
    example["months"][6]["drawing"] = "drawings/07-huge.png"


CASES = {
    "truncated JPEG": (truncate_may, "month 05 (Май): 05-cut.jpg: the JPEG file is truncated"),
    "300 megapixels": (huge_july, "month 07 (Июль): 07-huge.png: the image has 300 "
                                  "megapixels; at most 80 are accepted"),
    "invalid colour": (lambda e, f: e["colours"].update(weekend="#D7263"),
                       'colours.weekend: "#D7263" is not a colour'),
    "age not a number": (lambda e, f: e["months"][4]["caption"].update(age="девять"),
                         'month 05 (Май): caption.age: "девять" is not a number'),
    "missing caption": (lambda e, f: e["months"][2].pop("caption"),
                        "month 03 (Март): caption: missing"),
    "misspelled key": (lambda e, f: e.update(page_fromat="A3"),
                       'page_fromat: unknown key; did you mean "page_format"?'),
}


@pytest.mark.parametrize(("change", "message"), CASES.values(), ids=CASES.keys())
def test_the_cli_names_the_problem_and_its_page(example_dir: Path, change, message: str) -> None:
    assert message in run_build(example_dir, change)


def test_the_cli_lists_every_problem_at_once(example_dir: Path) -> None:
    def everything(example: dict, folder: Path) -> None:
        for case, _ in CASES.values():
            case(example, folder)

    output = run_build(example_dir, everything)
    # The spec's own problems come first; the drawings are looked at once the spec is sound.
    for _, message in list(CASES.values())[2:]:
        assert message in output


def test_a_truncated_drawing_fails_before_the_others_are_decoded(example_dir: Path) -> None:
    output = run_build(example_dir, truncate_may)
    assert "Building calendar" in output and "image 1 of" not in output
    with Image.open(example_dir / "drawings/05.jpg") as whole:
        assert whole.size == (1400, 990)


def test_a_drawing_that_fails_to_decode_stops_the_build_naming_its_page(
        small_spec: CalendarSpec, tmp_path: Path) -> None:
    """Its size and end are sound, so only decoding finds out that its Huffman table is
    bogus, while the pages before it are being painted: the build stops with its page's name
    and writes no file."""
    data = bytearray(small_spec.months[9].drawing.read_bytes())
    table = data.index(b"\xff\xc4") + 5  # a DHT segment's 16 code counts, after its class
    data[table:table + 16] = b"\xff" * 16
    broken = tmp_path / "broken.jpg"
    broken.write_bytes(data)
    months = list(small_spec.months)
    months[9] = dataclasses.replace(months[9], drawing=broken)
    spec = dataclasses.replace(small_spec, months=tuple(months))
    preflight(spec)
    with pytest.raises(SpecError, match=r"^month 10 \(\w+\): broken.jpg: the file cannot be read"):
        build_calendar(spec, tmp_path / "calendar.pdf")
    assert not (tmp_path / "calendar.pdf").exists()
