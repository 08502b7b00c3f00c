"""Whatever is uploaded, the answer is a refusal or the codes: never a 5xx, a leftover file
or a half-saved batch. The hostile files come from tests/hostile_files.py."""

import io
import tempfile
import tracemalloc
from pathlib import Path

import pytest
from PIL import Image
from sqlalchemy import func, select

from contest import batch
from contest.extensions import db
from contest.models import Entry, Phase
from contest.uploads import pipeline

from . import hostile_files
from .factories import jpeg


@pytest.fixture
def contest(make):
    return make.contest(phase=Phase.SUBMISSIONS_OPEN)


@pytest.fixture
def spool(tmp_path, monkeypatch):
    """Temporary files (werkzeug's uploads, a batch's images) go here, to be checked after."""
    folder = tmp_path / "spool"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _leftovers(app, spool) -> list[Path]:
    kept = [p for p in Path(app.config["UPLOAD_FOLDER"]).rglob("*") if p.is_file()]
    return kept + list(spool.iterdir())


def _batch_form(make, sheet: Path, archive: Path | bytes):
    archive_file = (io.BytesIO(archive) if isinstance(archive, bytes) else archive.open("rb"))
    return {"region": make.region("RU-SPE").id, "town": "Санкт-Петербург",
            "institution": "Лицей 239", "teacher": "Петрова О. И.", "confirm": "y",
            "sheet": (sheet.open("rb"), sheet.name), "archive": (archive_file, "drawings.zip")}


def _small_zip() -> bytes:
    import zipfile

    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("a.jpg", jpeg(seed=1))
    return out.getvalue()


def _refused(app, client, spool, data, url="/submit/batch") -> str:
    response = client.post(url, data=data)
    # werkzeug's test client leaves the temporary file of a large body open (it closes it
    # only after following redirects).
    response.request.input_stream.close()
    assert response.status_code in (413, 422), response.status_code
    assert db.session.scalar(select(func.count(Entry.id))) == 0
    assert _leftovers(app, spool) == []
    assert len(response.data) < 100_000  # a screenful, never the input echoed back
    return response.data.decode()


def test_a_one_cell_300_mb_workbook_is_refused_unread(app, client, make, contest, spool,
                                                      tmp_path):
    sheet = hostile_files.xlsx_with_one_huge_cell(tmp_path / "class.xlsx")
    assert sheet.stat().st_size < 2 * 1024 * 1024
    page = _refused(app, client, spool, _batch_form(make, sheet, _small_zip()))
    assert "Список не читается как файл Excel" in page


def test_a_long_cell_within_the_workbooks_bounds_is_named_not_echoed(app, client, make, contest,
                                                                     spool, tmp_path):
    sheet = hostile_files.xlsx_with_one_huge_cell(tmp_path / "class.xlsx", size=2 * 1024 * 1024)
    page = _refused(app, client, spool, _batch_form(make, sheet, _small_zip()))
    assert "Ячейка в столбце A длиннее 1000 символов" in page and "xxxxxxxxxx" not in page


def test_a_million_row_workbook_is_refused(app, client, make, contest, spool, tmp_path):
    sheet = hostile_files.xlsx_with_rows(tmp_path / "class.xlsx")
    assert sheet.stat().st_size < 5 * 1024 * 1024  # within the list's upload cap
    page = _refused(app, client, spool, _batch_form(make, sheet, _small_zip()))
    assert "Список не читается как файл Excel" in page


def test_a_workbook_of_more_rows_than_a_batch_is_refused_while_reading(app, make, tmp_path):
    sheet = hostile_files.xlsx_with_rows(tmp_path / "class.xlsx", rows=5000, cells=9)
    with pytest.raises(batch.BatchError) as refused, sheet.open("rb") as file:
        batch.read_rows("class.xlsx", file)
    (problem,) = refused.value.problems
    assert problem.row == batch.MAX_ROWS + 2  # stopped at the first row too many


def test_a_200000_member_zip_is_refused_from_its_directory(app, client, make, contest, spool,
                                                           tmp_path):
    archive = hostile_files.zip_with_members(tmp_path / "drawings.zip")
    sheet = tmp_path / "class.csv"
    sheet.write_text(";".join(hostile_files.HEADER) + "\na.jpg;Аня;Петрова;8;Солнце;"
                     "Петрова М.;a@example.org;да;да\n")
    page = _refused(app, client, spool, _batch_form(make, sheet, archive))
    assert "В архиве больше 2000 файлов" in page


def test_300_rows_naming_one_25_mb_bitmap_are_refused_on_a_screen(app, client, make, contest,
                                                                   spool, tmp_path):
    sheet, archive = hostile_files.zip_of_one_bmp_named_by_rows(tmp_path)
    page = _refused(app, client, spool, _batch_form(make, sheet, archive))
    assert page.count("<tr>") <= batch.SHOWN_PROBLEMS + 1  # the problems and the header
    assert "ещё 271 проблема" in page


def test_a_16_bit_79_megapixel_png_is_refused_before_decoding(app, client, make, contest, spool,
                                                              tmp_path):
    from .test_submit import form

    png = hostile_files.png_16_bit(tmp_path / "drawing.png").read_bytes()
    assert len(png) < 1024 * 1024
    page = _refused(app, client, spool, form(make, image=png, filename="drawing.png"),
                    url="/submit")
    assert "слишком велико для обработки" in page


def test_a_body_over_its_declared_cap_is_refused_unread(app, client, contest):
    class Untouchable(io.RawIOBase):
        def readable(self):
            return True

        def seekable(self):
            return True

        def seek(self, offset, whence=0):
            return 0

        def readinto(self, buffer):
            raise AssertionError("the body was read")

    for url, content_type, length in [
            ("/submit", "multipart/form-data; boundary=x", 300 * 1024 * 1024),
            ("/submit/batch", "multipart/form-data; boundary=x", 1025 * 1024 * 1024),
            ("/language", "application/x-www-form-urlencoded", 2 * 1024 * 1024)]:
        response = client.post(url, input_stream=Untouchable(), content_type=content_type,
                               environ_overrides={"CONTENT_LENGTH": str(length)})
        assert response.status_code == 413, url


def _class_of(count: int, seed: int = 0) -> tuple[bytes, bytes]:
    """A valid batch of ``count`` children: (list as CSV, ZIP of their drawings)."""
    import zipfile

    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w") as out:
        for n in range(count):
            out.writestr(f"{n}.jpg", jpeg((1200, 900), seed=seed + n))
    sheet = ";".join(hostile_files.HEADER) + "\n" + "".join(
        f"{n}.jpg;Ребёнок{n};Петров;8;Рисунок {n};Петров П.;p{n}@example.org;да;да\n"
        for n in range(count))
    return sheet.encode(), archive.getvalue()


def _send_batch(client, make, sheet: bytes, archive: bytes):
    return client.post("/submit/batch", data={
        "region": make.region("RU-SPE").id, "town": "Санкт-Петербург", "institution": "Лицей 239",
        "teacher": "Петрова О. И.", "confirm": "y", "sheet": (io.BytesIO(sheet), "class.csv"),
        "archive": (io.BytesIO(archive), "drawings.zip")})


def test_a_batch_has_its_own_larger_body_cap(app, client, make, contest, spool):
    """A class's photos are larger than any other request may be: the batch alone is held to
    BATCH_MAX_BYTES, every other request still to MAX_CONTENT_LENGTH."""
    from .test_submit import form

    sheet, archive = _class_of(4)
    app.config.update(MAX_CONTENT_LENGTH=len(archive) // 2, BATCH_MAX_BYTES=len(archive) * 2)
    response = _send_batch(client, make, sheet, archive)
    response.request.input_stream.close()
    assert response.status_code == 302, response.status_code
    assert db.session.scalar(select(func.count(Entry.id))) == 4
    single = form(make, image=jpeg((1200, 900), seed=99) + b"\x00" * len(archive))
    assert client.post("/submit", data=single).status_code == 413
    app.config.update(BATCH_MAX_BYTES=len(archive) // 2)
    response = _send_batch(client, make, *_class_of(4, seed=10))
    response.request.input_stream.close()
    assert response.status_code == 413
    assert db.session.scalar(select(func.count(Entry.id))) == 4
    assert list(spool.iterdir()) == []


def test_a_batch_failing_while_stored_leaves_no_file_and_no_entry(app, make, contest, spool,
                                                                    monkeypatch):
    """The disk fills up at the third drawing: the files already stored are deleted again and
    no entry is kept."""
    from werkzeug.datastructures import FileStorage

    from contest.uploads.storage import FileSystemStorage

    put, calls = FileSystemStorage.put, []

    def failing_put(self, key, data):
        calls.append(key)
        if len(calls) > 2 * 3:  # three files a drawing: the third drawing fails
            raise OSError(28, "No space left on device")
        return put(self, key, data)

    monkeypatch.setattr(FileSystemStorage, "put", failing_put)
    sheet, archive = _class_of(5)
    with pytest.raises(OSError):
        batch.submit(contest, FileStorage(io.BytesIO(sheet), "class.csv"),
                     FileStorage(io.BytesIO(archive), "drawings.zip"),
                     {"region_id": make.region("RU-SPE").id, "town": "Тверь",
                      "institution": "Школа", "teacher": "Петрова", "locale": "ru"},
                     pipeline.UploadLimits())
    db.session.rollback()
    assert len(calls) == 7
    assert db.session.scalar(select(func.count(Entry.id))) == 0
    assert _leftovers(app, spool) == []


def test_a_body_without_a_length_is_cut_at_its_cap(app, client):
    response = client.post("/language", input_stream=io.BytesIO(b"lang=" + b"x" * 2 * 1024 * 1024),
                           content_type="application/x-www-form-urlencoded",
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 413


def test_each_file_has_its_own_cap(app, client, make, contest, spool):
    from .test_submit import form

    big = b"\xff\xd8\xff" + b"\x00" * (25 * 1024 * 1024)
    page = _refused(app, client, spool, form(make, image=big), url="/submit")
    assert "не больше 25 МБ" in page
    data = _batch_form(make, Path(__file__), _small_zip())
    data["sheet"][0].close()
    data["sheet"] = (io.BytesIO(b"x" * (5 * 1024 * 1024 + 1)), "class.csv")
    assert "не больше 5 МБ" in _refused(app, client, spool, data)
    data = form(make)
    data["other"] = (io.BytesIO(b"x"), "other.txt")  # a file the form does not take
    _refused(app, client, spool, data, url="/submit")


def test_a_batch_keeps_one_image_in_memory_at_a_time(app, make, contest, spool):
    """The processed images wait on disk: the batch's peak memory does not grow with its rows.
    (tracemalloc sees the bytes of the derivatives, which Python holds.)"""
    import zipfile

    from werkzeug.datastructures import FileStorage

    def peak(rows: int) -> int:
        names = [f"{n}.jpg" for n in range(rows)]
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as out:
            for n, name in enumerate(names):
                out.writestr(name, jpeg((1600, 1200), seed=rows * 100 + n))
        sheet = ";".join(hostile_files.HEADER) + "\n" + "".join(
            f"{name};Ребёнок{n};Петров{rows};{7 + n % 5};Рисунок;Петров П.;p@example.org;да;да\n"
            for n, name in enumerate(names))
        tracemalloc.start()
        stored = batch.submit(contest, FileStorage(io.BytesIO(sheet.encode()), "class.csv"),
                              FileStorage(archive, "drawings.zip"),
                              {"region_id": make.region("RU-SPE").id, "town": "Тверь",
                               "institution": "Школа", "teacher": "Петрова", "locale": "ru"},
                              pipeline.UploadLimits())
        _, top = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert len(stored) == rows
        return top

    small, large = peak(2), peak(8)
    assert large < small * 1.5
    assert list(spool.iterdir()) == []


def test_a_banded_shrink_is_the_same_as_one_resize():
    im = Image.effect_mandelbrot((3000, 2000), (-2, -1, 1, 1), 60).convert("RGB")
    banded = pipeline._shrunk(im, 1200)
    assert banded.tobytes() == im.resize(banded.size, Image.Resampling.LANCZOS).tobytes()


@pytest.mark.parametrize("mode, size, accepted", [
    ("I;16", (7000, 5000), False),  # 35 MP × 3 bytes: over the 100 MB budget
    ("I;16", (5000, 4000), True),  # 20 MP: bounded like 20 MP of 8-bit colour
    ("L", (9000, 8000), True),  # 72 MP of one byte each
])
def test_the_pixel_cap_counts_bytes_per_pixel(tmp_path, mode, size, accepted):
    if mode == "I;16":
        data = hostile_files.png_16_bit(tmp_path / "a.png", *size).read_bytes()
    else:
        out = io.BytesIO()
        Image.new(mode, size, 200).save(out, "PNG")
        data = out.getvalue()
    if accepted:
        assert pipeline.process_image(data).print_size[0] <= 4961
    else:
        with pytest.raises(pipeline.ImageRejected) as refused:
            pipeline.process_image(data)
        assert refused.value.code == "too_many_pixels"


def test_a_big_jpeg_is_decoded_reduced_to_stay_within_the_budget():
    data = jpeg((9000, 6000), seed=3)
    image = pipeline.process_image(data, limits=pipeline.UploadLimits(max_decoded_bytes=64 * 2**20))
    assert image.width == 9000 and image.print_size == (4500, 3000)  # decoded at 1/2


@pytest.mark.parametrize("long_edge", [1000, 4000])
def test_a_heic_is_shrunk_from_libheifs_rows_as_one_resize_would(long_edge):
    """HEIC photos are shrunk a band at a time from libheif's own decoded image (no Pillow
    copy of the whole): the same pixels as Pillow's one resize, or the same image when it is
    small enough already."""
    import pillow_heif

    im = Image.effect_mandelbrot((2400, 1800), (-2, -1, 1, 1), 60).convert("RGB")
    out = io.BytesIO()
    im.save(out, "HEIF", quality=90)
    shrunk = pipeline._heif_shrunk(out.getvalue(), long_edge)
    with Image.open(io.BytesIO(out.getvalue())) as whole:
        assert isinstance(whole, pillow_heif.HeifImageFile)
        whole.load()
        expected = whole.resize(shrunk.size, Image.Resampling.LANCZOS) if long_edge < 2400 \
            else whole.copy()
    assert shrunk.size == ((1000, 750) if long_edge < 2400 else (2400, 1800))
    assert shrunk.mode == "RGB" and shrunk.tobytes() == expected.tobytes()
