# Over 400 lines: one pass from the upload to the stored copies, checks in the order they run.
"""The upload pipeline: one uploaded file in, a checked and normalised drawing out.

The submission form, the schools' ZIP batch and the command line all call ``process_image``;
it needs no Flask app or request. It either returns every derivative the contest stores or
raises ``ImageRejected`` with a stable code and a translatable message naming what is accepted.

What is kept, and why:

- ``print_master``: the drawing upright, in sRGB, without any metadata, as a JPEG of at most
  ``print_long_edge`` pixels (default 4961 px, the long edge of A3 at 300 dpi, so that the
  calendar, posters and reports never need more). It embeds the sRGB profile: colour, not
  privacy; a photo's own profile (Display P3, Adobe RGB) is converted into sRGB first, so no
  profile of the family's device is stored either.
- ``preview`` and ``thumbnail``: smaller JPEGs for the web, without metadata or profile
  (browsers take untagged images as sRGB).

The uploaded file itself is **not kept**, only its SHA-256 (to spot the same file sent twice)
and its length. A phone photo carries the family's GPS position, the phone's make and serial,
times and often XMP or IPTC text, in a different place for each format (JPEG APP segments,
trailers after the image and the further frames of an MPO, PNG ``eXIf``/``iTXt`` chunks,
WebP ``EXIF``/``XMP`` chunks, TIFF IFD tags, HEIF items). Keeping a metadata-free copy of it
would mean a stripper per format that must never miss one of them, and it would buy nothing
the contest uses: the print master already serves every use (the largest print is A3 at
300 dpi), a coordinator's quarter turn is made from the print master (``turn``), and
provenance is the hash. So nothing the family's device wrote reaches the disk, a backup or a
PDF; only pixels decoded by Pillow and re-encoded here do. Installations from before this
rule remove their stored originals with ``flask storage strip-metadata``.
"""

import hashlib
import io
import math
import re
import struct
import tempfile
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, fields
from pathlib import Path
from typing import Literal

import pillow_heif
from flask_babel import lazy_gettext as _l
from flask_babel.speaklater import LazyString
from PIL import ExifTags, Image, ImageCms, ImageDraw, UnidentifiedImageError

from calendar_builder import GOOD_DPI

from .formats import ACCEPTED, ACCEPTED_NAMES, PILLOW_FORMATS, sniff

MB = 1024 * 1024
MM_PER_INCH = 25.4

RefusalCode = Literal[
    "empty", "too_large", "not_an_image", "unsupported_format", "corrupt", "too_many_pixels",
    "too_small",
]


class ImageRejected(ValueError):
    """An upload the contest cannot use; ``message`` tells the person why and what to do."""

    def __init__(self, code: RefusalCode, message: LazyString) -> None:
        super().__init__(code, message)
        self.code = code
        self.message = message

    def __str__(self) -> str:
        return str(self.message)


@dataclass(frozen=True)
class UploadLimits:
    """What an upload may be, and the sizes of what is made from it."""

    max_bytes: int = 25 * MB
    # At most Pillow's own decompression-bomb threshold, which refuses larger images anyway.
    max_pixels: int = 80_000_000
    # What the decoded image may take in memory, by the bytes a pixel of its kind needs while
    # it is made ready (``_WORKING_BYTES``): a 16-bit or palette image is bounded like an 8-bit
    # colour one. A JPEG larger than this is decoded at 1/2, 1/4 or 1/8 of its size instead;
    # other formats are refused. 100 MB takes a 24-megapixel HEIC (an iPhone Pro's photo),
    # which is shrunk from libheif's own rows (``_heif_shrunk``): about 140 MB at its peak.
    max_decoded_bytes: int = 100 * MB
    # A drawing photographed smaller than this cannot even be judged on screen.
    min_short_edge: int = 300
    print_long_edge: int = 4961
    preview_long_edge: int = 1600
    thumbnail_long_edge: int = 400
    print_quality: int = 95
    preview_quality: int = 85
    thumbnail_quality: int = 80
    # The drawing's area on an A4 month page of the calendar, landscape.
    target_box_mm: tuple[float, float] = (190.0, 135.0)
    # Below it the calendar prints the drawing soft and says so: the family is told at upload.
    min_dpi: int = GOOD_DPI

    def __post_init__(self) -> None:
        if Image.MAX_IMAGE_PIXELS and self.max_pixels > Image.MAX_IMAGE_PIXELS:
            raise ValueError(
                f"max_pixels must not exceed Pillow's MAX_IMAGE_PIXELS ({Image.MAX_IMAGE_PIXELS})"
            )


@dataclass(frozen=True)
class ProcessedImage:
    """An accepted upload and everything stored from it; all derivatives are JPEG."""

    print_master: bytes
    preview: bytes
    thumbnail: bytes
    sha256: str  # of the uploaded bytes: the same file uploaded twice has the same hash
    original_bytes: int  # the uploaded file's length; the file itself is not kept
    format: str  # Pillow's name of the uploaded file's format, e.g. "JPEG", "HEIF"
    content_type: str  # of the uploaded file
    extension: str  # of the uploaded file's format, from its content
    display_name: str  # the uploaded file's own name, made safe to show; never a path
    width: int  # of the uploaded image, upright
    height: int
    print_size: tuple[int, int]
    preview_size: tuple[int, int]
    thumbnail_size: tuple[int, int]
    effective_dpi: int  # of the print master fitted into the calendar's drawing area
    warnings: tuple[LazyString, ...]


_DERIVATIVES = ("print_master", "preview", "thumbnail")


@dataclass(frozen=True)
class SpooledImage:
    """A ``ProcessedImage`` whose files wait in a folder on disk (a school's batch: one image
    in memory at a time). The same fields; the bytes are read back only when asked for."""

    folder: Path
    sha256: str
    original_bytes: int
    format: str
    content_type: str
    extension: str
    display_name: str
    width: int
    height: int
    print_size: tuple[int, int]
    preview_size: tuple[int, int]
    thumbnail_size: tuple[int, int]
    effective_dpi: int
    warnings: tuple[LazyString, ...]

    @classmethod
    def spool(cls, image: ProcessedImage, folder: Path) -> "SpooledImage":
        """Write ``image``'s files into ``folder`` (made here, private) and forget the bytes."""
        folder.mkdir(mode=0o700)
        for name in _DERIVATIVES:
            (folder / name).write_bytes(getattr(image, name))
        return cls(folder=folder, **{f.name: getattr(image, f.name) for f in fields(cls)
                                     if f.name != "folder"})

    @property
    def print_master(self) -> bytes:
        return (self.folder / "print_master").read_bytes()

    @property
    def preview(self) -> bytes:
        return (self.folder / "preview").read_bytes()

    @property
    def thumbnail(self) -> bytes:
        return (self.folder / "thumbnail").read_bytes()


# Pillow's decoders meet hostile files with any of these; each means the file cannot be used.
_DECODE_ERRORS = (OSError, SyntaxError, ValueError, EOFError, IndexError, KeyError, TypeError,
                  ZeroDivisionError, struct.error, MemoryError)

# Bytes a pixel takes while decoded and made ready to resize: the decoded pixel, plus the
# 8-bit copy that _resamplable makes of palette, bilevel and 16/32-bit images.
# (Pillow keeps every mode of more than one band in 4 bytes a pixel.)
_WORKING_BYTES = {
    "1": 2, "L": 1, "LA": 4, "La": 4, "P": 5, "PA": 5, "RGB": 4, "RGBA": 4, "RGBa": 4,
    "RGBX": 4, "CMYK": 4, "YCbCr": 4, "LAB": 4, "HSV": 4, "I;16": 3, "I;16L": 3, "I;16B": 3,
    "I;16N": 3, "I": 5, "F": 5,
}
_BAND_PIXELS = 1_000_000  # pixels in one band of a banded resize or conversion
_HEIF_BYTES = {"RGB": 3, "RGBA": 4, "L": 1}  # a pixel of libheif's 8-bit decoded image
_TURNS = {2: Image.Transpose.FLIP_LEFT_RIGHT, 3: Image.Transpose.ROTATE_180,
          4: Image.Transpose.FLIP_TOP_BOTTOM, 5: Image.Transpose.TRANSPOSE,
          6: Image.Transpose.ROTATE_270, 7: Image.Transpose.TRANSVERSE,
          8: Image.Transpose.ROTATE_90}  # by EXIF orientation, as ImageOps.exif_transpose
_QUARTER_TURNS = {Image.Transpose.TRANSPOSE, Image.Transpose.ROTATE_270,
                  Image.Transpose.TRANSVERSE, Image.Transpose.ROTATE_90}

_SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB"))
_SRGB_BYTES = _SRGB.tobytes()
_LAB_TO_SRGB = ImageCms.buildTransform(ImageCms.createProfile("LAB"), _SRGB, "LAB", "RGB")
_ICC_SPACE_OF_MODE = {"RGB": "RGB ", "L": "GRAY", "CMYK": "CMYK"}


def process_image(
    data: bytes, filename: str | None = None, limits: UploadLimits = UploadLimits()
) -> ProcessedImage:
    """Check one uploaded image and make the print master, preview and thumbnail from it.

    The format is told from the content. ``filename`` (the name the person's device gave) is
    only shown back to people as ``display_name``; it is never used to store anything.
    Raises ``ImageRejected`` for anything the contest cannot use.
    """
    if not data:
        raise ImageRejected("empty", _l("The file is empty. Please choose the photo again."))
    if len(data) > limits.max_bytes:
        raise ImageRejected("too_large", _l(
            "The file is too large (%(size).1f MB). Files up to %(limit)d MB are accepted.",
            size=len(data) / MB, limit=limits.max_bytes // MB))
    with _opened(data, limits) as im:
        fmt = ACCEPTED[im.format]
        width, height = _checked_size(im, limits)
        _decode(im, limits)
        turn = _TURNS.get(im.getexif().get(ExifTags.Base.Orientation))
        if turn in _QUARTER_TURNS:
            width, height = height, width
        # Shrinking first spares time and memory on big scans: the drawing is turned upright
        # and its colour converted only on the pixels that are kept.
        if im.format == "HEIF":
            print_image = _resamplable(_heif_shrunk(data, limits.print_long_edge))
        else:
            print_image = _shrunk(_resamplable(im), limits.print_long_edge)
        if turn is not None:
            print_image = print_image.transpose(turn)
        print_image = _srgb(_on_white(print_image), im.info.get("icc_profile"))
        preview_image = _shrunk(print_image, limits.preview_long_edge)
        thumbnail_image = _shrunk(preview_image, limits.thumbnail_long_edge)
        print_master = _jpeg(print_image, limits.print_quality, icc_profile=_SRGB_BYTES)
        preview = _jpeg(preview_image, limits.preview_quality)
        thumbnail = _jpeg(thumbnail_image, limits.thumbnail_quality)
    dpi = effective_dpi(print_image.size, limits.target_box_mm)
    notes = ()
    if dpi < limits.min_dpi:
        notes = (_l(
            "The photo is small for print: the drawing would print at %(dpi)d dpi, and at "
            "least %(min)d dpi is recommended. A sharper photo or a scan will print better.",
            dpi=dpi, min=limits.min_dpi),)
    return ProcessedImage(
        print_master=print_master, preview=preview, thumbnail=thumbnail,
        sha256=hashlib.sha256(data).hexdigest(), original_bytes=len(data), format=fmt.pillow,
        content_type=fmt.content_type, extension=fmt.extension,
        display_name=display_name(filename), width=width, height=height,
        print_size=print_image.size, preview_size=preview_image.size,
        thumbnail_size=thumbnail_image.size, effective_dpi=dpi, warnings=notes)


def effective_dpi(size: tuple[int, int], box_mm: tuple[float, float]) -> int:
    """The resolution an image of ``size`` pixels has when fitted whole into ``box_mm``."""
    (width, height), (box_width, box_height) = size, box_mm
    return math.floor(max(width / box_width, height / box_height) * MM_PER_INCH)


def display_name(filename: str | None) -> str:
    """The last part of an uploaded file's name, printable and short, to show to people."""
    name = re.split(r"[\\/]", filename or "")[-1]
    # Dropping control and format characters also drops the right-to-left override that
    # makes "drawing\u202egpj.exe" look like "drawingexe.jpg".
    return "".join(ch for ch in name if ch.isprintable()).strip()[-120:]  # keeps the extension


@contextmanager
def _opened(data: bytes, limits: UploadLimits) -> Iterator[Image.Image]:
    """Open ``data`` as an accepted image; turn every way it can fail into ``ImageRejected``."""
    accepted = _l("Accepted formats: %(formats)s.", formats=ACCEPTED_NAMES)
    # Pillow warns and carries on over small defects (a malformed MPO header, a bad EXIF
    # block); only its decompression-bomb warning must stop us. On Python 3.11
    # catch_warnings is not thread-safe, so a race between uploads can lose or leak these
    # filters: harmless, as such bombs exceed max_pixels and _checked_size refuses them too.
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", UserWarning)
        warnings.simplefilter("error", Image.DecompressionBombWarning)
        try:
            with Image.open(io.BytesIO(data), formats=PILLOW_FORMATS) as im:
                yield im
        except ImageRejected:
            raise
        except (Image.DecompressionBombError, Image.DecompressionBombWarning) as error:
            raise _too_many_pixels(limits) from error
        except UnidentifiedImageError as error:
            kind = sniff(data)
            if kind is None:
                raise ImageRejected("not_an_image", _l(
                    "This file is not an image. %(accepted)s", accepted=accepted)) from error
            if kind in ACCEPTED:
                raise _corrupt(kind, accepted) from error
            raise ImageRejected("unsupported_format", _l(
                "%(kind)s files are not accepted. %(accepted)s", kind=kind, accepted=accepted,
            )) from error
        except _DECODE_ERRORS as error:
            raise _corrupt(sniff(data) or "image", accepted) from error


def _corrupt(kind: str, accepted: LazyString) -> ImageRejected:
    return ImageRejected("corrupt", _l(
        "The %(kind)s file cannot be read: it is damaged, incomplete or of an unusual kind. "
        "Please send it again, save it as JPEG or PNG, or take a new photo. %(accepted)s",
        kind=kind, accepted=accepted))


def _too_many_pixels(limits: UploadLimits) -> ImageRejected:
    return ImageRejected("too_many_pixels", _l(
        "The image has too many pixels. Images up to %(limit)d megapixels are accepted.",
        limit=limits.max_pixels // 1_000_000))


def _checked_size(im: Image.Image, limits: UploadLimits) -> tuple[int, int]:
    """The size in the file's header, refused before decoding if it is out of bounds."""
    width, height = im.size
    if width * height > limits.max_pixels:
        raise ImageRejected("too_many_pixels", _l(
            "The image has too many pixels (%(width)d × %(height)d). Images up to "
            "%(limit)d megapixels are accepted.",
            width=width, height=height, limit=limits.max_pixels // 1_000_000))
    if min(width, height) < limits.min_short_edge:
        raise ImageRejected("too_small", _l(
            "The image is too small (%(width)d × %(height)d pixels). Please send a photo or "
            "a scan at least %(min)d pixels on its shorter side.",
            width=width, height=height, min=limits.min_short_edge))
    return width, height


def _working_bytes(im: Image.Image) -> int:
    """Bytes a pixel of ``im`` takes while it is decoded and made ready to resize."""
    mode = "PA" if im.mode == "P" and "transparency" in im.info else im.mode
    per_pixel = _WORKING_BYTES.get(mode, max(_WORKING_BYTES.values()))
    # libwebp decodes into its own buffer, which Pillow then copies.
    return per_pixel * 2 if im.format == "WEBP" else per_pixel


def _decode(im: Image.Image, limits: UploadLimits) -> None:
    """Decode the first frame, as small as the print master allows and within
    ``max_decoded_bytes``; refuse an image that cannot be decoded within it."""
    width, height = im.size
    per_pixel = _working_bytes(im)
    # JPEG decodes at 1/2, 1/4 or 1/8 of its size directly, for far less time and memory:
    # as small as the print master allows, smaller still if the budget needs it.
    reduction = 1
    while (reduction < 8 and (max(width, height) // (reduction * 2) >= limits.print_long_edge
                              or width * height * per_pixel > limits.max_decoded_bytes
                              * reduction * reduction)):
        reduction *= 2
    if reduction > 1:
        im.draft(im.mode, (width // reduction, height // reduction))
    if im.width * im.height * _working_bytes(im) > limits.max_decoded_bytes:
        raise ImageRejected("too_many_pixels", _l(
            "The image is too large to process (%(width)d × %(height)d pixels of this kind). "
            "Please send it as a JPEG, or scanned at 300 dpi.", width=width, height=height))
    if im.format != "HEIF":  # decoded by _heif_shrunk instead
        im.load()


def _heif_shrunk(data: bytes, long_edge: int) -> Image.Image:
    """The HEIF file's primary image fitted within ``long_edge`` pixels, made from libheif's
    decoded rows a band at a time.

    Pillow's own loading would copy libheif's decoded image (3 bytes a pixel) into one of its
    own (4 bytes a pixel) and then shrink that: three full-size copies at once, near 200 MB
    for a 24-megapixel photo. Here the shrunk bands wait in a temporary file while libheif's
    image is the only large one in memory; it is freed before Pillow's image is made from
    them. Each band is resized with the rows around it, so the result is the same as one
    resize of the whole.
    """
    try:
        heif = pillow_heif.open_heif(io.BytesIO(data), convert_hdr_to_8bit=True,
                                     remove_stride=False)
        frame = heif[heif.primary_index]
        decoded, stride, mode, (width, height) = frame.data, frame.stride, frame.mode, frame.size
    except RuntimeError as error:  # libheif's decoding errors
        raise OSError(str(error)) from error
    if mode not in _HEIF_BYTES:
        raise OSError(f"HEIF decoded as {mode}")
    del heif, frame  # now ``decoded`` alone keeps libheif's image
    scale = min(1.0, long_edge / max(width, height))
    size = (max(1, round(width * scale)), max(1, round(height * scale)))
    band, ratio = max(1, _BAND_PIXELS // size[0]), height / size[1]
    # LANCZOS reads 3 source pixels either side, times the reduction, around each output pixel.
    margin = math.ceil(3 * ratio) + 2
    bands = [(top, min(top + band, size[1])) for top in range(0, size[1], band)]
    with tempfile.TemporaryFile(prefix="contest-heif-") as spool:
        with memoryview(decoded) as rows:
            for top, bottom in bands:
                first = max(0, math.floor(top * ratio) - margin)
                last = min(height, math.ceil(bottom * ratio) + margin)
                strip = Image.frombuffer(mode, (width, last - first),
                                         rows[first * stride:last * stride], "raw", mode, stride,
                                         1)
                if scale < 1:
                    strip = strip.resize(
                        (size[0], bottom - top), Image.Resampling.LANCZOS,
                        box=(0, top * ratio - first, width, bottom * ratio - first))
                else:
                    strip = strip.crop((0, top - first, width, bottom - first))
                spool.write(strip.tobytes())
        del decoded, strip
        spool.seek(0)
        out = Image.new(mode, size)
        for top, bottom in bands:
            out.paste(Image.frombytes(mode, (size[0], bottom - top),
                                      spool.read(size[0] * (bottom - top) * _HEIF_BYTES[mode])),
                      (0, top))
    return out


def _resamplable(im: Image.Image) -> Image.Image:
    """8 bits a channel, any transparency as an alpha channel: ready to be resized smoothly."""
    if im.mode.startswith(("I", "F")):
        im = _eight_bit(im)
    if im.has_transparency_data:
        # A palette or colour-key transparency would not survive resampling; alpha does.
        return im if im.mode in ("RGBA", "LA") else im.convert("RGBA")
    if im.mode in ("1", "P"):
        return im.convert("L" if im.mode == "1" else "RGB")
    return im


def _on_white(im: Image.Image) -> Image.Image:
    """Transparent parts laid on white paper."""
    if im.mode not in ("RGBA", "LA"):
        return im
    flat = Image.new(im.mode[:-1], im.size, "white")
    flat.paste(im, mask=im)
    return flat


def _srgb(im: Image.Image, icc: bytes | None) -> Image.Image:
    """The image in sRGB, honouring its embedded ICC profile ``icc``."""
    if icc and im.mode in _ICC_SPACE_OF_MODE:
        try:
            profile = ImageCms.ImageCmsProfile(io.BytesIO(icc))
            space = profile.profile.xcolor_space
            if space == _ICC_SPACE_OF_MODE[im.mode] and not _is_srgb(profile):
                transform = ImageCms.buildTransform(profile, _SRGB, im.mode, "RGB")
                if im.mode != "RGB":
                    return ImageCms.applyTransform(im, transform)
                # In place: a 12 MP photo need not be copied once more.
                ImageCms.applyTransform(im, transform, inPlace=True)
                return im
        except (ImageCms.PyCMSError, OSError):
            pass  # an unreadable profile is ignored, as browsers do
    if im.mode == "LAB":
        return ImageCms.applyTransform(im, _LAB_TO_SRGB)
    return im if im.mode == "RGB" else im.convert("RGB")


def _eight_bit(im: Image.Image) -> Image.Image:
    """Scale 16-bit, 32-bit and float greyscale into 8 bits (Pillow's convert would clip),
    a band of rows at a time, so the wide intermediate copies stay small."""
    bits16 = im.mode.startswith("I;16")
    low, high = im.getextrema()
    tops = (65535,) if bits16 else (1.0, 255, 65535) if im.mode == "F" else (255, 65535)
    top = next((t for t in tops if low >= 0 and high <= t), None)
    if top is None:  # values outside any usual range: stretch what is there
        scale = 255 / (high - low) if high > low else 1
        offset = -low * scale
    else:
        scale, offset = 255 / top, 0
    out = Image.new("L", im.size)
    rows = max(1, _BAND_PIXELS // im.width)
    for top_row in range(0, im.height, rows):
        band = im.crop((0, top_row, im.width, min(top_row + rows, im.height)))
        if band.mode != "F":
            band = band.convert("I")
        out.paste(band.point(lambda value: value * scale + offset).convert("L"), (0, top_row))
    return out


def _is_srgb(profile: ImageCms.ImageCmsProfile) -> bool:
    return ImageCms.getProfileDescription(profile).strip().startswith("sRGB")


def _shrunk(im: Image.Image, long_edge: int) -> Image.Image:
    """``im`` fitted within ``long_edge`` pixels; never enlarged.

    A large image is resized a band of rows at a time: Pillow's resampling reads the rows
    around a band from the whole image, so the result is the same as one resize, without
    its intermediate copy (output width × input height).
    """
    scale = long_edge / max(im.size)
    if scale >= 1:
        return im
    size = (max(1, round(im.width * scale)), max(1, round(im.height * scale)))
    if im.width * im.height <= _BAND_PIXELS * 16:
        return im.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
    out = Image.new(im.mode, size)
    rows, ratio = max(1, _BAND_PIXELS // size[0]), im.height / size[1]
    for top in range(0, size[1], rows):
        bottom = min(top + rows, size[1])
        band = im.resize((size[0], bottom - top), Image.Resampling.LANCZOS,
                         box=(0, top * ratio, im.width, bottom * ratio))
        out.paste(band, (0, top))
    return out


def _jpeg(im: Image.Image, quality: int, icc_profile: bytes | None = None) -> bytes:
    """Encode as JPEG with no metadata at all (Pillow would copy a comment from ``im.info``)."""
    im.info = {}
    out = io.BytesIO()
    # Print quality keeps full colour resolution: crayon lines are thin and saturated.
    im.save(out, "JPEG", quality=quality, subsampling="4:4:4" if quality >= 90 else "4:2:0",
            icc_profile=icc_profile)
    return out.getvalue()


def rotate(image_bytes: bytes, degrees: int, quality: int = 95) -> bytes:
    """A copy of a stored derivative turned clockwise by a multiple of 90 degrees.

    Each call re-encodes the JPEG once, at print quality with full colour resolution: a turn
    costs one generation, invisible at that quality.
    """
    if degrees % 90:
        raise ValueError("degrees must be a multiple of 90")
    turns = {90: Image.Transpose.ROTATE_270, 180: Image.Transpose.ROTATE_180,
             270: Image.Transpose.ROTATE_90}
    with Image.open(io.BytesIO(image_bytes)) as im:
        turned = im.transpose(turns[degrees % 360]) if degrees % 360 else im.copy()
    return _jpeg(turned.convert("RGB"), quality, icc_profile=im.info.get("icc_profile"))


def rotate_boxes(boxes, degrees: int) -> list[tuple[float, float, float, float]]:
    """Boxes (``x, y, width, height`` as fractions, as ``redact`` takes them) turned clockwise
    with their image by ``rotate(…, degrees)``, so they cover the same part of the drawing."""
    if degrees % 90:
        raise ValueError("degrees must be a multiple of 90")
    turned = []
    for x, y, width, height in boxes:
        for _ in range(degrees % 360 // 90):  # a quarter turn clockwise: (u, v) -> (1 - v, u)
            x, y, width, height = 1 - (y + height), x, height, width
        turned.append(tuple(round(min(max(v, 0.0), 1.0), 6) for v in (x, y, width, height)))
    return turned


def web_copies(print_master: bytes, limits: UploadLimits = UploadLimits()) -> tuple[bytes, bytes]:
    """The preview and the thumbnail made afresh from a (turned) print master."""
    with Image.open(io.BytesIO(print_master)) as im:
        # Print masters are sRGB: the untagged web copies are read as sRGB too.
        preview_image = _shrunk(im.convert("RGB"), limits.preview_long_edge)
    thumbnail_image = _shrunk(preview_image, limits.thumbnail_long_edge)
    return (_jpeg(preview_image, limits.preview_quality),
            _jpeg(thumbnail_image, limits.thumbnail_quality))


def redact(image_bytes: bytes, boxes: list[tuple[float, float, float, float]],
           quality: int = 95, fill: str = "#808080") -> bytes:
    """A copy of a stored derivative with each box masked by an opaque ``fill``.

    Boxes are ``(x, y, width, height)`` as fractions 0..1 of the image's width and height,
    so one mask drawn on the preview applies to the print master too; a box reaching past
    the edge is cut there.
    """
    for box in boxes:
        x, y, box_width, box_height = box
        if not (0 <= x < 1 and 0 <= y < 1 and box_width > 0 and box_height > 0):
            raise ValueError(f"not a box within the image: {box}")
    with Image.open(io.BytesIO(image_bytes)) as im:
        masked = im.convert("RGB")
        icc = im.info.get("icc_profile")
    draw = ImageDraw.Draw(masked)
    width, height = masked.size
    for x, y, box_width, box_height in boxes:
        right, bottom = min(x + box_width, 1), min(y + box_height, 1)
        draw.rectangle((math.floor(x * width), math.floor(y * height),
                        math.ceil(right * width) - 1, math.ceil(bottom * height) - 1), fill=fill)
    return _jpeg(masked, quality, icc_profile=icc)
