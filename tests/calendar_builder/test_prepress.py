"""PDF/X-4 and CMYK PDF/X-1a, checked as a print shop's preflight would: with readers other
than the one that wrote the identification (pypdf, ElementTree, LittleCMS), with poppler's
and qpdf's tools, and with the total ink measured on Ghostscript's separations."""

import dataclasses
import io
import json
import re
import shutil
import subprocess
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageMath
from pypdf import PdfReader
from pypdf.generic import ContentStream

from calendar_builder import BuildReport, build_calendar, render_previews
from calendar_builder.cmyk import (
    BAND_ROWS,
    COATED,
    SRGB,
    UNCOATED,
    DrawingConverter,
    PrepressError,
    ProcessColours,
    printer_condition,
)
from calendar_builder.images import JPEG_QUALITY, prepare_image
from calendar_builder.pdfx import PDFX1A, PDFX4, RGB, Output, output_for
from calendar_builder.spec import CalendarSpec, Colours

PDFX_ID = "{http://www.npes.org/pdfx/ns/id/}"
PDFX = "{http://ns.adobe.com/pdfx/1.3/}"
RDF = "{http://www.w3.org/1999/02/22-rdf-syntax-ns#}"


def tool(name: str) -> str:
    path = shutil.which(name)
    if path is None:
        pytest.skip(f"{name} is not installed (Debian: qpdf / poppler-utils / ghostscript)")
    return path


@pytest.fixture(scope="module")
def x4(small_spec: CalendarSpec, tmp_path_factory: pytest.TempPathFactory
       ) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("x4") / "calendar.pdf"
    spec = dataclasses.replace(small_spec, crop_marks=True)
    return out, build_calendar(spec, out, deterministic=True)


@pytest.fixture(scope="module")
def coated(small_spec: CalendarSpec, tmp_path_factory: pytest.TempPathFactory
           ) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("coated") / "calendar.pdf"
    tool("gs")
    spec = dataclasses.replace(small_spec, crop_marks=True)
    return out, build_calendar(spec, out, output=output_for("coated"))


@pytest.fixture(scope="module")
def uncoated(small_spec: CalendarSpec, tmp_path_factory: pytest.TempPathFactory
             ) -> tuple[Path, BuildReport]:
    out = tmp_path_factory.mktemp("uncoated") / "calendar.pdf"
    tool("gs")
    return out, build_calendar(small_spec, out, output=output_for("uncoated"))


@pytest.fixture(params=["x4", "coated", "uncoated"])
def pdfx(request: pytest.FixtureRequest) -> tuple[Path, BuildReport]:
    return request.getfixturevalue(request.param)


# The output intent and the identification ------------------------------------------------


def test_output_intent_and_its_profile(pdfx: tuple[Path, BuildReport]) -> None:
    out, report = pdfx
    condition = {PDFX4: SRGB, "coated": COATED, "uncoated": UNCOATED}[
        report.prepress.standard if report.prepress.standard == PDFX4
        else report.prepress.condition]
    reader = PdfReader(out)
    intents = [i.get_object() for i in reader.trailer["/Root"]["/OutputIntents"]]
    assert [str(i["/S"]) for i in intents] == ["/GTS_PDFX"]
    intent = intents[0]
    assert intent["/OutputConditionIdentifier"] == condition.identifier
    assert intent["/Info"] and intent["/RegistryName"] == "http://www.color.org"
    stream = intent["/DestOutputProfile"].get_object()
    data = stream.get_data()
    assert data == condition.profile.read_bytes()
    profile = ImageCms.ImageCmsProfile(io.BytesIO(data)).profile
    assert profile.device_class == "prtr"  # an output profile, as PDF/X asks
    assert profile.xcolor_space.strip() == condition.colour_space
    assert int(stream["/N"]) == len(condition.colour_space)
    # LittleCMS builds a transform with it: the profile is usable, not only parseable.
    mode = condition.colour_space
    ImageCms.buildTransform(ImageCms.createProfile("sRGB"), ImageCms.ImageCmsProfile(
        io.BytesIO(data)), "RGB", mode)


def test_x4_identification_and_xmp(x4: tuple[Path, BuildReport]) -> None:
    out, _ = x4
    assert out.read_bytes().startswith(b"%PDF-1.6")
    reader = PdfReader(out)
    info = reader.metadata
    assert info["/GTS_PDFXVersion"] == "PDF/X-4"
    assert info["/Trapped"] == "/False"
    assert info["/Title"].startswith("Крепкие кости")
    assert info["/Author"] == "Общество пациентов: профилактика остеопороза"  # not "anonymous"
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    root = ElementTree.fromstring(xmp)  # it parses
    values = _xmp_values(root)
    assert values[PDFX_ID + "GTS_PDFXVersion"] == "PDF/X-4"
    assert re.fullmatch(r"uuid:[0-9a-f-]{36}",
                        values["{http://ns.adobe.com/xap/1.0/mm/}DocumentID"])
    assert values["{http://ns.adobe.com/xap/1.0/mm/}VersionID"] == "1"
    assert values["{http://ns.adobe.com/xap/1.0/mm/}RenditionClass"] == "default"
    assert values["{http://ns.adobe.com/pdf/1.3/}Trapped"] == "False"
    assert values["{http://purl.org/dc/elements/1.1/}title"].startswith("Крепкие кости")
    assert "{http://ns.adobe.com/xap/1.0/}CreateDate" in values


def test_x1a_identification(coated: tuple[Path, BuildReport]) -> None:
    out, _ = coated
    assert out.read_bytes().startswith(b"%PDF-1.4")
    reader = PdfReader(out)
    assert reader.metadata["/GTS_PDFXVersion"] == "PDF/X-1:2003"
    assert reader.metadata["/GTS_PDFXConformance"] == "PDF/X-1a:2003"
    assert reader.metadata["/Trapped"] == "/False"
    values = _xmp_values(ElementTree.fromstring(
        reader.trailer["/Root"]["/Metadata"].get_object().get_data()))
    assert values[PDFX + "GTS_PDFXConformance"] == "PDF/X-1a:2003"
    assert "/ID" in reader.trailer


def _xmp_values(root: ElementTree.Element) -> dict[str, str]:
    """Every property of the XMP packet by its qualified name, as attribute or element."""
    values: dict[str, str] = {}
    for description in root.iter(RDF + "Description"):
        values.update({k: v for k, v in description.attrib.items() if not k.startswith(RDF)})
        for element in description:
            text = "".join(element.itertext()).strip()
            values[element.tag] = text
    return values


# What a validator checks on every page ----------------------------------------------------


def test_boxes_nest_on_every_page(pdfx: tuple[Path, BuildReport]) -> None:
    reader = PdfReader(pdfx[0])
    assert len(reader.pages) == 14
    for page in reader.pages:
        trim, bleed, media = ([float(v) for v in box]
                              for box in (page.trimbox, page.bleedbox, page.mediabox))
        assert "/TrimBox" in page and "/BleedBox" in page
        assert _inside(trim, bleed) and _inside(bleed, media)
        assert trim != bleed  # there is a bleed


def _inside(inner: list[float], outer: list[float]) -> bool:
    return (inner[0] >= outer[0] - 0.01 and inner[1] >= outer[1] - 0.01
            and inner[2] <= outer[2] + 0.01 and inner[3] <= outer[3] + 0.01)


def test_every_font_embedded_by_pdffonts(pdfx: tuple[Path, BuildReport]) -> None:
    lines = subprocess.run([tool("pdffonts"), str(pdfx[0])], check=True, capture_output=True,
                           text=True).stdout.splitlines()[2:]
    assert len(lines) >= 4
    for line in lines:
        assert line.split()[-5] == "yes", line


def test_qpdf_check_and_no_encryption(pdfx: tuple[Path, BuildReport]) -> None:
    check = subprocess.run([tool("qpdf"), "--check", str(pdfx[0])], capture_output=True,
                           text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout
    assert "File is not encrypted" in check.stdout


def test_no_rgb_left_in_the_cmyk_file(coated: tuple[Path, BuildReport]) -> None:
    out, _ = coated
    rows = [line.split() for line in subprocess.run(
        [tool("pdfimages"), "-list", str(out)], check=True, capture_output=True,
        text=True).stdout.splitlines()[2:]]
    assert len(rows) == 28  # cover, 12 months, 13 thumbnails and 2 logos on the back
    assert {row[5] for row in rows} == {"cmyk"}
    assert {row[8] for row in rows} == {"jpeg"}
    for number, page in enumerate(PdfReader(out).pages, start=1):
        operators = {op for _, op in _operations(page)}
        assert not operators & {b"rg", b"RG", b"sc", b"scn", b"SC", b"SCN"}, number
        assert b"k" in operators
        assert "/ColorSpace" not in page["/Resources"]
        for xobject in page["/Resources"]["/XObject"].values():
            assert xobject.get_object()["/ColorSpace"] == "/DeviceCMYK"


def test_x4_paints_in_rgb_only(x4: tuple[Path, BuildReport]) -> None:
    """An RGB output intent allows no DeviceCMYK: crop marks are drawn in RGB black."""
    for page in PdfReader(x4[0]).pages:
        operators = {op for _, op in _operations(page)}
        assert not operators & {b"k", b"K"}
        assert b"RG" in operators  # the crop marks


def test_text_in_black_alone_never_four_colour(coated: tuple[Path, BuildReport],
                                               small_spec: CalendarSpec) -> None:
    colours = small_spec.colours
    palette = ProcessColours(colours, COATED)
    allowed = {tuple(v / 100 for v in palette.cmyk(getattr(colours, name)))
               for name in ("ink", "accent", "weekend", "marked", "paper")}
    converted_ink = _through_profile(colours.ink, COATED.profile)
    seen: dict[tuple[float, ...], int] = {}
    for page in PdfReader(coated[0]).pages:
        for colour in _text_colours(page):
            seen[colour] = seen.get(colour, 0) + 1
    assert set(seen) <= allowed
    assert max(seen, key=seen.get) == (0, 0, 0, 1)  # most text is the ink, in 100 % K
    assert tuple(v / 100 for v in converted_ink) not in seen
    assert all(not (min(c[:3]) > 0 and c[3] > 0.5) for c in seen)


def test_grid_rules_are_a_tint_of_black(coated: tuple[Path, BuildReport],
                                        small_spec: CalendarSpec) -> None:
    strokes = set()
    for operands, op in _operations(PdfReader(coated[0]).pages[1]):
        if op == b"K":
            strokes.add(tuple(float(v) for v in operands))
    # The rows' light rules (the ink at 22 % on paper) are 22 % K, not a grey of four inks;
    # the crop marks, outside the bleed, are in all four (registration) as they must be.
    assert (0, 0, 0, 0.22) in strokes
    assert (1, 1, 1, 1) in strokes
    assert all(min(c[:3]) == 0 for c in strokes - {(1, 1, 1, 1)})
    assert ProcessColours(small_spec.colours, COATED).cmyk(
        blend(small_spec.colours.ink, small_spec.colours.paper, 0.22)) == (0, 0, 0, 22)


def blend(colour: str, paper: str, strength: float) -> str:
    """The layout's tint: ``colour`` at ``strength`` on ``paper``, as #RRGGBB."""
    return "#" + "".join(f"{round(p + (c - p) * strength):02X}" for c, p in zip(
        bytes.fromhex(colour[1:]), bytes.fromhex(paper[1:]), strict=True))


def _operations(page) -> list:
    return ContentStream(page.get_contents(), page.pdf).operations


def _text_colours(page) -> list[tuple[float, ...]]:
    """The fill colour (DeviceCMYK values) of every text-showing operator on the page."""
    fill: tuple[float, ...] = ()
    stack = []
    colours = []
    for operands, op in _operations(page):
        if op == b"q":
            stack.append(fill)
        elif op == b"Q":
            fill = stack.pop()
        elif op == b"k":
            fill = tuple(float(v) for v in operands)
        elif op in (b"g", b"rg", b"cs", b"sc", b"scn"):
            fill = ("not CMYK",)
        elif op in (b"Tj", b"TJ", b"'", b'"'):
            colours.append(fill)
    return colours


def _through_profile(colour: str, profile: Path) -> tuple[int, ...]:
    """What a plain conversion of the colour would give: the four-colour mix to avoid."""
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                        ImageCms.ImageCmsProfile(str(profile)), "RGB", "CMYK")
    pixel = ImageCms.applyTransform(Image.new("RGB", (1, 1), colour), transform)
    return tuple(round(v / 2.55) for v in pixel.getpixel((0, 0)))


# Total ink, from Ghostscript's separations -------------------------------------------------


def separations_max_ink(pdf: Path, folder: Path) -> list[float]:
    """Each page's highest C + M + Y + K, in percent, from Ghostscript's tiffsep device."""
    subprocess.run([tool("gs"), "-q", "-dSAFER", "-dBATCH", "-dNOPAUSE", "-sDEVICE=tiffsep",
                    "-r72", "-dUseBleedBox", f"-sOutputFile={folder}/p%02d.tif", str(pdf)],
                   check=True, capture_output=True)
    maxima = []
    for number in range(1, len(PdfReader(pdf).pages) + 1):
        inks = []
        for name in ("Cyan", "Magenta", "Yellow", "Black"):
            with Image.open(folder / f"p{number:02d}({name}).tif") as separation:
                inks.append(separation.convert("L"))  # 255 is no ink, 0 is solid
        total = ImageMath.lambda_eval(
            lambda a: 1020 - a["c"] - a["m"] - a["y"] - a["k"],
            c=inks[0], m=inks[1], y=inks[2], k=inks[3])
        maxima.append(total.getextrema()[1] / 2.55)
    return maxima


@pytest.mark.parametrize("paper, limit", [("coated", 300), ("uncoated", 260)])
def test_total_ink_under_the_papers_limit(paper: str, limit: float,
                                          request: pytest.FixtureRequest,
                                          tmp_path: Path) -> None:
    out, report = request.getfixturevalue(paper)
    maxima = separations_max_ink(out, tmp_path)
    assert max(maxima) <= limit + 1  # a rounding step of the 8-bit separations
    assert max(maxima) > limit * 0.7  # the drawings' dark colours do reach high
    assert [p.page for p in report.prepress.ink] == list(range(1, 15))
    for page, measured in zip(report.prepress.ink, maxima, strict=True):
        # The two Ghostscript devices resample the drawings at 72 ppi a little differently:
        # a page's darkest pixel may differ by a few points.
        assert page.max_percent == pytest.approx(measured, abs=5)
        assert page.limit == limit
    assert report.prepress.passed and report.passed


def test_preflight_fails_above_the_limit(small_spec: CalendarSpec, tmp_path: Path) -> None:
    tool("gs")
    out = tmp_path / "calendar.pdf"
    report = build_calendar(small_spec, out, output=output_for("coated", ink_limit=150))
    ink = next(c for c in report.prepress.checks if c.name == "total ink")
    assert not ink.passed and "limit 150 %" in ink.detail
    assert not report.passed and not report.to_dict()["passed"]
    assert any(p.area_above_mm2 > 1 for p in report.prepress.ink)
    assert "FAILED" in report.to_text()


# The preflight and the previews ----------------------------------------------------------


def test_preflight_says_the_standard_and_what_was_checked(pdfx: tuple[Path, BuildReport]
                                                          ) -> None:
    _, report = pdfx
    names = [c.name for c in report.prepress.checks]
    assert names[:5] == ["identification", "XMP metadata", "output intent", "page boxes",
                         "encryption"]
    if report.prepress.standard == PDFX1A:
        assert names[5:] == ["fonts embedded", "transparency", "no RGB", "black text",
                             "total ink"]
    else:
        assert names[5:] == ["fonts embedded", "transparency", "colour spaces"]
    assert all(c.passed for c in report.prepress.checks), report.to_text()
    text = report.to_text()
    assert f"Output: {report.prepress.standard} for " in text and "passed" in text
    data = json.loads(json.dumps(report.to_dict()))
    assert data["prepress"]["standard"] == report.prepress.standard
    assert data["passed"] is True


def test_rgb_output_claims_nothing(small_spec: CalendarSpec, tmp_path: Path) -> None:
    out = tmp_path / "calendar.pdf"
    report = build_calendar(small_spec, out, output=output_for("rgb"))
    reader = PdfReader(out)
    assert "/OutputIntents" not in reader.trailer["/Root"]
    assert "/GTS_PDFXVersion" not in reader.metadata
    assert report.prepress.standard == RGB and report.passed
    assert "no PDF/X" in report.to_text()


def test_soft_proofs_show_the_paper(coated: tuple[Path, BuildReport],
                                    uncoated: tuple[Path, BuildReport],
                                    tmp_path: Path) -> None:
    darkest = {}
    for name, (out, _) in (("coated", coated), ("uncoated", uncoated)):
        paths = render_previews(out, tmp_path / name, dpi=20)
        assert [p.name for p in paths] == [f"page-{n:02d}.png" for n in range(1, 15)]
        with Image.open(paths[1]) as image:
            assert image.mode == "RGB"
            assert image.size[0] == pytest.approx(210 / 25.4 * 20, abs=1)
            assert image.size[1] == pytest.approx(297 / 25.4 * 20, abs=1)
            paper = image.getpixel((2, 2))  # the binding margin: bare paper
            darkest[name] = image.convert("L").getextrema()[0]
        # The paper's own white is simulated, not the screen's pure white.
        assert paper != (255, 255, 255) and min(paper) > 215
    # Black ink on uncoated paper is greyer than on coated: the proof shows it.
    assert darkest["uncoated"] > darkest["coated"] > 0


# The pieces -------------------------------------------------------------------------------


def test_palette_ink_paper_tints_and_fixed_colours() -> None:
    colours = Colours()
    palette = ProcessColours(colours, COATED)
    assert palette.cmyk(colours.ink) == (0, 0, 0, 100)
    assert palette.cmyk(colours.paper) == (0, 0, 0, 0)
    assert palette.cmyk(blend(colours.ink, colours.paper, 0.5)) == (0, 0, 0, 50)
    c, m, y, k = palette.cmyk(colours.weekend)  # #D7263D, a red: magenta and yellow
    assert m > 80 and y > 50 and c < 20 and k < 20
    fixed = ProcessColours(colours, COATED, {"accent": (0, 75, 90, 0), "ink": (0, 0, 0, 90)})
    assert fixed.cmyk(colours.accent) == (0, 75, 90, 0)
    assert fixed.cmyk(colours.ink) == (0, 0, 0, 90)
    assert fixed.cmyk(blend(colours.ink, colours.paper, 0.22)) == (0, 0, 0, 19.8)


def test_drawings_converted_in_bands_as_a_whole(small_spec: CalendarSpec) -> None:
    """Converting a band at a time gives the pixels of the whole-image conversion exactly;
    resizing a band at a time, the whole-image resize's to within a rounding (1 of 255)."""
    with Image.open(small_spec.months[0].drawing) as drawing:
        rgb = drawing.convert("RGB")
    # Taller than several bands, and a last band shorter than the others.
    rgb = rgb.resize((rgb.width * 3, BAND_ROWS * 3 + 77 * 3 // 2), Image.Resampling.BICUBIC)
    size = (rgb.width * 2 // 3, rgb.height * 2 // 3)
    converter = DrawingConverter(COATED)
    transform = ImageCms.buildTransform(ImageCms.createProfile("sRGB"),
                                        ImageCms.ImageCmsProfile(str(COATED.profile)),
                                        "RGB", "CMYK", ImageCms.Intent.PERCEPTUAL)
    resized = converter.resize(rgb, size)
    assert resized.mode == "RGB" and resized.size == size
    # The same Lanczos weights, computed from a band's own offset: at most a rounding apart.
    whole_resize = rgb.resize(size, Image.Resampling.LANCZOS)
    extrema = ImageChops.difference(resized, whole_resize).getextrema()
    assert max(high for _, high in extrema) <= 1
    assert converter.resize(resized, size) is resized
    banded = converter(resized, size)
    whole = ImageCms.applyTransform(resized, transform)
    assert banded.mode == "CMYK" and banded.size == size
    assert banded.tobytes() == whole.tobytes()
    assert converter(rgb, size).tobytes() == whole.tobytes()  # resize and convert in one


def test_prepared_cmyk_drawing_is_the_converted_drawing(tmp_path: Path) -> None:
    """prepare_image with the converter embeds the whole-image conversion, encoded once."""
    source = tmp_path / "wide.png"
    Image.effect_noise((900, BAND_ROWS * 2 + 50), 60).convert("RGB").save(source)
    converter = DrawingConverter(COATED)
    # 600 dpi in its box: reduced to 300.
    prepared = prepare_image(source, (900 / 600, (BAND_ROWS * 2 + 50) / 600), converter)
    with Image.open(source) as drawing:
        expected = converter(drawing.convert("RGB"), prepared.pixels)
    encoded = io.BytesIO()
    expected.save(encoded, "JPEG", quality=JPEG_QUALITY, subsampling="4:4:4")
    assert prepared.pixels[0] == 450 and prepared.pixels[1] < BAND_ROWS * 2 + 50
    assert not prepared.passthrough and prepared.resampled
    assert prepared.data == encoded.getvalue()


def test_printer_profile_must_be_a_cmyk_output_profile(tmp_path: Path) -> None:
    condition = printer_condition(UNCOATED.profile, 280)
    assert condition.identifier == "Custom" and condition.ink_limit == 280
    assert "FOGRA29" in condition.info and "280 %" in condition.info
    output = output_for("uncoated", profile=UNCOATED.profile, ink_limit=280)
    assert output.condition.identifier == "Custom" and output.standard == PDFX1A
    with pytest.raises(PrepressError, match="CMYK output profile"):
        printer_condition(SRGB.profile, 300)
    screen = tmp_path / "srgb.icc"
    screen.write_bytes(ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes())
    with pytest.raises(PrepressError, match="mntr"):
        printer_condition(screen, 300)
    not_a_profile = tmp_path / "x.icc"
    not_a_profile.write_bytes(b"not a profile")
    with pytest.raises(PrepressError, match="not an ICC profile"):
        printer_condition(not_a_profile, 300)


def test_outputs_refuse_what_the_standards_do_not_allow() -> None:
    with pytest.raises(PrepressError, match="CMYK printing condition"):
        Output(PDFX1A, SRGB)
    with pytest.raises(PrepressError, match="RGB printing condition"):
        Output(PDFX4, COATED)
    with pytest.raises(PrepressError, match="unknown output"):
        output_for("newsprint")
    assert output_for("coated", ink_limit=280).condition.ink_limit == 280
    assert Output().standard == PDFX4
