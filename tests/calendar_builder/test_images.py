"""Drawings checked and prepared for print: upright, sRGB with their tones, at most 450 dpi,
JPEG kept when it can; a file that cannot be used is refused in words."""

import io
import os
import struct
import zlib
from pathlib import Path

import pytest
from PIL import Image, ImageCms, ImageDraw, ImageStat

from calendar_builder.images import (
    MAX_DPI,
    TARGET_DPI,
    DrawingError,
    PreparedImage,
    _is_srgb,
    inspect_drawing,
    prepare_image,
    quiet_pillow,
    target_pixels,
    upright_size,
)
from calendar_builder.samples import make_drawing

from . import icc


def save(image: Image.Image, path: Path, **options: object) -> Path:
    image.save(path, **options)
    return path


def gradient(size: tuple[int, int]) -> Image.Image:
    return Image.merge("RGB", [Image.linear_gradient("L").resize(size),
                               Image.radial_gradient("L").resize(size),
                               Image.new("L", size, 90)])


def test_jpeg_within_bounds_is_embedded_unchanged(tmp_path: Path) -> None:
    path = save(gradient((1200, 900)), tmp_path / "a.jpg", quality=90)
    prepared = prepare_image(path, (1200 / 400, 900 / 400))  # 400 dpi in its box
    assert prepared.passthrough
    assert prepared.data == path.read_bytes()
    assert prepared.pixels == (1200, 900)


def test_too_sharp_is_reduced_to_target_dpi(tmp_path: Path) -> None:
    path = save(gradient((2000, 1000)), tmp_path / "a.jpg", quality=90)
    placed = (2.0, 1.0)  # 1000 dpi
    prepared = prepare_image(path, placed)
    assert not prepared.passthrough and prepared.resampled
    assert prepared.pixels == (2 * TARGET_DPI, 1 * TARGET_DPI)
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.format == "JPEG" and image.mode == "RGB"
        assert image.size == prepared.pixels


def test_target_pixels_never_enlarge() -> None:
    assert target_pixels((600, 400), (4.0, 2.667)) == (600, 400)  # 150 dpi: kept, reported
    assert target_pixels((1800, 1200), (4.0, 2.667)) == (1800, 1200)  # exactly 450
    assert target_pixels((1804, 1200), (4.0, 2.667)) == (1200, 799)
    assert MAX_DPI == 450


def test_exif_orientation_is_applied(tmp_path: Path) -> None:
    exif = Image.Exif()
    exif[0x0112] = 6  # stored sideways: shown turned a quarter clockwise
    stored = Image.new("RGB", (300, 200), "white")
    stored.paste((255, 0, 0), (0, 0, 150, 200))  # left half red
    path = save(stored, tmp_path / "phone.jpg", exif=exif, quality=95)
    assert upright_size(path) == (200, 300)
    prepared = prepare_image(path, (200 / 300, 300 / 300))
    assert not prepared.passthrough
    with Image.open(io.BytesIO(prepared.data)) as image:
        assert image.size == (200, 300)
        top = image.getpixel((100, 20))
        assert top[0] > 200 and top[1] < 60  # the red half is now on top


def test_transparent_png_is_laid_on_white(tmp_path: Path) -> None:
    image = Image.new("RGBA", (200, 100), (0, 0, 0, 0))
    image.paste((0, 0, 255, 255), (0, 0, 100, 100))
    path = save(image, tmp_path / "a.png")
    prepared = prepare_image(path, (1.0, 0.5))
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.mode == "RGB"
        assert out.getpixel((150, 50)) == pytest.approx((255, 255, 255), abs=3)
        assert out.getpixel((50, 50))[2] > 240


def test_colour_profiles(tmp_path: Path) -> None:
    srgb = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
    assert _is_srgb(srgb) and _is_srgb(None)
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    assert not _is_srgb(lab)
    path = save(gradient((300, 200)), tmp_path / "tagged.jpg", icc_profile=srgb)
    assert prepare_image(path, (1.0, 0.667)).passthrough


def test_foreign_profile_is_converted_to_srgb(tmp_path: Path) -> None:
    lab = ImageCms.ImageCmsProfile(ImageCms.createProfile("LAB")).tobytes()
    grey = Image.new("L", (200, 100), 128)  # a profile that does not match the pixels
    path = save(grey, tmp_path / "grey.jpg", icc_profile=lab)
    prepared = prepare_image(path, (1.0, 0.5))
    assert not prepared.passthrough
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert out.mode == "RGB" and out.getpixel((10, 10)) == pytest.approx((128,) * 3, abs=3)


# --- every kind of pixels Pillow opens prints with its tones --------------------------------

CMYK_PROFILE = Path("/usr/share/color/icc/ghostscript/default_cmyk.icc")  # Debian: ghostscript


def stats(image: Image.Image) -> list[float]:
    """Mean and spread of each channel: what a reference rendering is compared by."""
    found = ImageStat.Stat(image)
    return [*found.mean, *found.stddev]


def prepared_stats(path: Path, size: tuple[int, int]) -> list[float]:
    prepared = prepare_image(path, (size[0] / 300, size[1] / 300))
    assert prepared.pixels == size
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert (out.format, out.mode) == ("JPEG", "RGB")
        return stats(out)


def reference() -> Image.Image:
    """A colourful drawing with pure black and pure white in it."""
    image = make_drawing(7, (360, 240))
    image.paste((0, 0, 0), (0, 0, 20, 20))
    image.paste((255, 255, 255), (20, 0, 40, 20))
    return image


def grey_reference() -> Image.Image:
    return reference().convert("L")


def on_white(image: Image.Image, transparent: Image.Image) -> Image.Image:
    """``image`` with white wherever ``transparent`` is 255: the paper shows through."""
    result = image.convert("RGB")
    result.paste((255, 255, 255), mask=transparent)
    return result


def holes() -> Image.Image:
    """A mask of the transparent parts: a band and a disc."""
    mask = Image.new("L", (360, 240), 0)
    ImageDraw.Draw(mask).rectangle((0, 150, 359, 190), fill=255)
    ImageDraw.Draw(mask).ellipse((240, 20, 330, 110), fill=255)
    return mask


def sixteen_bit(grey: Image.Image) -> Image.Image:
    wide = Image.new("I;16", grey.size)
    wide.putdata([value * 257 for value in grey.get_flattened_data()])
    return wide


def kind_16_bit_png(tmp: Path) -> tuple[Path, Image.Image]:
    grey = grey_reference()
    return save(sixteen_bit(grey), tmp / "grey16.png"), grey


def kind_16_bit_tiff(tmp: Path) -> tuple[Path, Image.Image]:
    grey = grey_reference()
    return save(sixteen_bit(grey), tmp / "grey16.tif"), grey


def kind_32_bit_integer(tmp: Path) -> tuple[Path, Image.Image]:
    grey = grey_reference()
    return save(sixteen_bit(grey).convert("I"), tmp / "grey32.tif"), grey


def kind_float(tmp: Path) -> tuple[Path, Image.Image]:
    grey = grey_reference()
    return save(grey.convert("F").point(lambda v: v / 255), tmp / "float.tif"), grey


def kind_grey_with_alpha(tmp: Path) -> tuple[Path, Image.Image]:
    grey = grey_reference()
    la = grey.convert("LA")
    la.putalpha(holes().point(lambda v: 255 - v))
    return save(la, tmp / "la.png"), on_white(grey, holes())


def kind_palette_with_transparency(tmp: Path) -> tuple[Path, Image.Image]:
    palette = reference().quantize(32)
    palette.paste(31, mask=holes())  # index 31 is the transparent one
    path = save(palette, tmp / "palette.png", transparency=31)
    transparent = palette.point(lambda index: 255 if index == 31 else 0, "L")
    return path, on_white(palette.convert("RGB"), transparent)


def kind_cmyk_without_profile(tmp: Path) -> tuple[Path, Image.Image]:
    image = reference()
    return save(image.convert("CMYK"), tmp / "cmyk.jpg", quality=95), image


def kind_cmyk_with_profile(tmp: Path) -> tuple[Path, Image.Image]:
    if not CMYK_PROFILE.exists():
        pytest.skip(f"{CMYK_PROFILE} is not installed (Debian: ghostscript)")
    image = reference()
    cmyk = ImageCms.profileToProfile(image, ImageCms.createProfile("sRGB"), str(CMYK_PROFILE),
                                     outputMode="CMYK")
    return save(cmyk, tmp / "cmyk-profile.jpg", quality=95,
                icc_profile=CMYK_PROFILE.read_bytes()), image


def tagged(tmp: Path, name: str, profile: bytes) -> tuple[Path, Image.Image]:
    image = reference()
    converted = ImageCms.profileToProfile(image, ImageCms.createProfile("sRGB"),
                                          ImageCms.ImageCmsProfile(io.BytesIO(profile)),
                                          outputMode="RGB")
    return save(converted, tmp / name, icc_profile=profile), image


def kind_adobe_rgb(tmp: Path) -> tuple[Path, Image.Image]:
    return tagged(tmp, "adobe.png", icc.adobe_rgb())


def kind_display_p3(tmp: Path) -> tuple[Path, Image.Image]:
    return tagged(tmp, "p3.png", icc.display_p3())


KINDS = {name[len("kind_"):]: maker for name, maker in globals().items()
         if name.startswith("kind_")}


@pytest.mark.parametrize("kind", KINDS.values(), ids=KINDS.keys())
def test_every_kind_of_pixels_prints_its_tones(kind, tmp_path: Path) -> None:
    """Mean and spread of each channel match the reference rendering within 2.5 levels."""
    path, expected = kind(tmp_path)
    got = prepared_stats(path, expected.size)
    want = stats(expected.convert("RGB"))
    tolerance = 4.0 if "cmyk-profile" in path.name else 2.5  # the press's gamut is smaller
    assert got == pytest.approx(want, abs=tolerance), (got, want)


@pytest.mark.parametrize("kind", [kind_16_bit_png, kind_float, kind_cmyk_with_profile,
                                  kind_adobe_rgb, kind_display_p3])
def test_the_reference_would_catch_a_naive_conversion(kind, tmp_path: Path) -> None:
    """Pillow's own convert("RGB") of the same file is far from the reference: the test above
    would fail if preparation did no more."""
    path, expected = kind(tmp_path)
    with Image.open(path) as image:
        naive = stats(image.convert("RGB"))
    want = stats(expected.convert("RGB"))
    assert max(abs(a - b) for a, b in zip(naive, want, strict=True)) > 4


def test_a_grey_that_uses_a_sliver_of_its_range_is_stretched_and_noted(tmp_path: Path) -> None:
    grey = grey_reference()
    raw = Image.new("I;16", grey.size)
    raw.putdata([300 + value for value in grey.get_flattened_data()])  # 300..555 of 65535
    prepared = prepare_image(save(raw, tmp_path / "raw.tif"), (1.2, 0.8))
    assert prepared.notes and "stretched" in prepared.notes[0]
    with Image.open(io.BytesIO(prepared.data)) as out:
        assert stats(out) == pytest.approx(stats(grey.convert("RGB")), abs=2.5)


def test_a_sixteen_bit_tiff_matches_its_reference_rendering() -> None:
    """Pillow's test suite ships a 16-bit RGB TIFF with its 8-bit rendering."""
    source, target = WILD / "tiff_16bit_RGB.tiff", WILD / "tiff_16bit_RGB_target.png"
    if not source.exists():
        pytest.skip(f"{WILD} not found")
    with Image.open(target) as image:
        want = stats(image.convert("RGB"))
        size = image.size
    assert prepared_stats(source, size) == pytest.approx(want, abs=1.5)


# --- a bad file fails before any pixel work, with a clear message --------------------------


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a size in its header and carries almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        return (struct.pack(">I", len(body)) + kind + body
                + struct.pack(">I", zlib.crc32(kind + body)))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


def test_truncated_jpeg_is_refused_from_its_structure(tmp_path: Path) -> None:
    path = save(gradient((1200, 900)), tmp_path / "whole.jpg", quality=90)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(path.read_bytes()[: path.stat().st_size * 2 // 3])
    assert inspect_drawing(path).pixels == (1200, 900)
    with pytest.raises(DrawingError, match=r"^cut.jpg: the JPEG file is truncated"):
        inspect_drawing(cut)


def test_a_drawing_changed_in_place_is_inspected_again(tmp_path: Path) -> None:
    """The inspection is remembered per file, but never for a file that changed since."""
    path = save(gradient((1200, 900)), tmp_path / "drawing.jpg", quality=90)
    assert inspect_drawing(path).pixels == (1200, 900)
    whole = path.read_bytes()
    path.write_bytes(whole[: len(whole) * 2 // 3])
    with pytest.raises(DrawingError, match=r"the JPEG file is truncated"):
        inspect_drawing(path)
    save(gradient((800, 1000)), path, quality=90)
    assert inspect_drawing(path).pixels == (800, 1000)


def test_300_megapixels_are_refused_from_the_header(tmp_path: Path) -> None:
    path = tmp_path / "huge.png"
    path.write_bytes(png_header_only(20_000, 15_000))
    with quiet_pillow(), pytest.raises(DrawingError, match=(
            r"^huge.png: the image has 300 megapixels; at most 80 are accepted")):
        inspect_drawing(path)


@pytest.mark.parametrize(("content", "message"), [
    (b"", "not an image the calendar can print"),
    (b"%PDF-1.4 not a drawing", "not an image the calendar can print"),
    (None, "file not found"),
])
def test_what_is_not_a_drawing_is_named(content: bytes | None, message: str,
                                        tmp_path: Path) -> None:
    path = tmp_path / "drawing.jpg"
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(DrawingError, match=f"^drawing.jpg: {message}"):
        inspect_drawing(path)


# --- every file of the shared wild images: prepared, or refused in words --------------------

WILD = Path(os.environ.get("WILD_IMAGES")
            or Path(__file__).resolve().parents[3] / "shared" / "wild-images")
WILD_FILES = sorted(p for p in WILD.iterdir() if p.is_file()) if WILD.is_dir() else []
HIGH_BIT = ("I", "I;16", "I;16B", "I;16L", "F")


def prepare_wild(path: Path) -> PreparedImage | DrawingError:
    """What the builder does with one file: inspect it, then prepare it for a 4 × 3 in box."""
    with quiet_pillow():
        try:
            inspect_drawing(path)
            return prepare_image(path, (4.0, 3.0))
        except DrawingError as error:
            return error


@pytest.mark.skipif(not WILD_FILES, reason=f"{WILD} not found: put shared/wild-images beside "
                                           "the checkout or set WILD_IMAGES")
@pytest.mark.parametrize("path", WILD_FILES, ids=[p.name for p in WILD_FILES])
def test_wild_image_is_prepared_or_refused_in_words(path: Path) -> None:
    outcome = prepare_wild(path)
    if isinstance(outcome, DrawingError):
        message = str(outcome)
        assert message.startswith(f"{path.name}: ") and len(message) > len(path.name) + 20
        assert "Traceback" not in message
        return
    with quiet_pillow(), Image.open(io.BytesIO(outcome.data)) as out:  # a passed-through file
        out.load()
        # A grey JPEG is embedded as it is; everything else is made an RGB one.
        assert (out.format, out.mode) in {("JPEG", "RGB")} | (
            {("JPEG", "L")} if outcome.passthrough else set())
        assert out.size == outcome.pixels
    with quiet_pillow(), Image.open(path) as source:
        if source.mode in HIGH_BIT:
            # A high-bit-depth grey with more than one value never comes out flat.
            values = source.convert("F") if source.mode == "F" else source.convert("I")
            low, high = values.getextrema()
            with Image.open(io.BytesIO(outcome.data)) as out:
                assert (ImageStat.Stat(out.convert("L")).stddev[0] > 1) == (high > low)


@pytest.mark.skipif(not WILD_FILES, reason=f"{WILD} not found")
def test_wild_images_outcomes() -> None:
    outcomes = {path.name: prepare_wild(path) for path in WILD_FILES
                if path.name in ("truncated_jpeg.jpg", "decompression_bomb.gif", "README.md",
                                 "16bit.cropped.tif", "hopper.Lab.tif", "pil_sample_cmyk.jpg",
                                 "frame_size.mpo", "i_trns.png", "rdf.tif")}
    assert "truncated" in str(outcomes["truncated_jpeg.jpg"])
    assert "4,365 megapixels; at most 80" in str(outcomes["decompression_bomb.gif"])
    assert "not an image" in str(outcomes["README.md"])
    for usable in ("16bit.cropped.tif", "hopper.Lab.tif", "pil_sample_cmyk.jpg",
                   "frame_size.mpo", "i_trns.png", "rdf.tif"):
        assert isinstance(outcomes[usable], PreparedImage), usable


def test_resizing_in_bands_gives_the_pixels_of_one_resize() -> None:
    from PIL import ImageChops

    from calendar_builder.images import BAND_ROWS, resize_in_bands
    from calendar_builder.samples import make_drawing

    drawing = make_drawing(5, (2400, 1700))
    for size in ((1300, 921), (2400, 1700), (700, 496)):
        whole = drawing.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
        banded = resize_in_bands(drawing, size)
        assert banded.size == size and size[1] > BAND_ROWS
        difference = ImageChops.difference(whole, banded).getextrema()
        assert max(high for _, high in difference) <= 1  # floating-point rounding at most, never a seam
    assert resize_in_bands(drawing, drawing.size) is drawing
