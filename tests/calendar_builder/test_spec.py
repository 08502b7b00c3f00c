"""The specification is checked as a whole before any pixel work: every problem, named."""

import copy
import dataclasses
import datetime as dt
import json
import re
from pathlib import Path

import pytest

from calendar_builder.spec import (
    KEYS,
    CalendarSpec,
    Caption,
    Colours,
    SpecError,
    Text,
    Transfer,
    load_spec,
    spec_from_dict,
)

README = Path(__file__).parents[2] / "calendar_builder" / "README.md"


@pytest.fixture
def example() -> dict:
    block = re.search(r"Complete example.*?```json\n(.*?)```", README.read_text("utf-8"), re.S)
    return json.loads(block.group(1))


def problems(data: dict) -> list[str]:
    with pytest.raises(SpecError) as caught:
        spec_from_dict(data)
    assert str(caught.value) == "\n".join(caught.value.problems)
    return list(caught.value.problems)


def test_the_readme_example_is_valid(example: dict) -> None:
    spec = spec_from_dict(example)
    assert spec.year == 2027 and spec.months[4].caption.age == 8
    assert spec.transfers is None and not spec.holidays_confirmed


def test_a_misspelled_key_is_refused_with_the_nearest_name(example: dict) -> None:
    example["page_fromat"] = "A3"
    example["months"][0]["fact"]["sourse"] = "IOF"
    example["cover"]["captoin"] = {}
    example["colours"]["acent"] = "#000000"
    assert problems(example) == [
        'page_fromat: unknown key; did you mean "page_format"?',
        'cover: captoin: unknown key; did you mean "caption"?',
        'month 01 (Январь): fact.sourse: unknown key; did you mean "source"?',
        'colours.acent: unknown key; did you mean "accent"?',
    ]


def test_a_key_like_none_lists_the_known_ones(example: dict) -> None:
    example["months"][2]["zzz"] = 1
    assert problems(example) == [
        "month 03 (Март): zzz: unknown key; known keys: " + ", ".join(KEYS["month"])]


def test_every_problem_is_collected_and_names_its_page_and_field(example: dict) -> None:
    example["months"][4]["caption"]["age"] = "девять"
    del example["months"][2]["caption"]
    example["months"][7]["caption"]["first_name"] = 7
    example["colours"]["accent"] = "red"
    example["marked_days"][0]["date"] = "2027-13-01"
    example["bleed_mm"] = 50
    example["crop_marks"] = "yes"
    example["back"]["winners"][1]["caption"]["age"] = 9.5
    del example["cover"]["title"]
    assert problems(example) == [
        'crop_marks: must be true or false, not "yes"',
        "cover: title: missing",
        "month 03 (Март): caption: missing",
        'month 05 (Май): caption.age: "девять" is not a number',
        'month 08 (Август): caption.first_name: must be a text or {"ru": ..., "en": ...}, '
        "not 7",
        "back: winners[1].caption.age: 9.5 is not a number",
        'marked_days[0].date: "2027-13-01" is not a date (YYYY-MM-DD)',
        "bleed_mm: 50 is not between 0 and 10",
        'colours.accent: "red" is not a colour (#RRGGBB, e.g. #E4572E)',
    ]


def test_the_english_edition_names_its_pages_in_english(example: dict) -> None:
    example["language"] = "en"
    example["months"][4]["caption"]["age"] = "nine"
    assert problems(example) == ['month 05 (May): caption.age: "nine" is not a number']


def test_wrong_shapes_are_named_not_raised(example: dict) -> None:
    assert problems([]) == ["the specification must be a JSON object {...}, not a list"]
    example["months"] = {"january": {}}
    example["back"]["winners"] = "Маша"
    assert problems(example) == [
        'months: must be a list [...], not {"january": {}}',
        'back: winners: must be a list [...], not "Маша"',
    ]
    del example["months"]
    assert problems(example) == ["months: missing", 'back: winners: must be a list [...], '
                                                    'not "Маша"']


def test_an_age_written_as_digits_is_taken(example: dict) -> None:
    example["months"][0]["caption"]["age"] = "9"
    assert spec_from_dict(example).months[0].caption.age == 9
    example["months"][0]["caption"]["age"] = 140
    assert problems(example) == ["month 01 (Январь): caption.age: 140 is not between 1 and 99"]


def test_transfers_in_json(example: dict) -> None:
    example["year"] = 2028
    for day in example["marked_days"]:
        day["date"] = "2028" + day["date"][4:]
    example["transfers"] = [
        {"from": "2028-01-01", "to": "2028-05-02"},
        {"from": "2028-01-02", "to": "2028-12-29",
         "label": {"ru": "Выходной по постановлению", "en": "Day off by decree"}},
    ]
    spec = spec_from_dict(example)
    assert spec.transfers == (
        Transfer(dt.date(2028, 1, 1), dt.date(2028, 5, 2), Text(""), Text("")),
        Transfer(dt.date(2028, 1, 2), dt.date(2028, 12, 29),
                 Text("Выходной по постановлению", "Day off by decree"), Text("")),
    )
    example["transfers"] = [{"from": "2028-01-05", "too": "2028-05-02"},
                            {"from": "2027-01-02", "to": "2028-05-06"}]
    assert problems(example) == [
        'transfers[0].too: unknown key; did you mean "to"?',
        "transfers[0].to: missing",
        "transfers[0].from: 2028-01-05 is a Wednesday: only a weekend day moves",
        "transfers[1].from: 2027-01-02 is not in 2028",
        "transfers[1].to: 2028-05-06 is a Saturday, already a day off",
    ]


def test_direct_construction_is_checked_as_a_whole(small_spec: CalendarSpec) -> None:
    months = list(small_spec.months)
    months[4] = dataclasses.replace(months[4], caption=Caption(Text("Соня"), "девять"))
    with pytest.raises(SpecError) as caught:
        dataclasses.replace(small_spec, months=tuple(months), colours=Colours(ink="navy"),
                            language="de", page_format="A5")
    assert caught.value.problems == (
        "language: must be one of ru, en, not 'de'",
        "page_format: must be A4 or A3, not 'A5'",
        'month 05 (Май): caption.age: "девять" is not a number',
        'colours.ink: "navy" is not a colour (#RRGGBB, e.g. #E4572E)',
    )


def test_load_spec_reports_broken_json(tmp_path: Path) -> None:
    path = tmp_path / "calendar.json"
    path.write_text('{"year": 2027,', encoding="utf-8")
    with pytest.raises(SpecError, match=r"calendar.json: not valid JSON"):
        load_spec(path)


def test_a_copy_with_missing_drawing_paths_is_still_read(example: dict) -> None:
    broken = copy.deepcopy(example)
    broken["months"][5]["drawing"] = ""
    assert problems(broken) == ['month 06 (Июнь): drawing: must be a file\'s path, not ""']
