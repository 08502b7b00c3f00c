"""Files an attacker would send, written as streams so that making them stays light: a 300 MB
cell is never held in memory here either. Used by tests/test_hostile_uploads.py and
bench/hostile.py."""

from __future__ import annotations

import struct
import zipfile
import zlib
from collections.abc import Iterable, Iterator
from pathlib import Path

MB = 1024 * 1024
_CHUNK = MB

_CONTENT_TYPES = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
    '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
    '<Default Extension="xml" ContentType="application/xml"/>'
    '<Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
    '<Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
    '</Types>')
_ROOT_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/>'
    '</Relationships>')
_WORKBOOK = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" '
    'xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">'
    '<sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>')
_WORKBOOK_RELS = (
    '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
    '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
    '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/>'
    '</Relationships>')
_SHEET_START = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>'
                '<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
                '<sheetData>')
_SHEET_END = "</sheetData></worksheet>"
HEADER = ["file", "first_name", "last_name", "age", "title", "guardian_name", "guardian_email",
          "consent_personal_data", "consent_print"]


def _row(number: int, cells: Iterable[str]) -> str:
    return f'<row r="{number}">' + "".join(
        f'<c t="inlineStr"><is><t>{value}</t></is></c>' for value in cells) + "</row>"


def _xlsx(path: Path, sheet: Iterator[bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as book:
        book.writestr("[Content_Types].xml", _CONTENT_TYPES)
        book.writestr("_rels/.rels", _ROOT_RELS)
        book.writestr("xl/workbook.xml", _WORKBOOK)
        book.writestr("xl/_rels/workbook.xml.rels", _WORKBOOK_RELS)
        with book.open("xl/worksheets/sheet1.xml", "w", force_zip64=True) as out:
            for part in sheet:
                out.write(part)
    return path


def xlsx_with_one_huge_cell(path: Path, size: int = 300 * MB) -> Path:
    """A list whose first data row has a title of ``size`` bytes (300 KB on disk)."""
    def sheet():
        yield (_SHEET_START + _row(1, HEADER)).encode()
        yield b'<row r="2"><c t="inlineStr"><is><t>'
        written = 0
        while written < size:
            part = min(_CHUNK, size - written)
            yield b"x" * part
            written += part
        yield f"</t></is></c></row>{_SHEET_END}".encode()
    return _xlsx(path, sheet())


def xlsx_with_rows(path: Path, rows: int = 1_000_000, cells: int = 1) -> Path:
    """A list of ``rows`` rows of ``cells`` cells each after the header (a million rows of
    one cell: about 2.5 MB on disk, within the upload cap of a list)."""
    child = ["a.jpg", "Аня", "Петрова", "8", "Солнце", "Петрова М.", "a@example.org", "да",
             "да"][:cells]

    def sheet():
        yield (_SHEET_START + _row(1, HEADER)).encode()
        batch = []
        for number in range(2, rows + 2):
            batch.append(_row(number, child))
            if len(batch) == 10_000:
                yield "".join(batch).encode()
                batch = []
        yield ("".join(batch) + _SHEET_END).encode()
    return _xlsx(path, sheet())


def zip_with_members(path: Path, count: int = 200_000) -> Path:
    """A ZIP of ``count`` tiny members (stored, not compressed, to be quick to make)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as archive:
        for n in range(count):
            archive.writestr(f"{n}.txt", b"x")
    return path


def bmp_header(width: int, height: int) -> bytes:
    """The header of an uncompressed 24-bit BMP of ``width`` × ``height`` pixels."""
    row = (width * 3 + 3) // 4 * 4
    pixels = row * height
    return (b"BM" + struct.pack("<IHHI", 54 + pixels, 0, 0, 54)
            + struct.pack("<IiiHHIIiiII", 40, width, height, 1, 24, 0, pixels, 2835, 2835, 0,
                          0))


def zip_of_one_bmp_named_by_rows(folder: Path, rows: int = 300) -> tuple[Path, Path]:
    """A ZIP holding one 25 MB BMP (25 KB packed) and a CSV list of ``rows`` children all
    naming it: (list, archive)."""
    width, height = 2880, 3030  # 26,179,200 bytes of pixels: just under 25 MB
    archive = folder / "drawings.zip"
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as out, \
            out.open("drawing.bmp", "w") as member:
        member.write(bmp_header(width, height))
        row = b"\xf0\xe8\xe0" * width
        for _ in range(height):
            member.write(row)
    sheet = folder / "children.csv"
    lines = [";".join(HEADER)] + [
        f"drawing.bmp;Ребёнок{n};Петров;8;Рисунок {n};Петров П.;p{n}@example.org;да;да"
        for n in range(rows)]
    sheet.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return sheet, archive


def png_16_bit(path: Path, width: int = 10240, height: int = 7716) -> Path:
    """A 16-bit greyscale PNG of ``width`` × ``height`` (79 MP; about 200 KB on disk)."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return (struct.pack(">I", len(data)) + kind + data
                + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF))

    packer = zlib.compressobj(9)
    row = b"\x00" + bytes(range(256)) * (width * 2 // 256) + b"\x00" * (width * 2 % 256)
    with open(path, "wb") as out:
        out.write(b"\x89PNG\r\n\x1a\n")
        out.write(chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 16, 0, 0, 0, 0)))
        data = bytearray()
        for _ in range(height):
            data += packer.compress(row)
        data += packer.flush()
        out.write(chunk(b"IDAT", bytes(data)))
        out.write(chunk(b"IEND", b""))
    return path
