"""Tables (a header row, then data rows) as CSV and XLSX downloads, safe to open in Excel.

Town, school and title come from the public: a cell such as ``=HYPERLINK(...)`` must stay a
text, never become a formula (CSV injection). CSV cells starting like a formula get an
apostrophe, as OWASP advises; XLSX cells are typed as text, so they read exactly as typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Sequence

from openpyxl import Workbook
from openpyxl.styles import Font

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")

Rows = Iterable[Sequence[object]]


def safe_text(value: object) -> object:
    """``value`` as a spreadsheet must show it: a formula-like text is prefixed with ``'``."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def to_csv(rows: Rows) -> bytes:
    """Semicolon-separated UTF-8 with a BOM: what Excel opens correctly in a Russian locale."""
    out = io.StringIO()
    csv.writer(out, delimiter=";").writerows([safe_text(v) for v in row] for row in rows)
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
