"""Drawings prepared for print: upright, sRGB, between 300 and 450 dpi, JPEG kept when it can."""

import io
from pathlib import Path

import pytest
from PIL import Image, ImageCms

from calendar_builder.images import (
    MAX_DPI,
    TARGET_DPI,
    _is_srgb,
    prepare_image,
    target_pixels,
    upright_size,
)


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
