"""``flask storage strip-metadata``: an installation from before no stored file carried
metadata is cleaned of the originals it kept and of any metadata in its images, losslessly."""

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image, ImageChops, PngImagePlugin

from contest.extensions import db
from contest.models import Phase
from contest.uploads import files
from contest.uploads.metadata import strip_jpeg, strip_png, stripped

from .test_stored_metadata import WILD, XMP, _gps_exif, metadata_in, phone_photos


def snapshot(app) -> dict[str, str]:
    root = Path(app.config["UPLOAD_FOLDER"])
    return {str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(root.rglob("*")) if p.is_file()}


def pixels(data: bytes) -> Image.Image:
    with Image.open(io.BytesIO(data)) as im:
        return im.convert("RGBA")


def same_pixels(a: bytes, b: bytes) -> bool:
    first, second = pixels(a), pixels(b)
    return first.size == second.size and ImageChops.difference(first, second).getbbox() is None


@pytest.fixture
def legacy_site(app, make):
    """Three drawings as an earlier version stored them: two with the family's original
    photo kept beside them (one whose derivatives went missing, turned by its coordinator),
    and one whose thumbnail carries EXIF, XMP and a trailer; a calendar preview PNG with text
    chunks; a PDF and a temporary file that are not to be touched."""
    contest = make.contest(phase=Phase.SUBMISSIONS_OPEN)
    kept, lost, dirty = (make.entry(contest, size=(1200, 900)) for _ in range(3))
    store = files.storage()
    photos = phone_photos(seed=7)
    store.put(f"{kept.image_key}/original", photos["IMG_0002.HEIC"])
    store.put(f"{lost.image_key}/original", photos["IMG_0001.JPG"])
    for name in ("print.jpg", "preview.jpg", "thumb.jpg"):
        store.delete(f"{lost.image_key}/{name}")
    lost.rotation = 90  # 900 × 640, turned upright by EXIF (portrait), then a quarter turn
    db.session.commit()
    thumb = Image.open(io.BytesIO(store.read(f"{dirty.image_key}/thumb.jpg")))
    out = io.BytesIO()
    thumb.save(out, "JPEG", exif=_gps_exif(), xmp=XMP, comment=b"Masha, Tula")
    store.put(f"{dirty.image_key}/thumb.jpg", out.getvalue() + b"PhoneMaker trailer")
    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    out = io.BytesIO()
    Image.new("RGB", (300, 200), "white").save(out, "PNG", pnginfo=text, exif=_gps_exif())
    store.put("calendar/previews/page-1.png", out.getvalue())
    store.put("jobs/1/calendar.pdf", b"%PDF-1.6 made by the app\n")
    Path(app.config["UPLOAD_FOLDER"], "jobs/1/.calendar.pdf.x1y2").write_bytes(b"half")
    return kept, lost, dirty


def test_a_dry_run_reports_and_changes_nothing(app, runner, legacy_site):
    before = snapshot(app)
    result = runner.invoke(args=["storage", "strip-metadata", "--dry-run"])
    assert result.exit_code == 0, result.output
    assert snapshot(app) == before
    kept, lost, dirty = legacy_site
    assert f"would remove {kept.image_key}/original" in result.output
    assert f"would strip {dirty.image_key}/thumb.jpg" in result.output
    assert ("Checked 10 files: 2 originals removed, 2 files stripped, 3 drawing files made "
            "from originals") in result.output
    assert "dry run: nothing was changed" in result.output


def test_cleaning_removes_originals_and_strips_losslessly(app, runner, legacy_site):
    kept, lost, dirty = legacy_site
    store = files.storage()
    dirty_thumb = store.read(f"{dirty.image_key}/thumb.jpg")
    dirty_png = store.read("calendar/previews/page-1.png")
    root = Path(app.config["UPLOAD_FOLDER"])
    dirty_files = [key for key in snapshot(app) if metadata_in((root / key).read_bytes())]
    assert len(dirty_files) == 4  # two originals, a thumbnail, a preview PNG

    result = runner.invoke(args=["storage", "strip-metadata"])
    assert result.exit_code == 0, result.output
    assert ("Checked 10 files: 2 originals removed, 2 files stripped, 3 drawing files made "
            "from originals") in result.output
    after = snapshot(app)
    assert not any(key.endswith("/original") for key in after)
    assert {key: metadata_in((root / key).read_bytes()) for key in after} == {
        key: set() for key in after}
    # Stripping rewrote the containers, not the images.
    assert same_pixels(dirty_thumb, store.read(f"{dirty.image_key}/thumb.jpg"))
    assert same_pixels(dirty_png, store.read("calendar/previews/page-1.png"))
    # The drawing whose files were missing was made again from its original, turned as before.
    with Image.open(io.BytesIO(store.read(f"{lost.image_key}/print.jpg"))) as print_master:
        assert print_master.size == (900, 640)
    assert store.read("jobs/1/calendar.pdf") == b"%PDF-1.6 made by the app\n"
    assert Path(app.config["UPLOAD_FOLDER"], "jobs/1/.calendar.pdf.x1y2").read_bytes() == b"half"

    again = runner.invoke(args=["storage", "strip-metadata"])
    assert again.exit_code == 0 and snapshot(app) == after
    assert "0 originals removed, 0 files stripped, 0 drawing files made" in again.output


def test_an_unreadable_original_without_its_drawing_is_kept_and_said(app, runner, make):
    entry = make.entry(make.contest(phase=Phase.SUBMISSIONS_OPEN))
    store = files.storage()
    store.put(f"{entry.image_key}/original", b"\xff\xd8\xff\xe1 not really a photo")
    store.delete(f"{entry.image_key}/print.jpg")
    result = runner.invoke(args=["storage", "strip-metadata"])
    assert result.exit_code == 1
    assert f"{entry.image_key}/original: kept" in result.output
    assert store.exists(f"{entry.image_key}/original")


# --- the lossless strippers on their own -------------------------------------------------


def test_jpeg_keeps_its_profile_and_adobe_segment_and_drops_the_rest():
    im = Image.new("CMYK", (64, 48), (10, 200, 30, 5))
    out = io.BytesIO()
    icc = b"\x00" * 128  # only carried, never read here
    im.save(out, "JPEG", exif=_gps_exif(), xmp=XMP, comment=b"Masha, Tula", icc_profile=icc)
    data = out.getvalue() + b"\xff\xd8 a second frame or a video"
    clean = strip_jpeg(data)
    assert clean is not None and metadata_in(clean) == set()
    assert b"ICC_PROFILE\x00" in clean and b"Adobe" in clean and clean.endswith(b"\xff\xd9")
    assert same_pixels(data, clean)
    assert strip_jpeg(clean) is None  # nothing left to remove


def test_png_keeps_what_shows_it_and_drops_text_and_exif():
    text = PngImagePlugin.PngInfo()
    text.add_text("Comment", "Masha, Tula")
    out = io.BytesIO()
    Image.new("RGBA", (30, 20), (1, 2, 3, 4)).save(out, "PNG", pnginfo=text, exif=_gps_exif(),
                                                   icc_profile=b"\x00" * 128)
    clean = strip_png(out.getvalue())
    assert clean is not None and metadata_in(clean) == set() and b"iCCP" in clean
    assert same_pixels(out.getvalue(), clean) and strip_png(clean) is None
    broken = bytearray(out.getvalue())
    broken[40] ^= 0xFF  # a checksum no longer matches: not rewritten blindly
    assert strip_png(bytes(broken)) is None


def test_every_wild_jpeg_and_png_with_metadata_is_stripped_to_the_same_pixels():
    if not WILD.is_dir():
        pytest.skip(f"{WILD} not found: set WILD_IMAGES")
    cleaned = 0
    for path in sorted(WILD.iterdir()):
        data = path.read_bytes() if path.is_file() else b""
        if not data.startswith((b"\xff\xd8\xff", b"\x89PNG")) or not metadata_in(data):
            continue
        clean = stripped(data)
        assert clean is not None, path.name
        assert metadata_in(clean) == set(), path.name
        try:
            original = pixels(data)
        except Exception:  # noqa: BLE001 - hostile files Pillow refuses: nothing to compare
            continue
        assert original.size and same_pixels(data, clean), path.name
        cleaned += 1
    assert cleaned >= 25
