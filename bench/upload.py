"""Time to ingest a 12-megapixel phone JPEG, against the bare Pillow work on the same file.

The photo is made here, seeded: 4032 x 3024 (a 12 MP phone camera), textured like a photo
of a drawing, saved as a phone does (quality 90, 4:2:0) with EXIF orientation 6 and a GPS
position. The bare work is what any ingest must do at least: decode, turn upright, resize
to the same three sizes and encode them with the same settings. ``process_image`` adds the
checks, the colour handling and the hash on top. Target: at most 1.5 times the bare work.

When the folder of real-world images is found (``WILD_IMAGES``, or ``shared/wild-images``
beside the checkout, as for tests/uploads), the same photo is also timed with the Display P3
profile an iPhone embeds, which the pipeline converts to sRGB.

    .venv/bin/python -m bench.upload [--runs 7]
"""

import argparse
import io
import os
import random
import statistics
import time
from collections.abc import Callable
from pathlib import Path

from PIL import ExifTags, Image, ImageDraw, ImageFilter, ImageOps

from contest.uploads import ProcessedImage, UploadLimits, process_image

TARGET_RATIO = 1.5
SIZE = (4032, 3024)
WILD = Path(os.environ.get("WILD_IMAGES")
            or Path(__file__).resolve().parents[2] / "shared" / "wild-images")


def phone_photo(icc_profile: bytes | None = None, seed: int = 1) -> bytes:
    """A 12 MP JPEG like a phone's photo of a drawing, with orientation 6 and GPS in EXIF."""
    rng = random.Random(seed)
    width, height = SIZE
    grain = Image.frombytes("L", (width // 4, height // 4), rng.randbytes(width * height // 16))
    paper = Image.merge("RGB", [
        Image.blend(Image.linear_gradient("L").resize(SIZE), grain.resize(SIZE), 0.25),
        Image.blend(Image.radial_gradient("L").resize(SIZE), grain.resize(SIZE), 0.2),
        grain.resize(SIZE, Image.Resampling.BICUBIC),
    ]).filter(ImageFilter.GaussianBlur(1))
    draw = ImageDraw.Draw(paper)
    for _ in range(120):  # crayon strokes
        x, y = rng.randrange(width), rng.randrange(height)
        colour = tuple(rng.randrange(256) for _ in range(3))
        draw.line([(x, y), (x + rng.randrange(-900, 900), y + rng.randrange(-900, 900))],
                  fill=colour, width=rng.randrange(8, 40))
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef], gps[ExifTags.GPS.GPSLatitude] = "N", (55.0, 45.0, 21.0)
    gps[ExifTags.GPS.GPSLongitudeRef], gps[ExifTags.GPS.GPSLongitude] = "E", (37.0, 37.0, 4.0)
    out = io.BytesIO()
    paper.save(out, "JPEG", quality=90, subsampling="4:2:0", exif=exif, icc_profile=icc_profile)
    return out.getvalue()


def bare_work(data: bytes, image: ProcessedImage, limits: UploadLimits) -> None:
    """Decode, turn upright, resize to the pipeline's three sizes, encode: nothing else."""
    sizes = (image.print_size, image.preview_size, image.thumbnail_size)
    qualities = (limits.print_quality, limits.preview_quality, limits.thumbnail_quality)
    with Image.open(io.BytesIO(data)) as current:
        ImageOps.exif_transpose(current, in_place=True)
        for size, quality in zip(sizes, qualities, strict=True):
            if current.size != size:
                current = current.resize(size, Image.Resampling.LANCZOS, reducing_gap=3.0)
            current.save(io.BytesIO(), "JPEG", quality=quality,
                         subsampling="4:4:4" if quality >= 90 else "4:2:0")


def median_seconds(work: Callable[[], object], runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def compare(label: str, data: bytes, runs: int) -> float:
    """Print the pipeline's and the bare work's median times on ``data``; return the ratio."""
    limits = UploadLimits()
    image = process_image(data, "IMG_0001.JPG", limits)
    ingest = median_seconds(lambda: process_image(data, "IMG_0001.JPG", limits), runs)
    bare = median_seconds(lambda: bare_work(data, image, limits), runs)
    ratio = ingest / bare
    print(f"{label}: {len(data) / 1e6:.1f} MB, {SIZE[0]} x {SIZE[1]} stored, upright "
          f"{image.width} x {image.height}, print {image.print_size[0]} x "
          f"{image.print_size[1]}, {image.effective_dpi} dpi in the calendar box")
    print(f"  process_image  {ingest * 1000:8.1f} ms (median of {runs})")
    print(f"  bare Pillow    {bare * 1000:8.1f} ms (decode, transpose, resize, encode)")
    print(f"  ratio          {ratio:8.2f}  (target at most {TARGET_RATIO})")
    return ratio


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs
    ratio = compare("12 MP phone JPEG, no profile", phone_photo(), runs)
    print("within target" if ratio <= TARGET_RATIO else "OVER TARGET")
    p3_source = WILD / "frame_size.mpo"
    if p3_source.exists():
        with Image.open(p3_source) as source:
            p3 = source.info["icc_profile"]
        compare("same photo with Display P3 profile (converted to sRGB)", phone_photo(p3), runs)


if __name__ == "__main__":
    main()
