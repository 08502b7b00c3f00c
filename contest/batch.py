"""A school's batch: one ZIP of images and a CSV or XLSX list of the children.

Every row is checked and every problem reported by row and file; the whole batch is stored,
or none of it (``entries.submit_many``).
"""

from __future__ import annotations

import csv
import io
import posixpath
import zipfile
from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from openpyxl import load_workbook

from .entries import EntryDetails, check_all
from .i18n import language
from .text import clean
from .uploads.pipeline import ImageRejected, ProcessedImage, UploadLimits, process_image

MAX_ROWS = 300
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".webp", ".heic", ".heif", ".tif", ".tiff", ".bmp",
                  ".gif"}
# Each field's column as the example list names it, in English and in Russian. Both are
# read; the example list and the messages use the user's language.
HEADERS = {
    "file": ("file", "файл"),
    "child_first_name": ("first_name", "имя"),
    "child_last_name": ("last_name", "фамилия"),
    "birth_date": ("birth_date", "дата рождения"),
    "age": ("age", "возраст"),
    "title": ("title", "название"),
    "description": ("description", "описание"),
    "guardian_name": ("guardian_name", "родитель"),
    "guardian_email": ("guardian_email", "почта"),
    "guardian_phone": ("guardian_phone", "телефон"),
    "personal_data": ("consent_personal_data", "согласие на обработку данных"),
    "show_name": ("consent_show_name", "согласие на указание имени"),
    "print": ("consent_print", "согласие на печать"),
}
# Column names as a teacher may type them, in either language, to our field names.
COLUMNS = {name: field for field, names in HEADERS.items() for name in names} | {
    "email": "guardian_email"}
YES = {"1", "да", "yes", "y", "д", "true", "+", "x", "✓"}
REQUIRED = ("file", "child_first_name", "child_last_name", "title", "guardian_name")


@dataclass(frozen=True)
class Problem:
    row: int | None  # the spreadsheet's row number (the header is row 1)
    file: str
    message: str


@dataclass
class Row:
    number: int
    values: dict[str, str]


class BatchError(Exception):
    def __init__(self, problems: list[Problem]):
        super().__init__(problems)
        self.problems = problems


def column_name(field: str) -> str:
    """A field's column as the example list in the user's language names it."""
    english, russian = HEADERS[field]
    return russian if language() == "ru" else english


def template_csv() -> bytes:
    """An example list to fill in, with one row; the columns in the user's language."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([column_name(field) for field in HEADERS])
    writer.writerow(["masha.jpg", "Маша", "Иванова", "14.03.2017", "", "Молоко и солнце", "",
                     "Иванова Анна Петровна", "anna@example.ru", "", "да", "да", "да"])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_rows(name: str, data: bytes) -> list[Row]:
    """The children's list from CSV (comma or semicolon, UTF-8 or Windows-1251) or XLSX."""
    if name.lower().endswith((".xlsx", ".xlsm")) or data[:2] == b"PK":
        try:
            sheet = load_workbook(io.BytesIO(data), read_only=True, data_only=True).active
            table = [["" if v is None else _cell(v) for v in row]
                     for row in sheet.iter_rows(values_only=True)]
        except Exception as e:  # openpyxl raises many kinds on a damaged file
            unreadable = str(_l("The list cannot be read as an Excel file."))
            raise BatchError([Problem(None, name, unreadable)]) from e
    else:
        text = _decode(data)
        try:
            table = list(csv.reader(io.StringIO(text), delimiter=_delimiter(text)))
        except csv.Error as e:
            raise BatchError([Problem(None, name, str(_l(
                "The list cannot be read as CSV. Save it from Excel as “CSV UTF-8” or send "
                "the .xlsx file.")))]) from e
    table = [row for row in table if any(str(c).strip() for c in row)]
    if not table:
        raise BatchError([Problem(None, name, str(_l("The list is empty.")))])
    header = [COLUMNS.get(str(h).strip().lower().lstrip("\ufeff")) for h in table[0]]
    missing = [c for c in ("file", "child_first_name", "title") if c not in header]
    if missing:
        raise BatchError([Problem(1, name, str(_l(
            "The first row must name the columns; missing: %(columns)s. Download the example "
            "list to see them.", columns=", ".join(map(column_name, missing)))))])
    if len(table) - 1 > MAX_ROWS:
        raise BatchError([Problem(None, name, str(_l(
            "At most %(n)s children in one batch, please.", n=MAX_ROWS)))])
    return [Row(number, {key: clean(key, str(value))
                         for key, value in zip(header, row, strict=False) if key})
            for number, row in enumerate(table[1:], start=2)]


def _cell(value) -> str:
    if isinstance(value, datetime | date):
        return value.strftime("%d.%m.%Y")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def _delimiter(text: str) -> str:
    """Excel writes ";" in a Russian locale and "," elsewhere: the header row tells which."""
    header = text.lstrip("\ufeff").partition("\n")[0]
    return max(";,\t", key=header.count)


def _decode(data: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1251"):
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    return data.decode("utf-8", errors="replace")


def _date(text: str) -> date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def prepare(contest, rows: list[Row], archive: bytes, common: dict, limits: UploadLimits,
            progress=None) -> tuple[list[tuple[EntryDetails, ProcessedImage]], list[Problem]]:
    """Match rows to images in the ZIP and check each against the files and the contest's
    rules; returns the items and every problem of every row."""
    problems: list[Problem] = []
    try:
        zf = zipfile.ZipFile(io.BytesIO(archive))
        members = {posixpath.basename(i.filename).casefold(): i for i in zf.infolist()
                   if not i.is_dir() and not posixpath.basename(i.filename).startswith(".")}
    except zipfile.BadZipFile:
        return [], [Problem(None, "", str(_l("The archive is not a valid ZIP file.")))]
    checked = []  # (row, details, image or None) of the rows whose fields could be read
    for done, row in enumerate(rows, start=1):
        values, file_name = row.values, row.values.get("file", "")
        row_problems = [str(_l("The column “%(column)s” is empty.", column=column_name(c)))
                        for c in REQUIRED if not values.get(c)]
        birth, age = None, None
        try:
            birth = _date(values["birth_date"]) if values.get("birth_date") else None
            age = int(values["age"]) if values.get("age") else None
        except ValueError:
            row_problems.append(str(_l("The birth date or age cannot be read (use 31.12.2017).")))
        member = members.get(posixpath.basename(file_name).casefold()) if file_name else None
        image = None
        if file_name and member is None:
            row_problems.append(str(_l("There is no file with this name in the archive.")))
        elif member is not None:
            if member.file_size > limits.max_bytes:
                row_problems.append(str(_l("The file is larger than %(mb)s MB.",
                                           mb=limits.max_bytes // (1024 * 1024))))
            else:
                try:
                    with zf.open(member) as f:
                        image = process_image(f.read(limits.max_bytes + 1), file_name, limits)
                except ImageRejected as e:
                    row_problems.append(str(e))
                except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError):
                    row_problems.append(
                        str(_l("This file in the archive is damaged or encrypted.")))
        problems += [Problem(row.number, file_name, m) for m in row_problems]
        if all(values.get(c) for c in REQUIRED):
            details = EntryDetails(
                child_first_name=values["child_first_name"],
                child_last_name=values.get("child_last_name", ""), title=values["title"],
                description=values.get("description", ""),
                guardian_name=values.get("guardian_name", ""),
                guardian_email=values.get("guardian_email", ""),
                guardian_phone=values.get("guardian_phone", ""), birth_date=birth, age=age,
                consents={k: values.get(k, "").lower() in YES
                          for k in ("personal_data", "show_name", "print")},
                **common)
            checked.append((row, details, image))
        if progress:
            progress(done, len(rows))
    named = {posixpath.basename(row.values.get("file", "")).casefold() for row in rows}
    for key, member in members.items():  # a drawing nobody listed: a child left out?
        if key not in named and not member.filename.startswith("__MACOSX/") \
                and posixpath.splitext(key)[1] in IMAGE_SUFFIXES:
            problems.append(Problem(None, posixpath.basename(member.filename), str(_l(
                "This drawing is in the archive but not in the list: add a row for it or take "
                "it out of the archive."))))
    rule_problems = check_all(contest, [(d, image.sha256 if image else None)
                                        for _, d, image in checked])
    for index, errors in rule_problems.items():
        row = checked[index][0]
        problems += [Problem(row.number, row.values.get("file", ""), m) for m in errors.values()]
    problems.sort(key=lambda p: p.row or 0)
    if problems:
        return [], problems
    return [(d, image) for _, d, image in checked], problems
