"""Exports open in Excel as the data typed, never as formulas."""

import csv
import io
from decimal import Decimal

import pytest
from flask_babel import force_locale
from openpyxl import load_workbook

from contest import spreadsheets

ROWS = [["Town", "Entries", "Change"],
        ["=HYPERLINK(\"http://evil.example\")", 3, -2],
        ["+79990001122", 1, 0.5], ["@SUM(A1)", 0, None], ["Тверь", 2, ""]]


def test_csv_prefixes_formula_like_texts_and_leaves_numbers():
    text = spreadsheets.to_csv(ROWS).decode("utf-8")
    assert text.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=";"))
    assert [r[0] for r in rows[1:]] == ["'=HYPERLINK(\"http://evil.example\")", "'+79990001122",
                                        "'@SUM(A1)", "Тверь"]
    assert rows[1][2] == "-2"  # a negative number is a number, not a formula
    assert rows[2][2] == "0.5"  # outside a request, no locale: a point


def read_csv(rows) -> list[list[str]]:
    text = spreadsheets.to_csv(rows).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text), delimiter=";"))


@pytest.mark.parametrize("locale, point", [("ru", ","), ("en", ".")])
def test_csv_figures_take_the_locales_decimal_separator(app, locale, point):
    rows = [["Средний балл", 6.54, -2.5, 7.0, 1e-05, Decimal("1.50"), 12, -2, True, "6.54"]]
    with force_locale(locale):
        (row,) = read_csv(rows)
    figures = ["6.54", "-2.5", "7.0", "0.00001", "1.50"]
    assert row == ["Средний балл", *(f.replace(".", point) for f in figures),
                   "12", "-2", "True", "6.54"]  # integers and texts as they are


def test_csv_keeps_formula_protection_with_russian_figures(app):
    with force_locale("ru"):
        (row,) = read_csv([["=1,5+1", "-1,5", -1.5]])
    assert row == ["'=1,5+1", "'-1,5", "-1,5"]  # texts guarded, our own number not


def test_xlsx_keeps_texts_as_texts():
    book = load_workbook(io.BytesIO(spreadsheets.to_xlsx([("Отчёт", ROWS, {"A": 30}),
                                                           ("Second", [["a"]], {})])))
    sheet = book["Отчёт"]
    assert sheet["A2"].value == ROWS[1][0] and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["C2"].value == -2
    assert sheet["A1"].font.bold and sheet.column_dimensions["A"].width == 30
    assert book.sheetnames == ["Отчёт", "Second"]
