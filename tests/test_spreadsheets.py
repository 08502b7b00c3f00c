"""Exports open in Excel as the data typed, never as formulas."""

import csv
import io

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


def test_xlsx_keeps_texts_as_texts():
    book = load_workbook(io.BytesIO(spreadsheets.to_xlsx([("Отчёт", ROWS, {"A": 30}),
                                                           ("Second", [["a"]], {})])))
    sheet = book["Отчёт"]
    assert sheet["A2"].value == ROWS[1][0] and sheet["A2"].data_type == "s"
    assert sheet["B2"].value == 3 and sheet["C2"].value == -2
    assert sheet["A1"].font.bold and sheet.column_dimensions["A"].width == 30
    assert book.sheetnames == ["Отчёт", "Second"]
