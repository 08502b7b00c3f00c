"""Typography by rule, in one place: ties, dashes, quotes and hyphenation, in both languages."""

import dataclasses

import pytest

from calendar_builder.fonts import FontNames, text_width
from calendar_builder.layout import calendar_layout
from calendar_builder.spec import CalendarSpec
from calendar_builder.text import NBSP, hyphenated, typeset, wrap

from .test_layout import pixels_for

_ = NBSP


@pytest.mark.parametrize(("text", "expected"), [
    # one- and two-letter words, two in a row too, tied to the next word
    ("Кости крепнут в детстве и в юности", f"Кости крепнут в{_}детстве и{_}в{_}юности"),
    ("Он гуляет на солнце", f"Он{_}гуляет на{_}солнце"),
    # a number and the word after it
    ("более 8,9 миллиона переломов — один каждые 3 секунды",
     f"более 8,9{_}миллиона переломов{_}— один каждые 3{_}секунды"),
    ("Отмечают 20 октября", f"Отмечают 20{_}октября"),
    ("постановление № 1466", f"постановление №{_}1466"),
    # no line starts with a dash; a spaced hyphen is a dash
    ("Крепкие кости - с детства", f"Крепкие кости{_}— с{_}детства"),
    # particles stay with the word before; a Latin code with its word
    ("Знаете ли вы", f"Знаете{_}ли{_}вы"),
    ("витамин D и кальций", f"витамин{_}D и{_}кальций"),
    # «ёлочки», „лапки“ inside them, and an apostrophe
    ('Рисунок "Мой "Спартак"" победил', "Рисунок «Мой „Спартак“» победил"),
    ("Д'Артаньян", "Д\u2019Артаньян"),
    # English: English quotes, "a" and "I" tied, numbers with their words
    ('The children\'s "Jumping together" in 3 seconds', "The children\u2019s \u201cJumping "
     f"together\u201d in 3{_}seconds"),
    ("I drew a bone - it is strong", f"I{_}drew a{_}bone - it is strong"),
    ("one every 3 seconds — a fact", f"one every 3{_}seconds{_}— a{_}fact"),
])
def test_typeset(text: str, expected: str) -> None:
    assert typeset(text) == expected
    assert typeset(expected) == expected  # applied twice, nothing changes


def test_no_short_word_ends_a_line_and_no_line_starts_with_a_dash(fonts: FontNames) -> None:
    text = ("Кости строятся в детстве и в юности, и крепнут с движением — а молоко и солнце "
            "в каждом дне помогают им: 20 октября весь мир говорит о 3 секундах")
    for width in range(80, 400, 7):
        lines = wrap(text, fonts.regular, 12, width)
        assert lines is not None
        for line in lines:
            assert text_width(line, fonts.regular, 12) <= width + 0.01
            assert not line.startswith(("—", "–"))
            last = line.split(" ")[-1]
            assert not (len(last) <= 2 and last.isalpha()), (width, line)
            assert not line.split(" ")[-1].isdigit()


def test_long_words_are_hyphenated_by_russian_rules(fonts: FontNames) -> None:
    word = "остеопороза"
    split = hyphenated(word, lambda head: len(head) <= 7)
    assert hyphenated(f"с{_}движением{_}—", lambda head: len(head) <= 7) == (
        f"с{_}дви-", f"жением{_}—")
    assert split == ("остео-", "пороза")
    text = "Профилактика остеопороза начинается с детства"
    width = text_width("Профилактика остеопо-", fonts.regular, 12) + 1
    lines = wrap(text, fonts.regular, 12, width)
    assert lines[0] == "Профилактика остеопо-" and lines[1].startswith("роза")
    assert "".join(line.removesuffix("-") for line in lines).replace(" ", "").replace(
        _, "") == text.replace(" ", "")
    # a word wider than the line is broken where it may be, not refused
    narrow = text_width("Профилак-", fonts.regular, 12) + 1
    assert wrap("Профилактика", fonts.regular, 12, narrow) == ["Профилак-", "тика"]
    english = wrap("Osteoporosis prevention", fonts.regular, 12,
                   text_width("Osteoporo-", fonts.regular, 12) + 1)
    assert english[0] in ("Osteoporo-", "Osteo-")


def test_every_text_on_every_page_is_typeset(small_spec: CalendarSpec,
                                             fonts: FontNames) -> None:
    for language in ("ru", "en"):
        spec = dataclasses.replace(small_spec, language=language)
        for layout in calendar_layout(spec, pixels_for(spec, [(3000, 2000)]), fonts):
            for block in layout.texts:
                for line in block.lines:
                    assert typeset(line.text) == line.text, (layout.name, block.what, line)
                    assert '"' not in line.text
                    if language == "en" and "«" in line.text:
                        pytest.fail(f"guillemets in the English edition: {line.text}")
