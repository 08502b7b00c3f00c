"""No file the contest stores carries a family's metadata (GPS, EXIF, XMP, IPTC, comments),
whatever format a phone or a school sent and whichever way it came in (the public form, a
school's ZIP). Every file under the upload folder is scanned, not only the ones we expect."""

import io
import os
import random
import zipfile
from pathlib import Path

import pytest
from PIL import ExifTags, Image, ImageDraw, PngImagePlugin, TiffImagePlugin
from sqlalchemy import func, select

from contest.extensions import db
from contest.models import Entry, Phase, Role
from contest.uploads import ImageRejected, process_image

WILD = Path(os.environ.get("WILD_IMAGES")
            or Path(__file__).resolve().parents[2] / "shared" / "wild-images")

# What our own phone photos carry; none of it may be found in any stored file.
SECRETS = (b"PhoneMaker", b"Family Ivanov", b"Masha, Tula")
XMP = b'<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF/>Family Ivanov</x:xmpmeta>'
XMP_MARKS = (b"http://ns.adobe.com/xap", b"<x:xmpmeta", b"adobe:ns:meta")
_GPS_TAG = 34853


def metadata_in(data: bytes) -> set[str]:
    """Every kind of camera or editor metadata found in ``data``, by Pillow and by bytes."""
    found = {secret.decode() for secret in SECRETS if secret in data}
    if any(mark in data for mark in XMP_MARKS):
        found.add("XMP")
    if b"Exif\x00\x00" in data or b"Exif\x00\xff" in data:
        found.add("EXIF")
    try:
        with Image.open(io.BytesIO(data)) as im:
            exif = im.getexif()
            if exif:
                found.add("EXIF")
            if exif.get_ifd(ExifTags.IFD.GPSInfo) or _GPS_TAG in exif:
                found.add("GPS")
            if _GPS_TAG in getattr(im, "tag_v2", {}):
                found.add("GPS")
            found |= {key for key in ("exif", "xmp", "XML:com.adobe.xmp", "comment",
                                      "photoshop", "Comment") if im.info.get(key)}
    except Exception:  # noqa: BLE001 - not an image: the byte checks above and below still apply
        pass
    found |= set(_container_metadata(data))
    return found


def _container_metadata(data: bytes) -> list[str]:
    """Metadata blocks named by the file's own structure: JPEG APP1/APP13/COM segments, PNG
    text and EXIF chunks, WebP EXIF and XMP chunks."""
    kinds = []
    if data[:2] == b"\xff\xd8":
        i = 2
        while i + 4 <= len(data) and data[i] == 0xFF and data[i + 1] != 0xDA:
            marker = data[i + 1]
            if marker in (0xE1, 0xED, 0xFE):
                kinds.append(f"JPEG {marker:#x}")
            i += 2 + int.from_bytes(data[i + 2:i + 4], "big")
    elif data[:8] == b"\x89PNG\r\n\x1a\n":
        i = 8
        while i + 8 <= len(data):
            length, kind = int.from_bytes(data[i:i + 4], "big"), data[i + 4:i + 8]
            if kind in (b"eXIf", b"iTXt", b"tEXt", b"zTXt"):
                kinds.append(f"PNG {kind.decode()}")
            i += 12 + length
    elif data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        i = 12
        while i + 8 <= len(data):
            kind, length = data[i:i + 4], int.from_bytes(data[i + 4:i + 8], "little")
            if kind in (b"EXIF", b"XMP "):
                kinds.append(f"WebP {kind.decode()}")
            i += 8 + length + (length & 1)
    return kinds


def _drawing(seed: int) -> Image.Image:
    rnd = random.Random(seed)
    im = Image.new("RGB", (900, 640), (250, 248, 240))
    draw = ImageDraw.Draw(im)
    for _ in range(10):
        x, y, r = rnd.randrange(900), rnd.randrange(640), rnd.randrange(20, 160)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tuple(rnd.randrange(256) for _ in range(3)))
    return im


def _gps_exif() -> Image.Exif:
    exif = Image.Exif()
    exif[ExifTags.Base.Make] = "PhoneMaker"
    exif[ExifTags.Base.Orientation] = 6
    gps = exif.get_ifd(ExifTags.IFD.GPSInfo)
    gps[ExifTags.GPS.GPSLatitudeRef] = "N"
    gps[ExifTags.GPS.GPSLatitude] = (55.0, 45.0, 21.0)
    gps[ExifTags.GPS.GPSLongitudeRef] = "E"
    gps[ExifTags.GPS.GPSLongitude] = (37.0, 37.0, 4.0)
    return exif


def phone_photos(seed: int) -> dict[str, bytes]:
    """One GPS-tagged photo of a drawing in each format a phone or a computer writes."""
    photos = {}

    def save(name, fmt, **params):
        out = io.BytesIO()
        _drawing(seed + len(photos)).save(out, fmt, **params)
        photos[name] = out.getvalue()

    save("IMG_0001.JPG", "JPEG", exif=_gps_exif(), xmp=XMP, comment=b"Masha, Tula")
    save("IMG_0002.HEIC", "HEIF", exif=_gps_exif(), xmp=XMP, quality=85)
    save("IMG_0003.webp", "WEBP", exif=_gps_exif(), xmp=XMP, quality=85)
    text = PngImagePlugin.PngInfo()
    text.add_itxt("XML:com.adobe.xmp", XMP.decode())
    text.add_text("Comment", "Masha, Tula")
    save("scan_0004.png", "PNG", exif=_gps_exif(), pnginfo=text)
    tags = TiffImagePlugin.ImageFileDirectory_v2()
    tags[ExifTags.Base.Make] = "PhoneMaker"
    tags[700] = XMP  # XMP packet
    tags[_GPS_TAG] = {1: "N", 2: (55.0, 45.0, 21.0), 3: "E", 4: (37.0, 37.0, 4.0)}
    save("scan_0005.tif", "TIFF", tiffinfo=tags)  # Pillow's own writer: libtiff drops the GPS IFD
    second = _drawing(seed + 99)
    save("DSC_0006.MPO", "MPO", exif=_gps_exif(), save_all=True, append_images=[second])
    for name, data in photos.items():  # the test photos really carry what must go
        assert "GPS" in metadata_in(data), name
    return photos


def wild_photos_with_metadata() -> dict[str, bytes]:
    """The real-world files that carry metadata and that the contest accepts."""
    if not WILD.is_dir():
        pytest.skip(f"{WILD} not found: set WILD_IMAGES")
    chosen = {}
    for path in sorted(WILD.iterdir()):
        data = path.read_bytes() if path.is_file() else b""
        if not data or not metadata_in(data) - {"Comment"}:
            continue
        try:
            process_image(data, path.name)
        except ImageRejected:
            continue
        chosen[path.name] = data
    assert len(chosen) >= 20, sorted(chosen)
    return chosen


def stored_files(app) -> list[Path]:
    return sorted(p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file())


def assert_nothing_stored_carries_metadata(app) -> int:
    files = stored_files(app)
    assert files
    dirty = {str(p): sorted(found) for p in files if (found := metadata_in(p.read_bytes()))}
    assert dirty == {}
    return len(files)


def _form(make, n: int, name: str, data: bytes) -> dict:
    return {
        "region": make.region("RU-TA").id, "town": "Казань", "child_first_name": f"Маша{n}",
        "child_last_name": "Иванова", "birth_date": "", "age": "9", "institution": "",
        "teacher": "", "title": f"Рисунок {n}", "description": "", "guardian_name": "Иванова Анна",
        "guardian_email": f"anna{n}@example.org", "guardian_phone": "",
        "consent_personal_data": "y", "consent_print": "y", "image": (io.BytesIO(data), name),
    }


def _batch(make, photos: dict[str, bytes]) -> dict:
    rows = ["file;first_name;last_name;age;title;guardian_name;guardian_email;"
            "consent_personal_data;consent_print"]
    rows += [f"class/{name};Ученик{n};Петров;9;Рисунок {n};Петров П.;p{n}@example.org;да;да"
             for n, name in enumerate(photos)]
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as zf:
        for name, data in photos.items():
            zf.writestr(f"class/{name}", data)
    return {"region": make.region("RU-SPE").id, "town": "Санкт-Петербург",
            "institution": "Лицей 239", "teacher": "Петрова О. И.", "confirm": "y",
            "sheet": (io.BytesIO("\n".join(rows).encode("cp1251")), "class.csv"),
            "archive": (io.BytesIO(archive.getvalue()), "drawings.zip")}


def _post(client, url: str, data: dict, what: str) -> None:
    response = client.post(url, data=data)
    # werkzeug's test client leaves the temporary file of a large body open
    response.request.input_stream.close()
    assert response.status_code == 302, (what, response.data.decode()[-2000:])


def _entries() -> int:
    return db.session.scalar(select(func.count(Entry.id)))


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


def test_phone_photos_sent_by_the_form_leave_no_metadata_on_disk(app, client, make, contest):
    photos = phone_photos(seed=1)
    for n, (name, data) in enumerate(photos.items()):
        _post(client, "/submit", _form(make, n, name, data), name)
    assert _entries() == len(photos)
    assert assert_nothing_stored_carries_metadata(app) == 3 * len(photos)
    # the phone's orientation was applied before it was dropped: 900 × 640 turned upright
    jpeg_entry = db.session.scalar(select(Entry).where(Entry.child_first_name == "Маша0"))
    assert (jpeg_entry.width, jpeg_entry.height) == (640, 900)


def test_phone_photos_in_a_schools_zip_leave_no_metadata_on_disk(app, client, make, contest):
    photos = phone_photos(seed=50)
    _post(client, "/submit/batch", _batch(make, photos), "batch")
    assert _entries() == len(photos)
    assert assert_nothing_stored_carries_metadata(app) == 3 * len(photos)


def test_real_world_files_with_metadata_leave_none_on_disk(app, client, make, contest):
    photos = wild_photos_with_metadata()
    names = sorted(photos)
    by_form, by_zip = names[::2], names[1::2]
    for n, name in enumerate(by_form):
        _post(client, "/submit", _form(make, n, name, photos[name]), name)
    _post(client, "/submit/batch", _batch(make, {n: photos[n] for n in by_zip}), "batch")
    assert _entries() == len(photos)
    assert assert_nothing_stored_carries_metadata(app) == 3 * len(photos)


def test_turning_and_masking_a_drawing_keep_it_clean(app, client, make, login, contest):
    photo = phone_photos(seed=80)["IMG_0001.JPG"]
    _post(client, "/submit", _form(make, 0, "IMG_0001.JPG", photo), "photo")
    entry = db.session.scalar(select(Entry))
    login(make.user(Role.COORDINATOR, region=entry.stage.region))
    client.post(f"/coordinator/entries/{entry.id}/rotate", data={"degrees": "90"})
    client.post(f"/coordinator/entries/{entry.id}/masks", data={"x": 0, "y": 0, "w": 30, "h": 30})
    assert entry.rotation == 90 and entry.jury_masks
    assert assert_nothing_stored_carries_metadata(app) == 5
