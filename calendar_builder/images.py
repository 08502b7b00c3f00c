"""Drawings prepared for print: upright sRGB JPEGs at the resolution their box needs.

A source JPEG that is already upright, sRGB (or untagged), and no sharper than
``MAX_DPI`` at its placed size is embedded byte for byte (ReportLab passes JPEG through);
anything else is decoded once, turned upright, converted to sRGB, reduced to
``TARGET_DPI`` when it is sharper than ``MAX_DPI``, and encoded at ``JPEG_QUALITY``.
Drawings are never enlarged: a source below ``MIN_DPI`` is kept and reported. For CMYK
print, a ``convert`` callable (``cmyk.DrawingConverter``) takes the upright sRGB drawing and
the pixel size and returns the image to encode, in place of the resize.
"""

import io
import math
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from PIL import Image, ImageCms, ImageOps

MIN_DPI = 300
TARGET_DPI = 300
MAX_DPI = 450
JPEG_QUALITY = 92
# Orientations 5 to 8 turn the stored image a quarter turn.
QUARTER_TURNS = {5, 6, 7, 8}
Convert = Callable[[Image.Image, tuple[int, int]], Image.Image]


@dataclass(frozen=True)
class PreparedImage:
    """JPEG bytes ready to embed, with what was done to make them."""

    data: bytes
    pixels: tuple[int, int]
    passthrough: bool  # the source file's own bytes, unchanged
    resampled: bool


def upright_size(path: Path) -> tuple[int, int]:
    """The image's size once turned by its EXIF orientation; reads only the header."""
    with Image.open(path) as image:
        width, height = image.size
        orientation = image.getexif().get(0x0112, 1)
    return (height, width) if orientation in QUARTER_TURNS else (width, height)


def target_pixels(pixels: tuple[int, int], placed_in: tuple[float, float]) -> tuple[int, int]:
    """The pixel size to embed for an image placed at ``placed_in`` inches.

    Kept when at most ``MAX_DPI``; otherwise reduced to ``TARGET_DPI``, keeping proportions.
    """
    dpi = pixels[0] / placed_in[0]
    if dpi <= MAX_DPI:
        return pixels
    # Rounded up, so that neither side falls below the target.
    scale = TARGET_DPI / dpi
    width, height = (min(side, math.ceil(side * scale)) for side in pixels)
    return width, height


def prepare_image(path: Path, placed_in: tuple[float, float],
                  convert: Convert | None = None) -> PreparedImage:
    """The JPEG to embed for the image at ``path`` placed at ``placed_in`` inches.

    With ``convert`` the drawing is always decoded, and ``convert(srgb, size)`` makes it.
    """
    with Image.open(path) as image:
        orientation = image.getexif().get(0x0112, 1)
        upright = image.size[::-1] if orientation in QUARTER_TURNS else image.size
        target = target_pixels(upright, placed_in)
        if (
            convert is None
            and image.format == "JPEG"
            and orientation == 1
            and image.mode in ("RGB", "L")
            and _is_srgb(image.info.get("icc_profile"))
            and target == upright
        ):
            return PreparedImage(path.read_bytes(), upright, passthrough=True, resampled=False)
        if image.format == "JPEG":
            # Let libjpeg decode at a reduced scale when that still leaves enough pixels.
            stored = target[::-1] if orientation in QUARTER_TURNS else target
            image.draft(image.mode, stored)
        # exif_transpose copies the image even when it is upright: only call it when needed.
        rgb = _srgb(ImageOps.exif_transpose(image) if orientation != 1 else image)
        if convert is not None:
            rgb = convert(rgb, target)
        elif rgb.size != target:
            rgb = rgb.resize(target, Image.Resampling.LANCZOS, reducing_gap=3.0)
        out = io.BytesIO()
        rgb.save(out, "JPEG", quality=JPEG_QUALITY, subsampling="4:4:4")
    return PreparedImage(out.getvalue(), target, passthrough=False, resampled=target != upright)


def _is_srgb(profile: bytes | None) -> bool:
    if not profile:
        return True  # untagged images are taken as sRGB, as browsers and printers do
    description = ImageCms.getProfileDescription(ImageCms.ImageCmsProfile(io.BytesIO(profile)))
    return "srgb" in description.lower()


def _srgb(image: Image.Image) -> Image.Image:
    """The image as 8-bit RGB in sRGB: profiles converted, transparency laid on white."""
    profile = image.info.get("icc_profile")
    if image.mode in ("RGBA", "LA", "PA") or (image.mode == "P" and "transparency" in image.info):
        rgba = image.convert("RGBA")
        white = Image.new("RGBA", rgba.size, "white")
        image = Image.alpha_composite(white, rgba)
    if profile and not _is_srgb(profile):
        source = ImageCms.ImageCmsProfile(io.BytesIO(profile))
        if image.mode not in ("RGB", "CMYK", "L"):
            image = image.convert("RGB")
        try:
            return ImageCms.profileToProfile(image, source, ImageCms.createProfile("sRGB"),
                                             outputMode="RGB")
        except ImageCms.PyCMSError:
            pass  # a profile that does not match the pixels: take them as sRGB, as browsers do
    return image if image.mode == "RGB" else image.convert("RGB")
