"""Tables (a header row, then data rows) as CSV and XLSX: downloads safe to open in Excel,
and lists from the public read with bounded memory and time (``read_table``).

Town, school and title come from the public: a cell such as ``=HYPERLINK(...)`` must stay a
text, never become a formula (CSV injection). CSV cells starting like a formula get an
apostrophe, as OWASP advises; XLSX cells are typed as text, so they read exactly as typed.

A CSV file has no types: Excel reads a figure as a number only if it is written with the
decimal separator of Excel's locale (6,54 in Russian). CSV figures therefore follow the
current locale; XLSX cells keep real numbers.
"""

from __future__ import annotations

import codecs
import csv
import io
import warnings
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from typing import BinaryIO

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from openpyxl import Workbook, load_workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .uploads.archives import ArchiveRefused, ZipLimits, open_zip

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_MIMETYPE = "text/csv"  # Werkzeug adds "; charset=utf-8" to text types
XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

Rows = Iterable[Sequence[object]]


def safe_text(value: object) -> object:
    """``value`` as a spreadsheet must show it: a formula-like text is prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def _decimal_text(value: float | Decimal, point: str = ".") -> str:
    """A fractional number in full, without exponent or grouping, with ``point`` as separator."""
    text = format(Decimal(repr(value)) if isinstance(value, float) else value, "f")
    return text.replace(".", point)


def to_csv(rows: Rows) -> bytes:
    """Semicolon-separated UTF-8 with a BOM: what Excel opens correctly in a Russian locale.

    Fractional numbers take the decimal separator of the current locale (none outside a
    request or app context: a point); integers and texts are written as they are.
    """
    locale = get_locale()
    point = get_decimal_symbol(locale) if locale else "."

    def cell(value: object) -> object:
        if isinstance(value, (float, Decimal)):
            return _decimal_text(value, point)
        return safe_text(value)

    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([cell(v) for v in row] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(sheets: Iterable[tuple[str, Rows, dict[str, float]]]) -> bytes:
    """A workbook of ``(title, rows, column widths)`` sheets; each header row in bold."""
    book = Workbook()
    book.remove(book.active)
    for title, rows, widths in sheets:
        sheet = book.create_sheet(title[:31])  # Excel's limit on a sheet's name
        for values in rows:
            sheet.append(list(values))
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":  # openpyxl took a text starting with "=" for a formula
                    cell.data_type = "s"
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for column, width in widths.items():
            sheet.column_dimensions[column].width = width
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


# --- reading a list sent by the public -----------------------------------------------------

MB = 1024 * 1024


@dataclass(frozen=True)
class ReadLimits:
    """What a list may be; each limit is checked while the file is read, not after."""

    max_rows: int = 300  # rows with something in them, after the header
    max_columns: int = 30
    max_cell_chars: int = 1000
    max_sheet_rows: int = 1_048_576  # rows of any kind, empty ones too: Excel's own limit
    # An XLSX is a ZIP of XML files, each read whole by openpyxl (the shared strings into a
    # list, a row at a time of the sheet): bounded before openpyxl opens any of them.
    max_xlsx_members: int = 200
    max_xlsx_member_bytes: int = 10 * MB
    max_xlsx_total_bytes: int = 40 * MB


class TableRefused(ValueError):
    """A list that cannot be read within ``ReadLimits``. ``code``: ``not_xlsx``, ``not_csv``,
    ``empty``, ``too_many_rows``, ``too_many_columns``, ``cell_too_long``; ``row`` and
    ``column`` (a letter, as Excel names it) where the reading stopped, when known."""

    def __init__(self, code: str, row: int | None = None, column: str | None = None) -> None:
        super().__init__(code, row, column)
        self.code, self.row, self.column = code, row, column


def read_table(name: str, file: BinaryIO, limits: ReadLimits = ReadLimits()
               ) -> list[tuple[int, list[str]]]:
    """The rows with something in them, as ``(row number, texts)``, the header first.

    XLSX (by name or by content) is read by openpyxl in read-only, streaming mode; anything
    else as CSV in UTF-8 or Windows-1251 with ``;``, ``,`` or tab between cells (the header
    row tells which). Raises TableRefused.
    """
    file.seek(0)
    is_xlsx = name.lower().endswith((".xlsx", ".xlsm")) or file.read(2) == b"PK"
    rows = _xlsx_rows(file, limits) if is_xlsx else _csv_rows(file, limits)
    try:
        table = _bounded(rows, limits)
    except TableRefused:
        raise
    except Exception as e:  # openpyxl and csv raise many kinds on a damaged file
        raise TableRefused("not_xlsx" if is_xlsx else "not_csv") from e
    finally:
        rows.close()
    if not table:
        raise TableRefused("empty")
    return table


def _bounded(rows: Iterator[tuple[int, Sequence[object]]], limits: ReadLimits
             ) -> list[tuple[int, list[str]]]:
    table: list[tuple[int, list[str]]] = []
    for number, values in rows:
        if number > limits.max_sheet_rows:
            raise TableRefused("too_many_rows", number)
        texts = ["" if value is None else cell_text(value) for value in values]
        while texts and not texts[-1].strip():
            texts.pop()
        if not any(t.strip() for t in texts):
            continue
        if len(texts) > limits.max_columns:
            raise TableRefused("too_many_columns", number, get_column_letter(len(texts)))
        for index, value in enumerate(texts):
            if len(value) > limits.max_cell_chars:
                raise TableRefused("cell_too_long", number, get_column_letter(index + 1))
        table.append((number, texts))
        if len(table) > limits.max_rows + 1:  # the header, then the data rows
            raise TableRefused("too_many_rows", number)
    return table


def cell_text(value: object) -> str:
    """A cell as the list's reader means it: dates as 31.12.2017, whole numbers without ".0"."""
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _xlsx_rows(file: BinaryIO, limits: ReadLimits) -> Iterator[tuple[int, Sequence[object]]]:
    try:
        open_zip(file, ZipLimits(max_members=limits.max_xlsx_members,
                                 max_total_bytes=limits.max_xlsx_total_bytes,
                                 max_member_bytes=limits.max_xlsx_member_bytes)).close()
    except ArchiveRefused as e:
        raise TableRefused("not_xlsx") from e
    file.seek(0)
    with warnings.catch_warnings():
        # openpyxl warns about Excel features it does not read (data validation, ...).
        warnings.simplefilter("ignore", UserWarning)
        book = load_workbook(file, read_only=True, data_only=True)
        try:
            sheet = book.active
            # max_col: a cell claimed at column XFD must not make every row 16,384 wide.
            rows = sheet.iter_rows(max_col=limits.max_columns + 1, values_only=True)
            yield from enumerate(rows, start=1)
        finally:
            book.close()


def _csv_rows(file: BinaryIO, limits: ReadLimits) -> Iterator[tuple[int, Sequence[object]]]:
    encoding = _encoding(file)
    file.seek(0)
    head = file.read(64 * 1024).decode(encoding, errors="ignore").lstrip("\ufeff")
    delimiter = max(";,\t", key=head.partition("\n")[0].count)
    file.seek(0)
    stream = io.TextIOWrapper(file, encoding=encoding, newline="")
    number = 0
    try:
        # The csv module stops at a cell of over 128 K characters (its field_size_limit, left
        # as it is: it is shared by every thread); _bounded refuses the shorter long ones.
        for number, row in enumerate(csv.reader(stream, delimiter=delimiter), start=1):
            yield number, row
    except csv.Error as e:
        if "field limit" in str(e):
            raise TableRefused("cell_too_long", number + 1) from e
        raise
    finally:
        stream.detach()  # the request owns the upload: leave it open


def _encoding(file: BinaryIO) -> str:
    """UTF-8 (with or without the BOM Excel writes) if the whole file decodes as it, else
    Windows-1251; decided chunk by chunk, without holding the text."""
    file.seek(0)
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        while chunk := file.read(64 * 1024):
            decoder.decode(chunk)
        decoder.decode(b"", final=True)
    except UnicodeDecodeError:
        return "cp1251"
    return "utf-8-sig"
