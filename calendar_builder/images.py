# Over 400 lines: one drawing from its header check to the embedded JPEG, every kind of pixels.
"""Drawings checked, then prepared for print: upright sRGB JPEGs at the resolution their box needs.

``inspect_drawing`` reads only what a file says about itself (format, size, mode, whether it
is complete) so that a bad file is refused before any pixel work. ``prepare_image`` then
makes what is embedded: a source JPEG that is already upright, sRGB (or untagged), and no
sharper than ``MAX_DPI`` at its placed size is embedded byte for byte (ReportLab passes
JPEG through); anything else is decoded once, turned upright, brought to 8-bit sRGB
(high-bit-depth greys scaled, transparency laid on white paper, ICC profiles converted),
reduced to ``TARGET_DPI`` when it is sharper than ``MAX_DPI``, and encoded at
``JPEG_QUALITY``. Drawings are never enlarged: below ``MIN_DPI`` at its placed size a
drawing is refused, below ``GOOD_DPI`` it is printed and warned about. An RGB or grey JPEG
that needs no colour conversion is decoded by libjpeg-turbo (simplejpeg) at the smallest
scale in eighths that still leaves its print size, then resized as any other
(``_scaled_jpeg``).

For CMYK print, a ``convert`` object (``cmyk.DrawingConverter``) resizes the upright sRGB
drawing to the pixel size and makes the image to encode from it. A 24-megapixel drawing
decodes whole to 96 MB, at 5/8 to 37 MB: the large drawings held decoded at once in all
threads stay within ``DECODED_PIXELS`` (one such drawing, whole or reduced, or two smaller),
each is resized in bands on every core, freed before the conversion and encoding, and the
memory freed is handed back to the system, so that a build of large drawings stays small
(an A3 calendar of 13 drawings of 24 megapixels: under 290 MB at its peak, was 407-423 MB;
``bench/calendar.py``). Small drawings (``LARGE_DECODE_PIXELS``) are made beside them.

Every way a file can fail ends in ``DrawingError``, a ``SpecError`` whose message says what
is wrong with the file, never in a decoder's exception.
"""

import ctypes
import ctypes.util
import functools
import io
import math
import os
import re
import struct
import threading
import warnings
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

import pillow_heif
import simplejpeg
from PIL import Image, ImageCms, ImageMath, ImageOps, UnidentifiedImageError

from .spec import SpecError

# Phones send HEIC; Pillow reads it once pillow-heif has registered its opener.
pillow_heif.register_heif_opener()

MIN_DPI = 150  # below this at its placed size a drawing is refused: it would print blurred
GOOD_DPI = 250  # below this it prints visibly soft: the preflight warns
TARGET_DPI = 300
MAX_DPI = 450
JPEG_QUALITY = 92
# A3 with bleed at 600 ppi is 72 megapixels; more is a mistake or a decompression bomb, and
# stays under Pillow's own bomb threshold (89 megapixels), which would only warn.
MAX_PIXELS = 80_000_000
FORMATS = ("JPEG", "PNG", "TIFF", "WEBP", "HEIF", "AVIF", "BMP", "GIF")
FORMAT_NAMES = "JPEG, PNG, TIFF, WebP, HEIC, AVIF, BMP or GIF"
# Every mode Pillow decodes a drawing into that prepare_image brings to sRGB.
MODES = {"1", "L", "LA", "La", "P", "PA", "RGB", "RGBA", "RGBa", "RGBX", "CMYK", "YCbCr", "LAB",
         "HSV", "I", "I;16", "I;16L", "I;16B", "I;16N", "F"}
# Orientations 5 to 8 turn the stored image a quarter turn.
QUARTER_TURNS = {5, 6, 7, 8}
# What turns a stored image upright for each EXIF orientation, as ImageOps.exif_transpose.
UPRIGHT = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
           4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
           6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
           8: Image.Transpose.ROTATE_90}


class Convert(Protocol):
    """What turns an upright sRGB drawing into the image to embed (``cmyk.DrawingConverter``).

    ``resize(rgb, size)`` returns the drawing at the pixel size to embed, still sRGB (or
    ``rgb`` itself when it has that size); ``convert(resized, size)`` makes the image to
    encode from it.
    """

    def resize(self, rgb: Image.Image, size: tuple[int, int]) -> Image.Image: ...

    def __call__(self, rgb: Image.Image, size: tuple[int, int]) -> Image.Image: ...


# A drawing decoded to fewer pixels than this (a thumbnail decoded at an eighth of its size, a
# logo: 4 MB or less) does not wait for the large decoded drawings: it is made meanwhile, on
# the core that their decoding leaves idle.
LARGE_DECODE_PIXELS = 1_000_000
# Large drawings decoded at once in all threads hold at most this many pixels (48 MB): one
# 24-megapixel drawing decoded at a reduced scale by libjpeg-turbo (9.4 million at 5/8), or
# two smaller ones. A drawing larger than that (one decoded whole) is decoded when no other
# is held. Two 24-megapixel drawings at once measured no faster and 60 MB larger at the peak.
DECODED_PIXELS = 12_000_000
REDUCING_GAP = 3.0  # Pillow's reducing_gap: a larger reduction first reduces by whole factors
BAND_ROWS = 256  # output rows resized at a time
BAND_WORKERS = min(2, os.cpu_count() or 1)  # threads resizing the bands of one drawing
# A high-bit-depth grey that uses less than this share of its range is a raw capture or a
# measurement, not a picture: it is stretched to its own darkest and lightest values.
MIN_RANGE_USED = 1 / 16

# Pillow's decoders meet damaged files with any of these.
DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError,
                 ZeroDivisionError, struct.error, MemoryError, ImageCms.PyCMSError,
                 Image.DecompressionBombError, Image.DecompressionBombWarning)

# simplejpeg meets a damaged or unusual JPEG (arithmetic coding, 12 bits) with these.
LIBJPEG_TURBO_ERRORS = (ValueError, RuntimeError, MemoryError)

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_ICC_SPACE_OF_MODE = {"RGB": "RGB ", "L": "GRAY", "CMYK": "CMYK"}


class DrawingError(SpecError):
    """A drawing the calendar cannot use; the message names the file and what is wrong."""


@dataclass(frozen=True)
class DrawingInfo:
    """What a drawing's file says about itself, read without decoding its pixels."""

    path: Path
    format: str
    mode: str
    pixels: tuple[int, int]  # upright
    orientation: int


@dataclass(frozen=True)
class PreparedImage:
    """JPEG bytes ready to embed, with what was done to make them."""

    data: bytes
    pixels: tuple[int, int]
    passthrough: bool  # the source file's own bytes, unchanged
    resampled: bool
    notes: tuple[str, ...] = ()  # what the preparation did that changes tones, for the report


@contextmanager
def quiet_pillow() -> Iterator[None]:
    """Pillow's notes about small defects it works around are not errors; a bomb is.

    Warning filters are process-wide: enter this once in the main thread around the work of
    every thread, never inside a worker thread.
    """
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        yield


def _malloc_trim() -> Callable[[int], int] | None:
    """glibc's ``malloc_trim``, or None where the C library has none (musl, macOS)."""
    try:
        return ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6").malloc_trim
    except (OSError, AttributeError):
        return None


_MALLOC_TRIM = _malloc_trim()


def release_freed_memory() -> None:
    """Hand the memory freed by the last drawing back to the system, where glibc allows.

    The band buffers of a CMYK conversion are a few megabytes each, made and freed in the
    build's worker threads: glibc keeps them in per-thread heaps that it only shrinks from
    the top, so without this a CMYK build kept 150-250 MB it no longer used, and the PDF
    was then written on top of it (measured with ``bench/calendar.py``).
    """
    if _MALLOC_TRIM is not None:
        _MALLOC_TRIM(0)


class _DecodedPixels:
    """The large drawings' pixels held decoded at once, kept within ``DECODED_PIXELS``."""

    def __init__(self, limit: int) -> None:
        self._limit = limit
        self._held = 0
        self._changed = threading.Condition()

    @contextmanager
    def holding(self, pixels: int) -> Iterator[None]:
        """Wait until ``pixels`` more fit (or none are held), and hold them meanwhile."""
        if pixels < LARGE_DECODE_PIXELS:
            yield
            return
        with self._changed:
            self._changed.wait_for(lambda: self._held == 0
                                   or self._held + pixels <= self._limit)
            self._held += pixels
        try:
            yield
        finally:
            with self._changed:
                self._held -= pixels
                self._changed.notify_all()


_DECODED = _DecodedPixels(DECODED_PIXELS)


def inspect_drawing(path: Path) -> DrawingInfo:
    """The drawing's format, mode and upright size, once its file is known to be usable.

    Reads the header, and for JPEG and PNG checks that the file is complete; decodes no
    pixels. Raises ``DrawingError`` for a missing, unreadable, truncated, unsupported or
    oversized file.

    The answer for a file is remembered while its size, change time and inode stay the same:
    reading a whole print master to find its end took most of the time of laying out a
    calendar, and a web page lays out the same stored drawings on every request. A refusal
    is not remembered.
    """
    try:
        stat = Path(path).stat()
    except OSError:
        return _inspect_drawing(Path(path))  # says why it cannot be read
    return _inspect_known(str(path), stat.st_size, stat.st_mtime_ns, stat.st_ino)


@functools.lru_cache(maxsize=1024)
def _inspect_known(path: str, _size: int, _mtime_ns: int, _inode: int) -> DrawingInfo:
    return _inspect_drawing(Path(path))


def _inspect_drawing(path: Path) -> DrawingInfo:
    name = Path(path).name
    if not Path(path).is_file():
        raise DrawingError(f"{name}: file not found ({path})")
    try:
        with Image.open(path, formats=FORMATS) as image:
            width, height = image.size
            if width * height > MAX_PIXELS:
                raise DrawingError(_too_many_pixels(name, width, height))
            if width < 1 or height < 1:
                raise DrawingError(f"{name}: the image is empty ({width} × {height} pixels)")
            if image.mode not in MODES:
                raise DrawingError(f"{name}: pixels of the kind {image.mode!r} cannot be "
                                   "printed; save the drawing as an RGB JPEG or PNG")
            orientation = _orientation(image)
            fmt = image.format or "?"
            _check_complete(path, fmt, name)
            mode = image.mode
    except DrawingError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
        # Pillow refuses before telling the size; its message gives the pixel count.
        found = re.search(r"\((\d+) pixels\)", str(error))
        count = f"{int(found[1]) / 1e6:,.0f} megapixels" if found else "far too many pixels"
        raise DrawingError(f"{name}: the image has {count}; at most "
                           f"{MAX_PIXELS // 1_000_000} are accepted (an A3 page at 300 ppi "
                           "needs about 18): save a smaller copy") from error
    except UnidentifiedImageError as error:
        raise DrawingError(f"{name}: not an image the calendar can print (it takes "
                           f"{FORMAT_NAMES}), or a damaged one") from error
    except DECODE_ERRORS as error:
        raise DrawingError(f"{name}: the file cannot be read: it is damaged, incomplete or "
                           f"of an unusual kind ({_reason(error)})") from error
    upright = (height, width) if orientation in QUARTER_TURNS else (width, height)
    return DrawingInfo(Path(path), fmt, mode, upright, orientation)


def upright_size(path: Path) -> tuple[int, int]:
    """The image's size once turned by its EXIF orientation; reads only the header."""
    return inspect_drawing(path).pixels


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
    Raises ``DrawingError`` naming the file when it cannot be decoded or converted.
    """
    try:
        return _prepare(Path(path), placed_in, convert)
    except DrawingError:
        raise
    except DECODE_ERRORS as error:
        raise DrawingError(f"{Path(path).name}: the file cannot be read: it is damaged, "
                           f"incomplete or of an unusual kind ({_reason(error)})") from error


def _prepare(path: Path, placed_in: tuple[float, float],
             convert: Convert | None) -> PreparedImage:
    with Image.open(path, formats=FORMATS) as image:
        if image.width * image.height > MAX_PIXELS:
            raise DrawingError(_too_many_pixels(path.name, *image.size))
        orientation = _orientation(image)
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
            image.load()  # a damaged file must fail here, not in the printer's RIP
            return PreparedImage(path.read_bytes(), upright, passthrough=True, resampled=False)
        # Large decoded drawings are held within ``DECODED_PIXELS`` (96 MB) and resized in
        # bands on every core (``resize_in_bands``); meanwhile the other thread encodes (or
        # converts) what it has resized, and makes small ones (thumbnails, logos). Two
        # drawings of 24 megapixels decoded whole at once, with the resampler's intermediate
        # image, took an A3 calendar of them to 420 MB.
        stored = target[::-1] if orientation in QUARTER_TURNS else target
        resized = _scaled_jpeg(path, image, orientation, stored, target, convert)
        notes: tuple[str, ...] = ()
        if resized is None:
            if image.format == "JPEG":
                # Let libjpeg decode at a reduced scale when that still leaves enough pixels.
                image.draft(image.mode, stored)
            with _DECODED.holding(image.width * image.height):
                image.load()
                # exif_transpose copies the image even when it is upright: only when needed.
                turned = ImageOps.exif_transpose(image) if orientation != 1 else image
                rgb, notes = to_srgb(turned)
                resized = _resize(rgb, target, convert)
                # The decoded drawing is freed before the conversion and the encoding.
                del rgb, turned
                if resized is not image:
                    image.close()
                release_freed_memory()
        made = resized if convert is None else convert(resized, target)
        del resized
        out = io.BytesIO()
        made.save(out, "JPEG", quality=JPEG_QUALITY, subsampling="4:4:4")
        del made
    release_freed_memory()
    return PreparedImage(out.getvalue(), target, passthrough=False, resampled=target != upright,
                         notes=notes)


def _scaled_jpeg(path: Path, image: Image.Image, orientation: int, stored: tuple[int, int],
                 target: tuple[int, int], convert: Convert | None) -> Image.Image | None:
    """The drawing resized to ``target``, decoded by libjpeg-turbo at the smallest scale in
    eighths that still leaves ``stored`` (the target in the file's stored orientation).

    Pillow's decoder only reduces by whole factors, and a 24-megapixel drawing fitted to an
    A3 page is 1.78 times its print size, so it was decoded whole: 96 MB, and most of the
    resize's work. At 5/8 it is 37 MB, and decoding and resizing take about a third less
    processor time. Only where that is exactly the other path: a JPEG of RGB or grey pixels
    that ``to_srgb`` converts by no profile, turned upright as ``exif_transpose`` turns it.
    Anything else, and a file libjpeg-turbo refuses, gives None: the Pillow path decodes it
    and says what is wrong. Nothing done here changes tones: there are no notes.
    """
    if (image.format != "JPEG" or image.mode not in ("RGB", "L")
            or _profile_converts(_profile(image), image.mode)):
        return None
    data = path.read_bytes()
    # Colour decoded as RGBX is Pillow's own layout of RGB: the image is made on the decoded
    # memory, not a copy of it (28 MB more for a moment, in each of two threads).
    mode, colorspace = ("RGBX", "RGBX") if image.mode == "RGB" else ("L", "GRAY")
    try:
        height, width, _, _ = simplejpeg.decode_jpeg_header(data, min_width=stored[0],
                                                            min_height=stored[1])
    except LIBJPEG_TURBO_ERRORS:
        return None
    with _DECODED.holding(width * height):
        try:
            pixels = simplejpeg.decode_jpeg(data, colorspace=colorspace, min_width=stored[0],
                                            min_height=stored[1])
        except LIBJPEG_TURBO_ERRORS:
            return None
        del data
        decoded = Image.frombuffer(mode, (pixels.shape[1], pixels.shape[0]), pixels, "raw", mode,
                                   0, 1)
        del pixels
        turned = decoded.transpose(UPRIGHT[orientation]) if orientation != 1 else decoded
        del decoded
        # A grey is made RGB as on the other path; RGBX is encoded as RGB.
        rgb = to_srgb(turned)[0] if mode == "L" else turned
        del turned
        resized = _resize(rgb, target, convert)
        del rgb
        if convert is not None and resized.mode == "RGBX":
            resized = resized.convert("RGB")  # what the CMYK conversion is made for
        release_freed_memory()
    return resized


def _resize(rgb: Image.Image, target: tuple[int, int], convert: Convert | None) -> Image.Image:
    return resize_in_bands(rgb, target) if convert is None else convert.resize(rgb, target)


def resize_in_bands(image: Image.Image, size: tuple[int, int]) -> Image.Image:
    """``image`` at ``size`` (Lanczos), or ``image`` itself when it has that size.

    A reduction by less than ``REDUCING_GAP`` (a drawing to its page, the common case) is
    made in bands of at most ``BAND_ROWS`` output rows, on ``BAND_WORKERS`` threads (the
    resampler releases the GIL): the same pixels as one call (at most one level apart where
    floating-point rounding differs), without the resampler's intermediate image of the
    whole height (50 MB for a 24-megapixel drawing), and on every core. A larger reduction
    is one call, which first reduces by whole factors (``reducing_gap``) as before, and so
    is a small drawing's (under ``LARGE_DECODE_PIXELS``), made beside a large one: threads
    of its own would only hold memory of their own.
    """
    if image.size == size:
        return image
    scale_x, scale_y = image.width / size[0], image.height / size[1]
    if (max(scale_x, scale_y) >= REDUCING_GAP or size[1] <= BAND_ROWS
            or image.width * image.height < LARGE_DECODE_PIXELS):
        return image.resize(size, Image.Resampling.LANCZOS, reducing_gap=REDUCING_GAP)
    out = Image.new(image.mode, size)
    # Bands of equal height, as many as the threads can share evenly: a last band alone
    # would leave the other cores idle while it is resized.
    count = -(-math.ceil(size[1] / BAND_ROWS) // BAND_WORKERS) * BAND_WORKERS
    edges = [round(size[1] * i / count) for i in range(count + 1)]

    def band(top: int, bottom: int) -> tuple[int, Image.Image]:
        return top, image.resize((size[0], bottom - top), Image.Resampling.LANCZOS,
                                 box=(0, top * scale_y, image.width, bottom * scale_y))

    with ThreadPoolExecutor(BAND_WORKERS) as pool:
        for top, rows in pool.map(band, edges[:-1], edges[1:]):
            out.paste(rows, (0, top))
            del rows
    return out


def to_srgb(image: Image.Image) -> tuple[Image.Image, tuple[str, ...]]:
    """``image`` as 8-bit RGB in sRGB, and notes on what changed its tones.

    High-bit-depth greys are scaled into 8 bits (not clipped), transparency is laid on
    white paper, an ICC profile that matches the pixels is converted to sRGB (an unreadable
    or mismatched one is ignored, as browsers do), CIELAB is converted, and CMYK without a
    profile is taken as plain ink percentages.
    """
    notes: list[str] = []
    profile = _profile(image)
    if image.mode in ("I", "F") or image.mode.startswith("I;16"):
        key = image.info.get("transparency")
        grey, note = eight_bit(image)
        notes += [note] if note else []
        if isinstance(key, int):  # one grey value marks transparent pixels
            mask = ImageMath.lambda_eval(lambda a: (a["v"] != key) * 255,
                                         v=image.convert("I"))
            grey.putalpha(mask.convert("L"))
        image = grey
    elif image.mode in ("La", "RGBa"):
        image = image.convert(image.mode.upper())  # premultiplied alpha: undo it first
    elif image.mode == "PA" or (image.mode in ("1", "L", "P", "RGB")
                                and "transparency" in image.info):
        image = image.convert("RGBA")
    elif image.mode in ("1", "P"):
        image = image.convert("L" if image.mode == "1" else "RGB")
    if image.mode in ("RGBA", "LA"):
        paper = Image.new(image.mode[:-1], image.size, "white")
        paper.paste(image, mask=image.getchannel("A"))
        image = paper
    if _profile_converts(profile, image.mode):
        transform = ImageCms.buildTransform(profile, _SRGB, image.mode, "RGB")
        return ImageCms.applyTransform(image, transform), tuple(notes)
    if image.mode == "LAB":
        lab = ImageCms.createProfile("LAB")
        return ImageCms.profileToProfile(image, lab, _SRGB, outputMode="RGB"), tuple(notes)
    return (image if image.mode == "RGB" else image.convert("RGB")), tuple(notes)


def eight_bit(image: Image.Image) -> tuple[Image.Image, str]:
    """A 16-bit, 32-bit or floating-point grey as 8-bit ``L``, and a note when stretched.

    The values are scaled from the range the file declares (its bit depth, a TIFF's
    SMinSampleValue/SMaxSampleValue; 0–1 for floats) to 0–255. A file that uses less than
    ``MIN_RANGE_USED`` of that range, or values outside it, is stretched to its own extremes.
    """
    low, high = _declared_range(image)
    values = image if image.mode == "F" else image.convert("I")
    darkest, lightest = values.getextrema()
    note = ""
    if lightest > darkest and (darkest < low or lightest > high
                               or (lightest - darkest) < (high - low) * MIN_RANGE_USED):
        note = (f"tones stretched: the {image.mode} image uses only values {darkest:g} to "
                f"{lightest:g} of {low:g} to {high:g}")
        low, high = darkest, lightest
    scale = 255 / (high - low)
    floats = values if values.mode == "F" else values.convert("F")
    return floats.point(lambda v: (v - low) * scale).convert("L"), note


def _declared_range(image: Image.Image) -> tuple[float, float]:
    tags = getattr(image, "tag_v2", {})
    if 340 in tags and 341 in tags:  # SMinSampleValue, SMaxSampleValue
        low, high = _first(tags[340]), _first(tags[341])
        if high > low:
            return float(low), float(high)
    if image.mode == "F":
        return 0.0, 1.0
    bits = _first(tags.get(258, 16 if image.mode.startswith("I;16") else 32))
    signed = _first(tags.get(339, 1)) == 2
    if signed:
        bits -= 1  # the negative half is not a tone
    if image.mode == "I" and image.format == "PNG":
        bits = 16
    return 0.0, float(2 ** min(bits, 32) - 1)


def _first(value: object) -> float:
    return value[0] if isinstance(value, tuple) else value  # type: ignore[return-value]


def _profile(image: Image.Image) -> ImageCms.ImageCmsProfile | None:
    icc = image.info.get("icc_profile")
    if not icc:
        return None
    try:
        return ImageCms.ImageCmsProfile(io.BytesIO(icc))
    except (ImageCms.PyCMSError, OSError, TypeError):
        return None  # an unreadable profile is ignored, as browsers do


def _profile_converts(profile: ImageCms.ImageCmsProfile | None, mode: str) -> bool:
    """Whether ``to_srgb`` converts pixels of ``mode`` by ``profile``: a readable profile,
    not sRGB, of the pixels' colour space."""
    return (profile is not None and not _is_srgb_profile(profile)
            and _ICC_SPACE_OF_MODE.get(mode) == profile.profile.xcolor_space)


def _is_srgb(icc: bytes | None) -> bool:
    if not icc:
        return True  # untagged images are taken as sRGB, as browsers and printers do
    try:
        return _is_srgb_profile(ImageCms.ImageCmsProfile(io.BytesIO(icc)))
    except (ImageCms.PyCMSError, OSError):
        return False  # decoded and re-encoded, where the broken profile is dropped


def _is_srgb_profile(profile: ImageCms.ImageCmsProfile) -> bool:
    return "srgb" in ImageCms.getProfileDescription(profile).lower()


def _orientation(image: Image.Image) -> int:
    try:
        value = image.getexif().get(0x0112, 1)
    except DECODE_ERRORS:
        return 1  # unreadable EXIF: the image as stored
    return value if value in range(1, 9) else 1


def _check_complete(path: Path, fmt: str, name: str) -> None:
    """Refuse a JPEG or PNG whose end is missing, without decoding it."""
    if fmt == "JPEG":
        data = path.read_bytes()
        scan = _first_scan(data)
        # Headers too odd to follow are left to the decoder to judge. Searched from the end,
        # where a complete file has it: the whole 24-megapixel drawing need not be scanned.
        if scan is not None and data.rfind(b"\xff\xd9", scan) < 0:
            raise DrawingError(f"{name}: the JPEG file is truncated (its end is missing): "
                               "copy or export it again")
    elif fmt == "PNG":
        with open(path, "rb") as file:
            file.seek(max(0, path.stat().st_size - 64))
            if b"IEND" not in file.read():
                raise DrawingError(f"{name}: the PNG file is truncated (its end is missing): "
                                   "copy or export it again")


def _first_scan(data: bytes) -> int | None:
    """Where the first scan's compressed data starts, after the marker segments before it."""
    i = 2
    while i + 4 <= len(data):
        if data[i] != 0xFF:
            return None
        marker = data[i + 1]
        if marker == 0xFF:  # fill byte
            i += 1
            continue
        length = int.from_bytes(data[i + 2:i + 4], "big")
        if marker == 0xDA:
            return i + 2 + length
        i += 2 + length
    return None


def _too_many_pixels(name: str, width: int, height: int) -> str:
    return (f"{name}: the image has {width * height / 1e6:.0f} megapixels ({width} × {height}); "
            f"at most {MAX_PIXELS // 1_000_000} are accepted (an A3 page at 300 ppi needs "
            "about 18): save a smaller copy")


def _reason(error: BaseException) -> str:
    text = str(error).strip() or type(error).__name__
    return text if len(text) <= 80 else text[:77] + "..."
