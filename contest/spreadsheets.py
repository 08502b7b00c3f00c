"""Tables (a header row, then data rows) as CSV and XLSX downloads, safe to open in Excel.

Town, school and title come from the public: a cell such as ``=HYPERLINK(...)`` must stay a
text, never become a formula (CSV injection). CSV cells starting like a formula get an
apostrophe, as OWASP advises; XLSX cells are typed as text, so they read exactly as typed.

A CSV file has no types: Excel reads a figure as a number only if it is written with the
decimal separator of Excel's locale (6,54 in Russian). CSV figures therefore follow the
current locale; XLSX cells keep real numbers.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence
from decimal import Decimal

from babel.numbers import get_decimal_symbol
from flask_babel import get_locale
from openpyxl import Workbook
from openpyxl.styles import Font

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
