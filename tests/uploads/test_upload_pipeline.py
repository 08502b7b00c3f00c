"""The upload pipeline: what it accepts, what it refuses, and what it keeps of a family's photo."""

import hashlib
import io
import os
import struct
import subprocess
import sys
import zlib
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import get_args

import pytest
from PIL import ExifTags, Image, ImageCms, ImageDraw

from contest.uploads import (
    ImageRejected,
    ProcessedImage,
    UploadLimits,
    display_name,
    effective_dpi,
    process_image,
    redact,
    rotate,
    rotate_boxes,
)
from contest.uploads.formats import sniff
from contest.uploads.pipeline import RefusalCode

# The shared folder of real-world files lies beside the checkout (CI puts it there).
WILD = Path(os.environ.get("WILD_IMAGES")
            or Path(__file__).resolve().parents[3] / "shared" / "wild-images")
if not WILD.is_dir():
    pytest.skip(f"{WILD} not found: put shared/wild-images beside the checkout or set "
                "WILD_IMAGES", allow_module_level=True)
RED, BLUE, WHITE = (220, 20, 20), (20, 20, 220), (255, 255, 255)


def jpeg_segments(data: bytes) -> list[tuple[int, bytes]]:
    """The marker segments of a JPEG before its image data."""
    assert data[:2] == b"\xff\xd8"
    segments, i = [], 2
    while data[i + 1] != 0xDA:  # start of scan
        length = int.from_bytes(data[i + 2:i + 4], "big")
        segments.append((data[i + 1], data[i + 4:i + 2 + length]))
        i += 2 + length
    return segments


def assert_clean_derivatives(image: ProcessedImage, limits: UploadLimits) -> None:
    """Every derivative is a decodable sRGB JPEG within its size, carrying no metadata."""
    derivatives = [
        (image.print_master, image.print_size, limits.print_long_edge, True),
        (image.preview, image.preview_size, limits.preview_long_edge, False),
        (image.thumbnail, image.thumbnail_size, limits.thumbnail_long_edge, False),
    ]
    for data, size, long_edge, has_profile in derivatives:
        segments = jpeg_segments(data)
        applications = [(marker, body) for marker, body in segments if 0xE0 <= marker <= 0xEF]
        assert 0xFE not in [marker for marker, _ in segments]  # no comment
        assert [marker for marker, _ in applications if marker not in (0xE0, 0xE2)] == []
        profiles = [body for marker, body in applications if marker == 0xE2]
        assert all(body.startswith(b"ICC_PROFILE\x00") for body in profiles)
        assert bool(profiles) == has_profile
        with Image.open(io.BytesIO(data)) as im:
            im.load()
            assert (im.format, im.mode, im.size) == ("JPEG", "RGB", size)
            assert not im.getexif()
            if has_profile:
                profile = ImageCms.ImageCmsProfile(io.BytesIO(im.info["icc_profile"]))
                assert ImageCms.getProfileDescription(profile).startswith("sRGB")
        assert max(size) <= long_edge
    assert image.thumbnail_size <= image.preview_size <= image.print_size
    assert max(image.print_size) <= max(image.width, image.height)
    ratio = image.width / image.height
    assert abs(image.print_size[0] / image.print_size[1] - ratio) < 0.02 * max(ratio, 1) + 0.02


def encode(im: Image.Image, fmt: str = "JPEG", **params) -> bytes:
    out = io.BytesIO()
    im.save(out, fmt, **params)
    return out.getvalue()


def two_halves(size=(1200, 800), left=RED, right=BLUE) -> Image.Image:
    im = Image.new("RGB", size, right)
    ImageDraw.Draw(im).rectangle((0, 0, size[0] // 2 - 1, size[1]), fill=left)
    return im


def gps_exif(orientation: int = 1) -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Orientation] = orientation
    exif[ExifTags.Base.Make] = "PhoneMaker"
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 45.0, 21.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (37.0, 37.0, 4.0)
    return exif


def pixel(data: bytes, fx: float, fy: float) -> tuple[int, ...]:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGB").getpixel((int(fx * (im.width - 1)), int(fy * (im.height - 1))))


def mean_colour(data: bytes) -> list[float]:
    with Image.open(io.BytesIO(data)) as im:
        assert im.mode == "RGB"
        return [sum(count * value for value, count in enumerate(band.histogram()))
                / (im.width * im.height) for band in im.split()]


def near(colour, expected, tolerance=40) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))


def png_header_only(width: int, height: int) -> bytes:
    """A PNG that declares a size in its header and carries almost no data."""

    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body)
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
            + chunk(b"IDAT", zlib.compress(b"\x00" * 1024)) + chunk(b"IEND", b""))


DEFAULT = UploadLimits()


def refusal(data: bytes, limits: UploadLimits = DEFAULT, filename=None) -> ImageRejected:
    with pytest.raises(ImageRejected) as caught:
        process_image(data, filename, limits)
    assert caught.value.code in get_args(RefusalCode)
    assert str(caught.value).strip()
    return caught.value


# --- every wild file: accepted and clean, or refused with a message -------------------------

WILD_FILES = sorted(path for path in WILD.iterdir() if path.is_file())
LIMITS = {"default": UploadLimits(), "any-size": UploadLimits(min_short_edge=1)}


@pytest.mark.parametrize("limits", LIMITS.values(), ids=LIMITS.keys())
@pytest.mark.parametrize("path", WILD_FILES, ids=[path.name for path in WILD_FILES])
def test_wild_image_is_accepted_clean_or_refused_with_a_message(path, limits):
    data = path.read_bytes()
    try:
        image = process_image(data, path.name, limits)
    except ImageRejected as rejected:
        assert rejected.code in get_args(RefusalCode)
        assert str(rejected.message).strip()
        return
    assert (image.sha256, image.original_bytes) == (hashlib.sha256(data).hexdigest(), len(data))
    assert_clean_derivatives(image, limits)


def test_wild_images_cover_the_awkward_cases():
    outcomes = {}
    for path in WILD_FILES:
        try:
            outcomes[path.name] = process_image(path.read_bytes(), path.name, LIMITS["any-size"])
        except ImageRejected as rejected:
            outcomes[path.name] = rejected.code
    accepted = [o for o in outcomes.values() if isinstance(o, ProcessedImage)]
    assert {o.format for o in accepted} >= {"JPEG", "MPO", "PNG", "HEIF", "WEBP", "TIFF", "BMP",
                                            "GIF"}
    assert outcomes["decompression_bomb.gif"] == "too_many_pixels"
    assert outcomes["l2rgb_read.bmp"] == "too_many_pixels"  # in Pillow's warning range
    assert outcomes["bmp__b__reallybig.bmp"] == "too_many_pixels"
    assert outcomes["truncated_jpeg.jpg"] == "corrupt"
    assert outcomes["png_decompression_dos.png"] == "corrupt"
    assert outcomes["README.md"] == "not_an_image"
    assert outcomes["avif__hopper.avif"] == "unsupported_format"
    assert isinstance(outcomes["pil_sample_cmyk.jpg"], ProcessedImage)
    assert isinstance(outcomes["hopper.Lab.tif"], ProcessedImage)


# --- privacy: nothing of the camera's metadata survives ------------------------------------


def test_gps_exif_xmp_and_comment_are_gone_from_every_derivative():
    xmp = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/>Family Ivanov</x:xmpmeta>'
    data = encode(two_halves(), exif=gps_exif(), xmp=xmp, comment=b"Masha, Tula")
    with Image.open(io.BytesIO(data)) as source:  # the test photo really carries them
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
        assert "xmp" in source.info and source.info["comment"] == b"Masha, Tula"
    image = process_image(data, "IMG_0001.JPG")
    for derivative in (image.print_master, image.preview, image.thumbnail):
        with Image.open(io.BytesIO(derivative)) as im:
            assert not im.getexif()
            assert not {"exif", "xmp", "comment", "photoshop"} & im.info.keys()
        for secret in (b"Exif", b"Ivanov", b"Masha", b"PhoneMaker"):
            assert secret not in derivative
    assert_clean_derivatives(image, UploadLimits())
    assert not hasattr(image, "original")  # the uploaded file is not kept at all


def test_gps_is_gone_from_a_heic_phone_photo():
    data = encode(two_halves(), "HEIF", exif=gps_exif(), quality=90)
    with Image.open(io.BytesIO(data)) as source:
        assert source.getexif().get_ifd(ExifTags.IFD.GPSInfo)
    image = process_image(data, "IMG_0002.HEIC")
    assert (image.format, image.content_type, image.extension) == ("HEIF", "image/heif", "heic")
    for derivative in (image.print_master, image.preview, image.thumbnail):
        assert b"Exif" not in derivative and b"PhoneMaker" not in derivative
    assert_clean_derivatives(image, UploadLimits())


# --- orientation and colour ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("orientation", "size", "red_at", "blue_at"),
    [
        (1, (1200, 800), (0.25, 0.5), (0.75, 0.5)),
        (3, (1200, 800), (0.75, 0.5), (0.25, 0.5)),
        (6, (800, 1200), (0.5, 0.25), (0.5, 0.75)),
        (8, (800, 1200), (0.5, 0.75), (0.5, 0.25)),
    ],
)
def test_exif_orientation_is_applied(orientation, size, red_at, blue_at):
    image = process_image(encode(two_halves(), exif=gps_exif(orientation)))
    assert (image.width, image.height) == size
    for derivative in (image.print_master, image.preview, image.thumbnail):
        assert near(pixel(derivative, *red_at), RED)
        assert near(pixel(derivative, *blue_at), BLUE)
        with Image.open(io.BytesIO(derivative)) as im:
            assert (im.width > im.height) == (size[0] > size[1])


def test_cmyk_jpeg_comes_out_as_rgb_with_its_colours():
    cmyk = Image.new("CMYK", (1000, 700), (0, 0, 0, 0))  # white paper
    ImageDraw.Draw(cmyk).rectangle((0, 0, 499, 699), fill=(0, 230, 230, 0))  # red
    image = process_image(encode(cmyk, quality=95))
    with Image.open(io.BytesIO(image.print_master)) as im:
        assert im.mode == "RGB"
    assert near(pixel(image.print_master, 0.25, 0.5), (255, 25, 25))
    assert near(pixel(image.print_master, 0.75, 0.5), WHITE, 10)


def test_adobe_cmyk_photo_matches_its_rgb_twin():
    any_size = UploadLimits(min_short_edge=1)
    from_cmyk = process_image((WILD / "pil_sample_cmyk.jpg").read_bytes(), None, any_size)
    from_rgb = process_image((WILD / "pil_sample_rgb.jpg").read_bytes(), None, any_size)
    assert near(mean_colour(from_cmyk.preview), mean_colour(from_rgb.preview), 12)


def test_embedded_icc_profile_is_honoured():
    """An Adobe RGB photo is converted to sRGB, not just relabelled."""
    data = (WILD / "xmp_test.jpg").read_bytes()
    image = process_image(data)
    with Image.open(io.BytesIO(data)) as source:
        icc = source.info["icc_profile"]
        naive = source.convert("RGB")
        expected = ImageCms.profileToProfile(
            source, ImageCms.ImageCmsProfile(io.BytesIO(icc)), ImageCms.createProfile("sRGB"),
            outputMode="RGB")
    size = (200, 107)
    with Image.open(io.BytesIO(image.print_master)) as im:
        got = im.resize(size)
    diff_expected = sum(abs(a - b) for a, b in zip(got.tobytes(), expected.resize(size).tobytes(),
                                                     strict=True))
    diff_naive = sum(abs(a - b) for a, b in zip(got.tobytes(), naive.resize(size).tobytes(),
                                                  strict=True))
    assert diff_expected * 3 < diff_naive


def test_sixteen_bit_greyscale_is_scaled_not_clipped():
    ramp = Image.new("I;16", (1024, 600))
    ramp.frombytes(b"".join(struct.pack("<H", x * 64) for x in range(1024)) * 600)
    image = process_image(encode(ramp, "PNG"))
    mid = pixel(image.print_master, 0.5, 0.5)
    assert near(mid, (128, 128, 128), 6)
    assert near(pixel(image.print_master, 0.02, 0.5), (5, 5, 5), 6)


@pytest.mark.parametrize("fmt", ["PNG", "GIF"])
def test_palette_transparency_is_flattened_on_white(fmt):
    im = Image.new("P", (900, 600), 0)
    im.putpalette([0, 0, 0, *RED] + [0] * 762)
    ImageDraw.Draw(im).rectangle((0, 0, 449, 599), fill=1)
    image = process_image(encode(im, fmt, transparency=0))
    assert near(pixel(image.print_master, 0.25, 0.5), RED, 8)
    assert near(pixel(image.print_master, 0.75, 0.5), WHITE, 3)


@pytest.mark.parametrize("mode", ["RGBA", "LA"])
def test_alpha_is_flattened_on_white(mode):
    im = Image.new("RGBA", (900, 600), (0, 0, 0, 0))
    ImageDraw.Draw(im).rectangle((0, 0, 449, 599), fill=(*RED, 255))
    image = process_image(encode(im.convert(mode), "PNG"))
    assert near(pixel(image.preview, 0.75, 0.5), WHITE, 3)
    assert not near(pixel(image.preview, 0.25, 0.5), WHITE, 30)


def test_animated_gif_keeps_its_first_frame():
    frames = [Image.new("RGB", (600, 400), colour) for colour in (RED, BLUE)]
    data = encode(frames[0], "GIF", save_all=True, append_images=frames[1:])
    assert near(pixel(process_image(data).preview, 0.5, 0.5), RED, 30)


def test_one_bit_scan_is_accepted():
    im = Image.new("1", (2480, 3508), 1)
    ImageDraw.Draw(im).ellipse((400, 400, 2000, 3000), outline=0, width=30)
    image = process_image(encode(im, "TIFF", compression="group4"))
    assert image.effective_dpi >= 200 and not image.warnings
    assert near(pixel(image.print_master, 0.5, 0.5), WHITE, 3)


# --- names, formats and refusals -----------------------------------------------------------


@pytest.mark.parametrize("name", ["../../x.jpg", "..\\..\\x.jpg", "/etc/x.jpg", "C:\\tmp\\x.jpg"])
def test_a_path_in_the_filename_is_harmless(name, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    image = process_image(encode(two_halves()), name)
    assert image.display_name == "x.jpg"
    assert list(tmp_path.iterdir()) == []  # the pipeline itself writes nothing anywhere


def test_display_name_drops_control_and_bidi_characters():
    assert display_name("drawing\u202egpj.exe") == "drawinggpj.exe"
    assert display_name("a\x00b\nc.png") == "abc.png"
    assert display_name(None) == ""


def test_format_comes_from_the_content_not_the_extension():
    image = process_image(encode(two_halves(), "PNG"), "drawing.jpg")
    assert (image.format, image.content_type, image.extension) == ("PNG", "image/png", "png")
    webp = process_image(encode(two_halves(), "WEBP"), "drawing.gif")
    assert webp.format == "WEBP"


def test_content_that_is_not_an_image_is_refused_whatever_its_name():
    rejected = refusal(b"Hello, this is a letter to the jury." * 10, filename="drawing.jpg")
    assert rejected.code == "not_an_image"
    assert "JPEG, PNG, HEIC/HEIF" in str(rejected)


def test_other_formats_are_refused_by_name():
    rejected = refusal(b"%PDF-1.7\n" + b"0" * 500, filename="drawing.jpg")
    assert rejected.code == "unsupported_format"
    assert str(rejected).startswith("PDF files are not accepted")


def test_a_truncated_photo_is_refused_as_corrupt():
    data = encode(two_halves(), quality=90)
    rejected = refusal(data[: len(data) // 2])
    assert rejected.code == "corrupt" and "JPEG" in str(rejected)
    assert refusal(b"\x89PNG\r\n\x1a\n" + b"\x00" * 100).code == "corrupt"


def test_size_limits():
    data = encode(two_halves())
    assert refusal(b"").code == "empty"
    assert refusal(data, UploadLimits(max_bytes=len(data) - 1)).code == "too_large"
    assert refusal(encode(two_halves((400, 250)))).code == "too_small"


@pytest.mark.parametrize("size", [(9000, 9000), (10000, 10000), (30000, 30000), (2**31 - 1, 2)])
def test_too_many_pixels_are_refused_from_the_header(size):
    # 81 MP is over our limit, 100 MP in Pillow's warning range, 900 MP over its error limit.
    rejected = refusal(png_header_only(*size))
    assert rejected.code == "too_many_pixels"
    assert "80 megapixels" in str(rejected)


def test_limits_cannot_exceed_pillows_bomb_guard():
    with pytest.raises(ValueError, match="MAX_IMAGE_PIXELS"):
        UploadLimits(max_pixels=Image.MAX_IMAGE_PIXELS + 1)


# --- sizes and resolution ------------------------------------------------------------------


def test_big_photo_is_shrunk_to_the_print_edge_and_small_one_never_enlarged():
    big = process_image(encode(two_halves((6000, 4000)), quality=80))
    assert (big.width, big.height) == (6000, 4000)
    assert max(big.print_size) <= 4961 and max(big.preview_size) == 1600
    assert max(big.thumbnail_size) == 400
    small = process_image(encode(two_halves((500, 350))))
    assert small.print_size == small.preview_size == (500, 350)
    assert max(small.thumbnail_size) == 400


def test_effective_dpi_and_the_low_resolution_warning():
    assert effective_dpi((2244, 1594), (190, 135)) == 299
    assert effective_dpi((1594, 2244), (190, 135)) == 422  # a portrait drawing fits by height
    low = process_image(encode(two_halves((1200, 900))))
    assert low.effective_dpi == 169
    assert len(low.warnings) == 1 and "169 dpi" in str(low.warnings[0])
    good = process_image(encode(two_halves((2400, 1700))))
    assert good.effective_dpi >= 200 and good.warnings == ()


def test_twenty_parallel_uploads_are_all_processed():
    photos = [encode(two_halves((1000 + i, 800), left=(10 * i, 20, 20))) for i in range(20)]
    with ThreadPoolExecutor(max_workers=20) as pool:
        images = list(pool.map(process_image, photos))
    assert len({image.sha256 for image in images}) == 20
    for i, image in enumerate(images):
        assert image.width == 1000 + i
        assert_clean_derivatives(image, UploadLimits())


# --- moderation helpers --------------------------------------------------------------------


def test_redact_masks_boxes_and_leaves_the_rest():
    image = process_image(encode(two_halves((1600, 1000))))
    masked = redact(image.print_master, [(0.0, 0.8, 0.3, 0.2), (0.9, 0.0, 0.5, 0.1)])
    assert near(pixel(masked, 0.1, 0.9), (128, 128, 128), 6)
    assert near(pixel(masked, 0.1, 0.5), RED)
    assert near(pixel(masked, 0.9, 0.9), BLUE)
    assert near(pixel(masked, 1.0, 0.0), (128, 128, 128), 6)  # cut at the edge
    assert near(pixel(masked, 0.85, 0.05), BLUE)
    assert near(pixel(image.print_master, 0.1, 0.9), RED)  # the given copy is untouched
    assert all(marker in (0xE0, 0xE2) for marker, _ in jpeg_segments(masked) if
               0xE0 <= marker <= 0xEF)
    with pytest.raises(ValueError):
        redact(image.print_master, [(0.5, 0.5, 0.0, 0.3)])
    with pytest.raises(ValueError):
        redact(image.print_master, [(1.0, 0.5, 0.1, 0.3)])


def test_rotate_turns_clockwise():
    image = process_image(encode(two_halves((1600, 1000))))
    turned = rotate(image.preview, 90)
    with Image.open(io.BytesIO(turned)) as im:
        assert im.size == (image.preview_size[1], image.preview_size[0])
    assert near(pixel(turned, 0.5, 0.2), RED) and near(pixel(turned, 0.5, 0.8), BLUE)
    assert near(pixel(rotate(image.preview, -90), 0.5, 0.8), RED)
    assert near(pixel(rotate(image.preview, 180), 0.2, 0.5), BLUE)
    with pytest.raises(ValueError):
        rotate(image.preview, 45)


def test_boxes_turn_with_their_image():
    box = (0.1, 0.7, 0.3, 0.15)  # bottom left, wide
    assert rotate_boxes([box], 90) == [pytest.approx((0.15, 0.1, 0.15, 0.3))]  # top left, tall
    assert rotate_boxes([box], 180) == [pytest.approx((0.6, 0.15, 0.3, 0.15))]
    assert rotate_boxes([box], -90) == [pytest.approx((0.7, 0.6, 0.15, 0.3))]
    assert rotate_boxes(rotate_boxes([box], 90), 270) == [pytest.approx(box)]
    assert rotate_boxes([box], 360) == [pytest.approx(box)] and rotate_boxes([], 90) == []
    with pytest.raises(ValueError):
        rotate_boxes([box], 45)


# --- bombs: refused before decoding, in bounded memory ------------------------------------

BOMB_SCRIPT = """
import resource, sys
from pathlib import Path
from contest.uploads import ImageRejected, process_image
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
for path in sys.argv[1:]:
    try:
        process_image(Path(path).read_bytes())
        print("accepted")
    except ImageRejected as rejected:
        print(rejected.code)
after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print((after - before) / 1024)
"""


def test_bombs_are_refused_before_decoding_with_bounded_memory(tmp_path):
    bombs = [WILD / name for name in ("decompression_bomb.gif", "bmp__b__reallybig.bmp",
                                      "bmp__b__badwidth.bmp", "l2rgb_read.bmp")]
    for width, height in [(9000, 9000), (12000, 12000), (65535, 65535), (2**31 - 1, 2**31 - 1)]:
        bombs.append(tmp_path / f"{width}x{height}.png")
        bombs[-1].write_bytes(png_header_only(width, height))
    run = subprocess.run([sys.executable, "-W", "error", "-c", BOMB_SCRIPT, *map(str, bombs)],
                         capture_output=True, text=True, timeout=120, check=True,
                         cwd=Path(__file__).resolve().parents[2])
    *codes, growth_mb = run.stdout.split("\n")[:-1]
    assert codes == ["too_many_pixels"] * len(bombs)
    assert float(growth_mb) < 50  # not one of them was decoded: each would take gigabytes


@pytest.mark.parametrize(("head", "kind"), [
    (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00mif1heic", "HEIF"),
    (b"\x00\x00\x00\x1cftypavif\x00\x00\x00\x00avifmif1miaf", "AVIF"),
    (b"\x00\x00\x00\x1cftypmif1\x00\x00\x00\x00mif1avifmiaf", "AVIF"),
    (b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2", "Video"),
    (b"RIFF\x00\x00\x00\x00WEBPVP8 ", "WEBP"),
    (b"%PDF-1.4", "PDF"),
    (b"  <svg xmlns=", "SVG"),
    (b"Dear jury", None),
])
def test_sniff_names_what_a_file_looks_like(head, kind):
    assert sniff(head) == kind


def test_a_video_is_refused_by_name():
    rejected = refusal(b"\x00\x00\x00\x18ftypisom\x00\x00\x02\x00isomiso2" + b"\x00" * 200)
    assert rejected.code == "unsupported_format" and str(rejected).startswith("Video files")


def test_the_upload_warns_where_the_calendar_does():
    """One setting: a family is told at upload exactly when the calendar would print the
    drawing soft (calendar_builder.GOOD_DPI), and refused there only below MIN_DPI."""
    from calendar_builder import GOOD_DPI

    assert UploadLimits().min_dpi == GOOD_DPI
