"""The built PDF, checked with independent readers (pypdf, qpdf, poppler) and PDFium."""

import dataclasses
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from pypdf import PdfReader

from calendar_builder import BuildReport, build_calendar, render_previews
from calendar_builder.demo import demo_spec
from calendar_builder.geometry import MM
from calendar_builder.spec import CalendarSpec


@pytest.fixture(scope="module")
def built(small_spec: CalendarSpec, tmp_path_factory: pytest.TempPathFactory
          ) -> tuple[Path, BuildReport, list[tuple[int, int, str]]]:
    out = tmp_path_factory.mktemp("pdf") / "calendar.pdf"
    calls: list[tuple[int, int, str]] = []
    report = build_calendar(small_spec, out, lambda *call: calls.append(call),
                            deterministic=True)
    return out, report, calls


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: qpdf / poppler-utils)")
    return path


def test_pages_and_boxes(built: tuple) -> None:
    out, report, _ = built
    reader = PdfReader(out)
    assert len(reader.pages) == 14 == len(report.pages)
    bleed = 3 * MM
    for page in reader.pages:
        trim = [float(v) for v in page.trimbox]
        assert trim == pytest.approx([bleed, bleed, bleed + 210 * MM, bleed + 297 * MM])
        assert [float(v) for v in page.bleedbox] == pytest.approx(
            [0, 0, 216 * MM, 303 * MM])
        assert [float(v) for v in page.mediabox] == pytest.approx([0, 0, 216 * MM, 303 * MM])


def test_fonts_are_embedded_truetype_and_no_helvetica(built: tuple) -> None:
    reader = PdfReader(built[0])
    names = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            names.add(str(font["/BaseFont"]))
            descriptor = font["/FontDescriptor"].get_object()
            assert "/FontFile2" in descriptor, font["/BaseFont"]
    assert not any("Helvetica" in name for name in names)
    assert {name.split("+")[1] for name in names} == {
        "PTSans-Regular", "PTSans-Bold", "PTSans-Italic", "Comfortaa-Bold"}


def test_pdffonts_says_embedded_and_subset(built: tuple) -> None:
    lines = subprocess.run([tool("pdffonts"), str(built[0])], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert lines
    for line in lines:
        emb, sub = line.split()[-5:-3]
        assert (emb, sub) == ("yes", "yes"), line


def test_cyrillic_text_is_extractable(built: tuple, small_spec: CalendarSpec) -> None:
    reader = PdfReader(built[0])
    january = reader.pages[1].extract_text()
    assert "Январь" in january
    assert "Знаете ли вы?" in january
    assert "Новогодние каникулы" in january
    assert "Маша, 9 лет" in january
    assert "Крепкие кости" in reader.pages[0].extract_text()
    assert "Победители конкурса" in reader.pages[13].extract_text()


def test_image_resolution_matches_report(built: tuple) -> None:
    out, report, _ = built
    reader = PdfReader(out)
    for page, check in zip(reader.pages, report.pages, strict=True):
        xobjects = page["/Resources"]["/XObject"]
        sizes = sorted((int(x.get_object()["/Width"]), int(x.get_object()["/Height"]))
                       for x in xobjects.values())
        assert sizes == sorted(tuple(i.embedded_pixels) for i in check.images)
        for x in xobjects.values():
            assert list(x.get_object()["/Filter"]) == ["/DCTDecode"]


def test_pdfimages_effective_ppi(built: tuple) -> None:
    out, report, _ = built
    listing = subprocess.run([tool("pdfimages"), "-list", str(out)], check=True,
                             capture_output=True, text=True).stdout.splitlines()[2:]
    rows = [line.split() for line in listing]
    assert len(rows) == sum(len(c.images) for c in report.pages)
    for page_number, check in [(c.number, c) for c in report.pages]:
        found = [r for r in rows if int(r[0]) == page_number]
        assert len(found) == len(check.images)
        for row in found:
            width, height, encoding = int(row[3]), int(row[4]), row[8]
            x_ppi = int(row[12])
            image = next(i for i in check.images if i.embedded_pixels == (width, height))
            assert encoding == "jpeg"
            # pdfimages measures the whole image; a cropped drawing shows a little less.
            assert x_ppi == pytest.approx(image.effective_dpi[0], abs=1.5)


def test_small_drawings_warn_and_jpegs_pass_through(built: tuple,
                                                    small_spec: CalendarSpec) -> None:
    out, report, _ = built
    # 1250-pixel drawings: soft on the cover and months, enough for the thumbnails.
    assert [len(page.warnings) for page in report.pages] == [1] * 13 + [0]
    assert "prints at" in report.pages[1].warnings[0]
    assert "below 250" in report.pages[1].warnings[0]
    january = report.pages[1].images[0]
    assert january.passthrough and 150 <= january.effective_dpi[0] < 250
    stream = next(iter(PdfReader(out).pages[1]["/Resources"]["/XObject"].values()))
    assert stream.get_object()._data == small_spec.months[0].drawing.read_bytes()
    data = json.loads(json.dumps(report.to_dict()))
    assert data["pages"][1]["images"][0]["passthrough"] is True
    assert "month 01 (Январь)" in report.to_text()


def test_qpdf_check_passes(built: tuple) -> None:
    result = subprocess.run([tool("qpdf"), "--check", str(built[0])], capture_output=True,
                            text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "No syntax or stream encoding errors" in result.stdout


def test_progress_reaches_the_total(built: tuple) -> None:
    calls = built[2]
    totals = {total for _, total, _ in calls}
    assert len(totals) == 1
    assert [done for done, _, _ in calls] == list(range(1, totals.pop() + 1))
    assert calls[-1][2] == "page 14 of 14"


def test_deterministic_output_is_byte_identical(built: tuple, small_spec: CalendarSpec,
                                                tmp_path: Path) -> None:
    again = tmp_path / "again.pdf"
    build_calendar(small_spec, again, deterministic=True)
    assert again.read_bytes() == built[0].read_bytes()


def test_crop_marks_and_english_edition(tmp_path: Path) -> None:
    # A3 needs larger drawings than the small calendar's to reach 150 ppi.
    a3 = demo_spec(tmp_path / "drawings", year=2027, drawing_long_edge=1800)
    spec = dataclasses.replace(a3, language="en", crop_marks=True, bleed_mm=2,
                               page_format="A3", orientation="landscape")
    out = tmp_path / "en.pdf"
    build_calendar(spec, out)
    reader = PdfReader(out)
    page = reader.pages[1]
    room = (2 + 10) * MM
    assert [float(v) for v in page.trimbox] == pytest.approx(
        [room, room, room + 420 * MM, room + 297 * MM])
    assert [float(v) for v in page.mediabox] == pytest.approx(
        [0, 0, 420 * MM + 2 * room, 297 * MM + 2 * room])
    assert "January" in page.extract_text()
    assert "Did you know?" in page.extract_text()


def test_previews_are_trimmed_pngs(built: tuple, tmp_path: Path) -> None:
    paths = render_previews(built[0], tmp_path / "previews", dpi=20)
    assert [p.name for p in paths] == [f"page-{n:02d}.png" for n in range(1, 15)]
    from PIL import Image

    with Image.open(paths[1]) as image:
        assert image.size[0] == pytest.approx(210 / 25.4 * 20, abs=1)
        assert image.size[1] == pytest.approx(297 / 25.4 * 20, abs=1)
        assert image.format == "PNG"


def test_preflight_gives_each_page_its_layout_numbers(built: tuple) -> None:
    _, report, _ = built
    grids = set()
    for page in report.pages[1:13]:
        # Every month's day numbers at the design's 24 pt: none is named as shrunk.
        assert not [t for t in page.shrunk_texts if t.what.startswith("day")]
        assert page.day_number_size == 24.0
        assert page.drawing_share >= 0.35 and page.largest_blank_mm <= 15.05
        assert page.smallest_text[1] >= 7.0  # the small grids of the months around
        grids.add(page.grid_mm)
    assert len(grids) == 1  # portrait pages: one grid, where it was on every month
    assert report.pages[0].drawing_share > 0.35 and report.pages[0].grid_mm is None
    assert "day numbers 24.0 pt" in report.to_text()
    assert "of the page, largest blank band" in report.to_text()
