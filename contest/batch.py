"""A school's batch: one ZIP of images and a CSV or XLSX list of the children.

Every row is checked and every problem reported by row and file (a screenful at most); the
whole batch is stored, or none of it (``entries.submit_many``).

Memory and time stay bounded whatever is sent: the list is read as a stream with caps on
rows, columns and cells (``spreadsheets.read_table``); the ZIP's members are counted and sized
from its directory before anything is unpacked (``uploads.archives``), and a file named by two
rows is decoded once; the images are processed one at a time, each written to a temporary
folder (``SpooledImage``) before the next, and stored from there.
"""

from __future__ import annotations

import csv
import io
import posixpath
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import BinaryIO

from flask_babel import lazy_gettext as _l
from flask_babel import ngettext

from . import entries, notifications
from .entries import EntryDetails, EntryError, check_all
from .errors import RuleError
from .i18n import language
from .spreadsheets import ReadLimits, TableRefused, read_table
from .text import clean
from .uploads.archives import ArchiveRefused, ZipLimits, inflates_too_much, open_zip
from .uploads.pipeline import ImageRejected, SpooledImage, UploadLimits, display_name, process_image

MAX_ROWS = 300
LIST_LIMITS = ReadLimits(max_rows=MAX_ROWS)
# The archive: the drawings of one list, and whatever a computer adds (folders, __MACOSX).
ARCHIVE_LIMITS = ZipLimits(max_members=2000, max_total_bytes=2 * 1024**3)
SHOWN_PROBLEMS = 30  # a screenful; the rest are counted
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
    "title_en": ("title_en", "название по-английски"),
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


class BatchError(RuleError):
    """The batch cannot be stored; ``problems`` lists why, a screenful at most."""

    def __init__(self, problems: list[Problem]):
        self.problems = screenful(problems)
        super().__init__(*(problem.message for problem in self.problems))


def screenful(problems: list[Problem]) -> list[Problem]:
    """The first ``SHOWN_PROBLEMS`` problems, and one line counting the others."""
    if len(problems) <= SHOWN_PROBLEMS:
        return problems
    more = len(problems) - SHOWN_PROBLEMS + 1
    return problems[:SHOWN_PROBLEMS - 1] + [Problem(None, "", ngettext(
        "…and %(num)s more problem. Fix these first, then send the batch again.",
        "…and %(num)s more problems. Fix these first, then send the batch again.", more))]


def column_name(field: str) -> str:
    """A field's column as the example list in the user's language names it."""
    english, russian = HEADERS[field]
    return russian if language() == "ru" else english


# The example list's row, written as a school in that language would (both are read the same).
EXAMPLE_ROWS = {
    "ru": ["masha.jpg", "Маша", "Иванова", "14.03.2017", "", "Молоко и солнце",
           "Milk and sunshine", "", "Иванова Анна Петровна", "anna@example.ru", "", "да", "да",
           "да"],
    "en": ["masha.jpg", "Masha", "Ivanova", "14.03.2017", "", "Milk and sunshine",
           "Milk and sunshine", "", "Anna Ivanova", "anna@example.org", "", "yes", "yes", "yes"],
}


def template_csv() -> bytes:
    """An example list to fill in, with one row; the columns in the user's language."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([column_name(field) for field in HEADERS])
    writer.writerow(EXAMPLE_ROWS.get(language(), EXAMPLE_ROWS["ru"]))
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def read_rows(name: str, file: BinaryIO) -> list[Row]:
    """The children's list from CSV (comma or semicolon, UTF-8 or Windows-1251) or XLSX."""
    shown = display_name(name)
    try:
        table = read_table(name, file, LIST_LIMITS)
    except TableRefused as e:
        raise BatchError([Problem(e.row, shown, str(_refusal(e)))]) from e
    (_, first), *body = table
    header = [COLUMNS.get(str(h).strip().lower().lstrip("\ufeff")) for h in first]
    missing = [c for c in ("file", "child_first_name", "title") if c not in header]
    if missing:
        raise BatchError([Problem(1, shown, str(_l(
            "The first row must name the columns; missing: %(columns)s. Download the example "
            "list to see them.", columns=", ".join(map(column_name, missing)))))])
    return [Row(number, {key: clean(key, value)
                         for key, value in zip(header, cells, strict=False) if key})
            for number, cells in body]


def _refusal(error: TableRefused):
    if error.code == "not_xlsx":
        return _l("The list cannot be read as an Excel file.")
    if error.code == "not_csv":
        return _l("The list cannot be read as CSV. Save it from Excel as “CSV UTF-8” or send "
                  "the .xlsx file.")
    if error.code == "empty":
        return _l("The list is empty.")
    if error.code == "too_many_columns":
        return _l("The list has more than %(n)s columns. Keep only the columns of the example "
                  "list.", n=LIST_LIMITS.max_columns)
    if error.code == "cell_too_long" and error.column:
        return _l("A cell in column %(column)s is longer than %(n)s characters.",
                  column=error.column, n=LIST_LIMITS.max_cell_chars)
    if error.code == "cell_too_long":
        return _l("A cell is longer than %(n)s characters.", n=LIST_LIMITS.max_cell_chars)
    return _l("At most %(n)s children in one batch, please.", n=MAX_ROWS)


def _date(text: str) -> date | None:
    for fmt in ("%d.%m.%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def submit(contest, sheet, archive, common: dict, limits: UploadLimits,
           via: str = "batch", codes_to: str = "") -> list:
    """Read, check and store a school's batch (``sheet`` and ``archive`` are uploaded files
    with ``filename`` and ``stream``); returns the stored entries or raises BatchError. Each
    family gets its receipt, and ``codes_to`` (an address the sender gave) the batch's codes.

    The processed images wait in a temporary folder, removed whatever happens."""
    rows = read_rows(sheet.filename or "", sheet.stream)
    with tempfile.TemporaryDirectory(prefix="contest-batch-") as folder:
        items, problems = prepare(contest, rows, archive.stream, common, limits, Path(folder))
        if problems:
            raise BatchError(problems)
        try:
            stored = entries.submit_many(contest, items, via=via)
        except EntryError as e:  # another entry came in between the check and the storing
            raise BatchError([Problem(None, "", m) for m in e.errors.values()]) from e
    if codes_to:
        notifications.batch_codes(codes_to, stored)
    return stored


def prepare(contest, rows: list[Row], archive: BinaryIO, common: dict, limits: UploadLimits,
            folder: Path, progress=None
            ) -> tuple[list[tuple[EntryDetails, SpooledImage]], list[Problem]]:
    """Match rows to images in the ZIP and check each against the files and the contest's
    rules, one image at a time, each kept in ``folder``; returns the items and every problem
    of every row."""
    problems: list[Problem] = []
    try:
        zf = open_zip(archive, ARCHIVE_LIMITS)
    except ArchiveRefused as e:
        return [], [Problem(None, "", str(_archive_refusal(e)))]
    members = {posixpath.basename(i.filename).casefold(): i for i in zf.infolist()
               if not i.is_dir() and not posixpath.basename(i.filename).startswith(".")}
    named_in: dict[str, int] = {}  # a member's key -> the first row naming it
    checked = []  # (row, details, image or None) of the rows whose fields could be read
    for done, row in enumerate(rows, start=1):
        values, file_name = row.values, row.values.get("file", "")
        row_problems = [str(_l("The column “%(column)s” is empty.", column=column_name(c)))
                        for c in REQUIRED if not values.get(c)]
        birth, age = None, None
        try:
            birth = _date(values["birth_date"]) if values.get("birth_date") else None
            age = int(values["age"]) if values.get("age") else None
            if age is not None and not 0 <= age <= 150:
                raise ValueError(age)
        except ValueError:
            row_problems.append(str(_l("The birth date or age cannot be read (use 31.12.2017).")))
        key = posixpath.basename(file_name).casefold()
        member = members.get(key) if file_name else None
        image = None
        if file_name and member is None:
            row_problems.append(str(_l("There is no file with this name in the archive.")))
        elif member is not None and key in named_in:
            row_problems.append(str(_l("Row %(row)s names this file too: list each drawing "
                                       "once.", row=named_in[key])))
        elif member is not None:
            named_in[key] = row.number
            image, problem = _image(zf, member, file_name, limits, folder / str(row.number))
            if problem:
                row_problems.append(problem)
        problems += [Problem(row.number, display_name(file_name), m) for m in row_problems]
        if all(values.get(c) for c in REQUIRED):
            details = EntryDetails(
                child_first_name=values["child_first_name"],
                child_last_name=values.get("child_last_name", ""), title=values["title"],
                title_en=values.get("title_en", ""),
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
            problems.append(Problem(None, display_name(member.filename), str(_l(
                "This drawing is in the archive but not in the list: add a row for it or take "
                "it out of the archive."))))
    rule_problems = check_all(contest, [(d, image.sha256 if image else None)
                                        for _, d, image in checked])
    for index, errors in rule_problems.items():
        row = checked[index][0]
        problems += [Problem(row.number, display_name(row.values.get("file", "")), m)
                     for m in errors.values()]
    problems.sort(key=lambda p: p.row or 0)
    if problems:
        return [], problems
    return [(d, image) for _, d, image in checked], problems


def _image(zf: zipfile.ZipFile, member: zipfile.ZipInfo, file_name: str, limits: UploadLimits,
           folder: Path) -> tuple[SpooledImage | None, str | None]:
    """One member processed and written to ``folder``, or the problem with it."""
    if member.file_size > limits.max_bytes:
        return None, str(_l("The file is larger than %(mb)s MB.",
                            mb=limits.max_bytes // (1024 * 1024)))
    if inflates_too_much(member):
        return None, str(_l("This file unpacks to far more than its size in the archive: it "
                            "is not a photo or a scan of a drawing."))
    try:
        with zf.open(member) as f:
            processed = process_image(f.read(limits.max_bytes + 1), file_name, limits)
    except ImageRejected as e:
        return None, str(e)
    except (zipfile.BadZipFile, OSError, RuntimeError, NotImplementedError, ValueError,
            EOFError):
        return None, str(_l("This file in the archive is damaged or encrypted."))
    return SpooledImage.spool(processed, folder), None


def _archive_refusal(error: ArchiveRefused):
    if error.reason == "too_many_members":
        return _l("The archive holds more than %(n)s files. Put only the drawings of this list "
                  "in it.", n=ARCHIVE_LIMITS.max_members)
    if error.reason == "too_large_unpacked":
        return _l("The archive unpacks to more than %(gb)s GB. Please send the class in "
                  "smaller batches.", gb=ARCHIVE_LIMITS.max_total_bytes // 1024**3)
    return _l("The archive is not a valid ZIP file.")
