"""Large JPEGs decoded by libjpeg-turbo at a reduced scale in eighths: only where that is
exactly the Pillow path (RGB or grey, sRGB or untagged, turned as EXIF says), the same
drawing within rounding; every other file keeps the Pillow path."""

import io
import threading
from pathlib import Path

import pytest
from PIL import Image, ImageChops, ImageCms, ImageStat

import calendar_builder.images as images
from calendar_builder.images import DrawingError, prepare_image

from . import icc
from .test_images import CMYK_PROFILE, reference, stats

SRGB = ImageCms.ImageCmsProfile(ImageCms.createProfile("sRGB")).tobytes()
REDUCTION = 1.75  # a 24-megapixel drawing fitted to an A3 page is reduced about this much


class Spy:
    """Records simplejpeg's decodings: the colour space asked for and the size decoded."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch) -> None:
        self.decoded: list[tuple[str, tuple[int, int]]] = []
        decode = images.simplejpeg.decode_jpeg

        def spying(data: bytes, **options: object):
            pixels = decode(data, **options)
            self.decoded.append((str(options["colorspace"]), (pixels.shape[1], pixels.shape[0])))
            return pixels

        monkeypatch.setattr(images.simplejpeg, "decode_jpeg", spying)


def smooth(size: tuple[int, int]) -> Image.Image:
    """Red darkens downwards, green across, blue from the centre: every turn shows."""
    return Image.merge("RGB", [Image.linear_gradient("L").resize(size),
                               Image.linear_gradient("L").rotate(90).resize(size),
                               Image.radial_gradient("L").resize(size)])


def placed_reduced(pixels: tuple[int, int]) -> tuple[float, float]:
    """A box the drawing is too sharp for: it is reduced to 300 ppi, as on a page."""
    return pixels[0] / 300 / REDUCTION, pixels[1] / 300 / REDUCTION


def pillow_path(path: Path, placed: tuple[float, float],
                monkeypatch: pytest.MonkeyPatch) -> Image.Image:
    """The drawing prepared with libjpeg-turbo refusing every file: the Pillow path."""
    with monkeypatch.context() as patch:
        def refuse(*args: object, **options: object):
            raise ValueError("refused by the test")

        patch.setattr(images.simplejpeg, "decode_jpeg_header", refuse)
        return Image.open(io.BytesIO(prepare_image(path, placed).data))


def mean_difference(a: Image.Image, b: Image.Image) -> float:
    return max(ImageStat.Stat(ImageChops.difference(a.convert("RGB"), b.convert("RGB"))).mean)


@pytest.mark.parametrize("orientation", [1, 3, 6, 8])
@pytest.mark.parametrize("profile", [None, SRGB], ids=["untagged", "srgb"])
def test_a_large_srgb_jpeg_is_decoded_reduced_and_matches_the_pillow_path(
        orientation: int, profile: bytes | None, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    stored = (2400, 1600)
    exif = Image.Exif()
    exif[0x0112] = orientation
    path = tmp_path / "drawing.jpg"
    smooth(stored).save(path, quality=92, exif=exif, **({"icc_profile": profile} if profile
                                                         else {}))
    upright = stored[::-1] if orientation in (6, 8) else stored
    placed = placed_reduced(upright)
    spy = Spy(monkeypatch)
    prepared = prepare_image(path, placed)
    target = prepared.pixels
    assert target == images.target_pixels(upright, placed) and prepared.resampled
    # Decoded at 5/8 in the file's own orientation: enough for the target, far less than all.
    (colorspace, decoded), = spy.decoded
    needed = target[::-1] if orientation in (6, 8) else target
    assert colorspace == "RGBX" and decoded == (1500, 1000)
    assert decoded[0] >= needed[0] and decoded[1] >= needed[1]
    fast = Image.open(io.BytesIO(prepared.data))
    slow = pillow_path(path, placed, monkeypatch)
    assert fast.size == slow.size == target and fast.mode == "RGB"
    assert mean_difference(fast, slow) < 2
    assert mean_difference(fast, slow.transpose(Image.Transpose.ROTATE_180)) > 20  # a wrong turn
    drawn = smooth(stored)
    drawn = drawn.transpose(images.UPRIGHT[orientation]) if orientation != 1 else drawn
    assert mean_difference(fast, drawn.resize(target, Image.Resampling.LANCZOS)) < 2


def test_a_grey_jpeg_is_decoded_grey_and_made_rgb(tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "grey.jpg"
    smooth((2400, 1600)).convert("L").save(path, quality=92)
    spy = Spy(monkeypatch)
    prepared = prepare_image(path, placed_reduced((2400, 1600)))
    assert [colorspace for colorspace, _ in spy.decoded] == ["GRAY"]
    fast = Image.open(io.BytesIO(prepared.data))
    assert fast.mode == "RGB"
    assert mean_difference(fast, pillow_path(path, placed_reduced((2400, 1600)),
                                             monkeypatch)) < 2


def test_a_progressive_jpeg_takes_the_reduced_decoding_too(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path = tmp_path / "progressive.jpg"
    smooth((2400, 1600)).save(path, quality=92, progressive=True)
    spy = Spy(monkeypatch)
    prepared = prepare_image(path, placed_reduced((2400, 1600)))
    assert len(spy.decoded) == 1
    assert mean_difference(Image.open(io.BytesIO(prepared.data)),
                           pillow_path(path, placed_reduced((2400, 1600)), monkeypatch)) < 2


def converted_jpeg(tmp: Path, name: str, profile: bytes | Path) -> tuple[Path, Image.Image]:
    """The reference drawing converted from sRGB to ``profile`` and saved tagged with it."""
    image = reference().resize((720, 480))
    target = ImageCms.ImageCmsProfile(io.BytesIO(profile) if isinstance(profile, bytes)
                                      else str(profile))
    mode = "CMYK" if isinstance(profile, Path) else "RGB"
    converted = ImageCms.profileToProfile(image, ImageCms.createProfile("sRGB"), target,
                                          outputMode=mode)
    icc_bytes = profile if isinstance(profile, bytes) else profile.read_bytes()
    path = tmp / name
    converted.save(path, quality=95, icc_profile=icc_bytes)
    return path, image


def jpeg_adobe_rgb(tmp: Path) -> tuple[Path, Image.Image]:
    return converted_jpeg(tmp, "adobe.jpg", icc.adobe_rgb())


def jpeg_display_p3(tmp: Path) -> tuple[Path, Image.Image]:
    return converted_jpeg(tmp, "p3.jpg", icc.display_p3())


def jpeg_cmyk_with_profile(tmp: Path) -> tuple[Path, Image.Image]:
    if not CMYK_PROFILE.exists():
        pytest.skip(f"{CMYK_PROFILE} is not installed (Debian: ghostscript)")
    return converted_jpeg(tmp, "cmyk.jpg", CMYK_PROFILE)


def jpeg_cmyk_without_profile(tmp: Path) -> tuple[Path, Image.Image]:
    image = reference().resize((720, 480))
    path = tmp / "cmyk-plain.jpg"
    image.convert("CMYK").save(path, quality=95)
    return path, image


@pytest.mark.parametrize("kind", [jpeg_adobe_rgb, jpeg_display_p3, jpeg_cmyk_with_profile,
                                  jpeg_cmyk_without_profile])
def test_other_colour_spaces_keep_the_pillow_path_and_their_tones(
        kind, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    path, expected = kind(tmp_path)
    spy = Spy(monkeypatch)
    placed = placed_reduced(expected.size)
    prepared = prepare_image(path, placed)
    assert spy.decoded == []
    with Image.open(io.BytesIO(prepared.data)) as out:
        got = stats(out)
    want = stats(expected.resize(prepared.pixels, Image.Resampling.LANCZOS))
    tolerance = 4.0 if path.name == "cmyk.jpg" else 2.5  # the press's gamut is smaller
    assert got == pytest.approx(want, abs=tolerance), (got, want)


def test_a_file_libjpeg_turbo_refuses_is_judged_by_the_pillow_path(tmp_path: Path) -> None:
    whole = tmp_path / "whole.jpg"
    smooth((2400, 1600)).save(whole, quality=92)
    cut = tmp_path / "cut.jpg"
    cut.write_bytes(whole.read_bytes()[: whole.stat().st_size // 2])
    with pytest.raises(DrawingError, match=r"^cut.jpg: the file cannot be read"):
        prepare_image(cut, placed_reduced((2400, 1600)))


def test_two_reduced_drawings_are_held_at_once_a_whole_one_alone() -> None:
    held = images._DecodedPixels(24_000_000)
    entered = threading.Event()

    def whole() -> None:
        with held.holding(24_000_000):
            entered.set()

    with held.holding(9_375_000):
        with held.holding(9_375_000):  # a second reduced one does not wait
            waiting = threading.Thread(target=whole)
            waiting.start()
            assert not entered.wait(0.2)
        assert not entered.wait(0.05)
    waiting.join()
    assert entered.is_set()
