"""The back page: winners in balanced rows, the partners' logos and the imprint."""

import dataclasses
import datetime as dt
import io
import re
from pathlib import Path

import pytest
from PIL import Image

from calendar_builder import build_calendar, plan_calendar
from calendar_builder.fonts import FontNames
from calendar_builder.images import prepare_image, upright_size
from calendar_builder.layout.back import back_layout, balanced_rows, imprint_text
from calendar_builder.samples import make_logo
from calendar_builder.spec import (
    BackPage,
    CalendarSpec,
    Imprint,
    Partner,
    SpecError,
    Text,
    Winner,
    spec_from_dict,
)
from calendar_builder.text import NBSP

from .test_spec import example, problems  # noqa: F401  (the README's example, a fixture)

IMPRINT = Imprint(publisher=Text("Общество «Крепкие кости»", "The Strong Bones society"),
                  print_run=5000, printer=Text("Типография «Печатный двор»", "Pechatny Dvor"),
                  order_number="12/7", signed=dt.date(2026, 11, 15))


def rows_of(layout, prefix: str) -> list[int]:
    """How many pictures named ``prefix N`` stand on each row, top row first."""
    tops: dict[float, int] = {}
    for picture in layout.pictures:
        if re.fullmatch(rf"{prefix} \d+", picture.what):
            # A thumbnail's frame is centred in its cell: its middle marks the row.
            middle = round(picture.box.y + picture.box.h / 2, 1)
            row = next((t for t in tops if abs(t - middle) < 1), middle)
            tops[row] = tops.get(row, 0) + 1
    return [tops[t] for t in sorted(tops, reverse=True)]


def test_balanced_rows_never_leave_one_alone() -> None:
    assert balanced_rows(7, 4) == [4, 3]
    assert balanced_rows(5, 3) == [3, 2]
    assert balanced_rows(13, 4) == [4, 3, 3, 3]
    assert balanced_rows(0, 4) == [] and balanced_rows(1, 4) == [1]


@pytest.mark.parametrize("page_format", ["A4", "A3"])
@pytest.mark.parametrize("orientation", ["portrait", "landscape"])
def test_no_drawing_stands_alone_on_its_row(small_spec: CalendarSpec, fonts: FontNames,
                                            page_format: str, orientation: str) -> None:
    drawings = [m.drawing for m in small_spec.months] + [small_spec.cover.drawing] * 3
    pixels = {path: upright_size(path) for path in small_spec.images}
    for count in range(1, 16):
        winners = tuple(Winner(drawings[i], small_spec.months[i % 12].caption)
                        for i in range(count))
        spec = dataclasses.replace(small_spec, page_format=page_format, orientation=orientation,
                                   back=dataclasses.replace(small_spec.back, winners=winners))
        rows = rows_of(back_layout(spec, pixels, fonts), "winner")
        assert sum(rows) == count
        assert max(rows) - min(rows) <= 1, (count, rows)
        assert count == 1 or min(rows) >= 2, (count, rows)
        assert rows == sorted(rows, reverse=True)  # a shorter row comes last


def test_logos_in_balanced_rows_on_the_paper(small_spec: CalendarSpec, fonts: FontNames,
                                             tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    make_logo("Партнёр").save(logo)
    pixels = {path: upright_size(path) for path in small_spec.images} | {logo: (1200, 480)}
    for count in (1, 2, 5, 7, 12):
        partners = tuple(Partner(Text(f"P{i}"), logo) for i in range(count))
        spec = dataclasses.replace(small_spec, back=dataclasses.replace(
            small_spec.back, partners=partners, imprint=IMPRINT))
        layout = back_layout(spec, pixels, fonts)
        rows = rows_of(layout, "logo")
        assert sum(rows) == count and (count == 1 or min(rows) >= 2), rows
        logos = [p for p in layout.pictures if p.what.startswith("logo ")]
        winners = [p for p in layout.pictures if p.what.startswith("winner ")]
        imprint = next(t for t in layout.texts if t.what == "imprint")
        for picture in logos:
            assert picture.box == picture.image  # never cut
            assert picture.placed_dpi >= 299.9  # never larger than its pixels at 300 ppi
            assert picture.box.y > imprint.extent().top
            assert picture.box.top < min(w.box.y for w in winners)
            assert layout.frame.content.contains(picture.box)
        # Named partners with a logo are not named again in text.
        assert not any(t.what == "partners" for t in layout.texts)


def test_imprint_in_both_languages() -> None:
    ru = imprint_text(IMPRINT, Text(""), "ru")
    assert ru == ("Издатель: Общество «Крепкие кости». Типография: Типография «Печатный двор». "
                  f"Подписано в печать 15.11.2026. Тираж{NBSP}5{NBSP}000 экз. Заказ №{NBSP}12/7.")
    en = imprint_text(IMPRINT, Text(""), "en")
    assert en == ("Publisher: The Strong Bones society. Printed by Pechatny Dvor. Approved for "
                  f"printing 15 November 2026. Print run{NBSP}5,000 copies. Order No.{NBSP}12/7.")
    # The publisher falls back to the specification's; empty parts are left out.
    assert imprint_text(Imprint(print_run=1), Text("Общество."), "ru") == (
        f"Издатель: Общество. Тираж{NBSP}1 экз.")
    assert imprint_text(Imprint(), Text(""), "en") == ""


def test_the_back_page_prints_logos_and_imprint(small_spec: CalendarSpec, tmp_path: Path
                                                ) -> None:
    from pypdf import PdfReader

    spec = dataclasses.replace(small_spec, back=dataclasses.replace(small_spec.back,
                                                                    imprint=IMPRINT))
    for language in ("ru", "en"):
        out = tmp_path / f"{language}.pdf"
        report = build_calendar(dataclasses.replace(spec, language=language), out,
                                deterministic=True)
        back = report.pages[-1]
        assert [i.what for i in back.images if i.what.startswith("logo")] == ["logo 1", "logo 2"]
        text = PdfReader(out).pages[13].extract_text().replace(NBSP, " ")
        expected = ("Тираж 5 000 экз.", "Заказ № 12/7", "Подписано в печать 15.11.2026") if (
            language == "ru") else ("Print run 5,000 copies", "Order No. 12/7",
                                    "Approved for printing 15 November 2026")
        for words in expected:
            assert words in " ".join(text.split()), (words, text)


def test_a_transparent_logo_is_laid_on_white_paper(tmp_path: Path) -> None:
    logo = tmp_path / "logo.png"
    make_logo("Партнёр", "#E4572E").save(logo)
    with Image.open(logo) as source:
        assert source.getpixel((0, 0))[3] == 0  # transparent where there is no mark
    prepared = prepare_image(logo, (2.0, 0.8))
    with Image.open(io.BytesIO(prepared.data)) as printed:
        assert printed.mode == "RGB"
        assert all(channel > 250 for channel in printed.getpixel((2, 2)))
        red, green, blue = printed.getpixel((round(printed.width * 0.06), printed.height // 2))
        assert red > 200 and green < 130  # the emblem keeps its colour


def test_partners_and_imprint_in_json(example: dict, tmp_path: Path) -> None:  # noqa: F811
    logo = tmp_path / "logo.png"
    make_logo("Партнёр").save(logo)
    example["back"]["partners"] = [
        "Российская ассоциация по остеопорозу",
        {"ru": "Фонд", "en": "Foundation"},
        {"name": {"ru": "Крепкие кости", "en": "Strong bones"}, "logo": "logo.png"},
    ]
    example["back"]["imprint"] = {"publisher": "Общество", "print_run": "5000",
                                  "printer": {"ru": "Типография", "en": "Printing house"},
                                  "order_number": 1234, "signed": "2026-11-15"}
    spec = spec_from_dict(example, base=tmp_path)
    assert spec.back.partners[2] == Partner(Text("Крепкие кости", "Strong bones"), logo)
    assert spec.back.partners[1] == Partner(Text("Фонд", "Foundation"))
    assert spec.back.imprint == Imprint(Text("Общество", "Общество"), 5000,
                                        Text("Типография", "Printing house"), "1234",
                                        dt.date(2026, 11, 15))
    assert spec.logos == (logo,)


def test_partners_and_imprint_errors_name_their_field(example: dict,  # noqa: F811
                                                      tmp_path: Path) -> None:
    example["back"]["partners"] = [
        "Фонд", {"name": "Без логотипа", "logo": "missing.png"},
        {"name": "Опечатка", "logoo": "logo.png"}, {"logo": "absent.jpg"}]
    example["back"]["imprint"] = {"print_run": 10 ** 12, "order_number": "12\n7",
                                  "printer": "Типография\r\nМосква", "signed": "15.11.2026",
                                  "tirazh": 5}
    found = problems(example)
    assert found[:3] == [
        'back: partners[2].logoo: unknown key; did you mean "logo"?',
        'back: imprint.tirazh: unknown key; known keys: publisher, print_run, printer, '
        'order_number, signed',
        'back: imprint.signed: "15.11.2026" is not a date (YYYY-MM-DD)',
    ]
    assert found[3:] == [
        "back: imprint.print_run: 1000000000000 is not between 1 and 10 000 000",
        "back: imprint.printer: must be one line, without line breaks or control characters",
        "back: imprint.order_number: must be one line, without line breaks or control "
        "characters",
    ]


@pytest.mark.parametrize("run, message", [
    (0, "0 is not between 1 and 10 000 000"), (-5, "-5 is not between 1 and 10 000 000"),
    ("пять", '"пять" is not a whole number'), (2.5, "2.5 is not a whole number"),
    (True, "true is not a whole number"),
])
def test_a_print_run_is_a_positive_whole_number(example: dict, run: object,  # noqa: F811
                                                message: str) -> None:
    example["back"]["imprint"] = {"print_run": run}
    assert problems(example) == [f"back: imprint.print_run: {message}"]


def test_a_logo_that_is_no_image_is_refused_before_pixel_work(small_spec: CalendarSpec,
                                                               tmp_path: Path) -> None:
    fake = tmp_path / "logo.png"
    fake.write_text("<html>not a logo</html>")
    spec = dataclasses.replace(small_spec, back=dataclasses.replace(
        small_spec.back, partners=(Partner(Text("Фонд"), fake),
                                   Partner(Text("Нет"), tmp_path / "missing.png"))))
    plan = plan_calendar(spec)
    assert plan.problems == (
        "back: partners[0].logo: logo.png: not an image the calendar can print (it takes JPEG, "
        "PNG, TIFF, WebP, HEIC, AVIF, BMP or GIF), or a damaged one",
        f"back: partners[1].logo: missing.png: file not found ({tmp_path / 'missing.png'})")
    with pytest.raises(SpecError, match=r"partners\[0\]\.logo"):
        build_calendar(spec, tmp_path / "out.pdf")


def test_direct_construction_checks_partners_and_imprint(small_spec: CalendarSpec) -> None:
    with pytest.raises(SpecError) as caught:
        dataclasses.replace(small_spec, back=BackPage(
            Text("О нас"), partners=(Partner(Text("")),),
            imprint=Imprint(print_run=0, order_number="x" * 41)))
    assert caught.value.problems == (
        "back: partners[0]: needs a name or a logo",
        "back: imprint.print_run: 0 is not between 1 and 10 000 000",
        "back: imprint.order_number: at most 40 characters",
    )
