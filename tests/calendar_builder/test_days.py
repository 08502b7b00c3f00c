"""The month grid and the production calendar of the Russian Federation."""

import datetime as dt

import pytest

from calendar_builder.days import (
    days_off_problem,
    first_weekday,
    holidays_years,
    is_day_off,
    month_grid,
    month_name,
    russian_days_off,
)
from calendar_builder.spec import MarkedDay, Text, Transfer

D = dt.date

# Official production calendars: Government decrees on the transfer of days off
# (2025: decree of 4 October 2024 No. 1335; 2026: of 24 September 2025 No. 1466; 2027: the
# decree of 2026), plus holidays falling on a weekend moved to the next working day by the
# Labour Code (art. 112) where the decree does not move them itself.
DECREES = {
    2025: ((D(2025, 1, 4), D(2025, 5, 2)), (D(2025, 1, 5), D(2025, 12, 31)),
           (D(2025, 2, 23), D(2025, 5, 8)), (D(2025, 3, 8), D(2025, 6, 13)),
           (D(2025, 11, 1), D(2025, 11, 3))),
    2026: ((D(2026, 1, 3), D(2026, 1, 9)), (D(2026, 1, 4), D(2026, 12, 31))),
    2027: ((D(2027, 1, 2), D(2027, 11, 5)), (D(2027, 1, 3), D(2027, 12, 31)),
           (D(2027, 2, 20), D(2027, 2, 22))),
}
# Non-working days from Monday to Friday:
WEEKDAYS_OFF = {
    2025: {
        D(2025, 1, 1), D(2025, 1, 2), D(2025, 1, 3), D(2025, 1, 6), D(2025, 1, 7),
        D(2025, 1, 8), D(2025, 5, 1), D(2025, 5, 2), D(2025, 5, 8), D(2025, 5, 9),
        D(2025, 6, 12), D(2025, 6, 13), D(2025, 11, 3), D(2025, 11, 4), D(2025, 12, 31),
    },
    2026: {
        D(2026, 1, 1), D(2026, 1, 2), D(2026, 1, 5), D(2026, 1, 6), D(2026, 1, 7),
        D(2026, 1, 8), D(2026, 1, 9), D(2026, 2, 23), D(2026, 3, 9), D(2026, 5, 1),
        D(2026, 5, 11), D(2026, 6, 12), D(2026, 11, 4), D(2026, 12, 31),
    },
    2027: {
        D(2027, 1, 1), D(2027, 1, 4), D(2027, 1, 5), D(2027, 1, 6), D(2027, 1, 7),
        D(2027, 1, 8), D(2027, 2, 22), D(2027, 2, 23), D(2027, 3, 8), D(2027, 5, 3),
        D(2027, 5, 10), D(2027, 6, 14), D(2027, 11, 4), D(2027, 11, 5), D(2027, 12, 31),
    },
}
# Saturdays and Sundays that are working days:
WORKING_WEEKEND_DAYS = {2025: {D(2025, 11, 1)}, 2026: set(), 2027: {D(2027, 2, 20)}}
# The three years have 247 working days of the 365.
WORKING_DAYS = {2025: 247, 2026: 247, 2027: 247}


def days_of(year: int) -> list[dt.date]:
    return [D(year, 1, 1) + dt.timedelta(days=n) for n in range(365)]


def decree(year: int) -> tuple[Transfer, ...]:
    return tuple(Transfer(moved_from, day_off) for moved_from, day_off in DECREES[year])


@pytest.mark.parametrize("year", [2025, 2026, 2027])
@pytest.mark.parametrize("source", ["holidays data", "the decree and art. 112"])
def test_days_off_equal_the_production_calendar(year: int, source: str) -> None:
    """Both ways to the days off give the official calendar: the ``holidays`` data, and the
    decree's transfers with the Labour Code's rule for a holiday on a weekend."""
    transfers = decree(year) if source != "holidays data" else None
    days = days_of(year)
    off = {d for d in days if is_day_off(d, "ru", transfers)}
    assert {d for d in off if d.weekday() < 5} == WEEKDAYS_OFF[year]
    assert {d for d in days if d.weekday() >= 5} - off == WORKING_WEEKEND_DAYS[year]
    assert len(days) - len(off) == WORKING_DAYS[year]


def test_the_labour_code_moves_a_weekend_holiday_unless_the_decree_does() -> None:
    # 2026: 8 March and 9 May fall on a Sunday and a Saturday; the decree moves neither.
    named, _ = russian_days_off(2026, "ru", decree(2026))
    assert named[D(2026, 3, 9)] == "Международный женский день (выходной)"
    assert named[D(2026, 5, 11)] == "День Победы (выходной)"
    # 2025: the decree moves 23 February (a Sunday) to 8 May, so 24 February is worked.
    named, working = russian_days_off(2025, "en", decree(2025))
    assert D(2025, 2, 24) not in named
    assert named[D(2025, 5, 8)] == "Day off (substituted from 23 February)"
    assert working == {D(2025, 11, 1): "Working day"}
    # 1–8 January never move by themselves: 2028 starts on a Saturday, and 3 January is off
    # as a holiday anyway; 4 November 2028 is a Saturday: Monday the 6th is off.
    named, working = russian_days_off(2028, "ru", ())
    assert D(2028, 1, 10) not in named and working == {}
    assert named[D(2028, 11, 6)] == "День народного единства (выходной)"


def test_a_decree_labels_its_days() -> None:
    transfer = Transfer(D(2028, 1, 1), D(2028, 5, 2),
                        Text("Выходной вместо 1 января", "Day off for 1 January"))
    working = Transfer(D(2028, 7, 1), D(2028, 7, 3), Text(""),
                       Text("Рабочая суббота", "Working Saturday"))
    named, worked = russian_days_off(2028, "ru", (transfer, working))
    assert named[D(2028, 5, 2)] == "Выходной вместо 1 января"
    assert named[D(2028, 7, 3)] == "Выходной (перенесено с 1 июля)"
    assert worked == {D(2028, 7, 1): "Рабочая суббота"}
    july = month_grid(2028, 7, "en", (), (transfer, working))
    assert [(e.days, e.label, e.kind) for e in july.legend] == [
        ("1", "Working Saturday", "working"),
        ("3", "Day off (substituted from 1 July)", "holiday")]


def test_the_years_the_holidays_data_covers() -> None:
    years = holidays_years()
    assert years[0] == 1991 and 2027 in years
    assert days_off_problem(2027, None, False) is None
    after = years[-1] + 1
    problem = days_off_problem(after, None, False)
    assert problem.startswith(f"year {after}: the government's decree moving the days off")
    assert '"transfers"' in problem and '"holidays_confirmed": true' in problem
    assert days_off_problem(after, (), False) is None
    assert days_off_problem(after, None, True) is None


@pytest.mark.parametrize("year", [2025, 2026, 2027])
@pytest.mark.parametrize("language", ["ru", "en"])
def test_grid_highlights_exactly_the_days_off(year: int, language: str) -> None:
    highlighted = {
        day.date
        for month in range(1, 13)
        for week in month_grid(year, month, language).weeks
        for day in week
        if day is not None and day.off
    }
    expected = {d for d in days_of(year) if d.weekday() >= 5} - WORKING_WEEKEND_DAYS[year]
    assert highlighted == expected | WEEKDAYS_OFF[year]


def test_weeks_start_on_the_locales_first_weekday() -> None:
    assert first_weekday("ru") == 0  # Babel's ru_RU and en_GB: Monday
    assert first_weekday("en") == 0
    ru = month_grid(2026, 3, "ru")
    assert ru.weekday_names == ("Пн", "Вт", "Ср", "Чт", "Пт", "Сб", "Вс")
    assert ru.weekend_columns == {5, 6}
    en = month_grid(2026, 3, "en")
    assert en.weekday_names == ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


@pytest.mark.parametrize(
    ("year", "month", "language", "weeks", "first_column"),
    [
        (2026, 3, "ru", 6, 6),  # 1 March 2026 is a Sunday: six weeks
        (2026, 3, "en", 6, 6),
        (2026, 2, "ru", 5, 6),  # 1 February 2026 is a Sunday, 28th a Saturday
        (2027, 2, "ru", 4, 0),  # February 2027 starts on Monday: exactly four weeks
        (2027, 1, "en", 5, 4),  # 1 January 2027 is a Friday, 31st a Sunday
        (2028, 7, "ru", 6, 5),  # 1 July 2028 is a Saturday, 31st a Monday
    ],
)
def test_weeks_and_numbering(year: int, month: int, language: str, weeks: int,
                             first_column: int) -> None:
    grid = month_grid(year, month, language)
    assert len(grid.weeks) == weeks
    assert all(len(week) == 7 for week in grid.weeks)
    assert grid.weeks[0][first_column].date == D(year, month, 1)
    assert all(day is None for day in grid.weeks[0][:first_column])
    numbers = [day.date.day for week in grid.weeks for day in week if day is not None]
    last = (D(year + month // 12, month % 12 + 1, 1) - dt.timedelta(days=1)).day
    assert numbers == list(range(1, last + 1))
    for week in grid.weeks:  # each row runs in weekday order
        weekdays = [day.date.weekday() for day in week if day is not None]
        assert weekdays == sorted(weekdays, key=lambda w: (w - first_weekday(language)) % 7)


def test_legend_lists_holidays_transfers_and_marked_days() -> None:
    solidarity = MarkedDay(D(2027, 12, 3), Text("День солидарности пациентов"))
    january = month_grid(2027, 1, "ru")
    assert [(e.days, e.label, e.kind) for e in january.legend] == [
        ("1–6, 8", "Новогодние каникулы", "holiday"),
        ("7", "Рождество Христово", "holiday"),
    ]
    february = month_grid(2027, 2, "ru")
    assert [(e.days, e.label, e.kind) for e in february.legend] == [  # in the order of the days
        ("20", "Рабочий день", "working"),
        ("22", "Выходной (перенесено с 20 февраля)", "holiday"),
        ("23", "День защитника Отечества", "holiday"),
    ]
    assert not [d for w in february.weeks for d in w if d and d.date.day == 20][0].off
    # a British reader would take 01/02/2027 for 1 February: the date is spelled out
    assert [e.label for e in month_grid(2027, 11, "en").legend][-1] == \
        "Day off (substituted from 2 January)"
    december = month_grid(2027, 12, "ru", (solidarity,))
    assert [(e.days, e.kind) for e in december.legend if e.kind == "marked"] == [("3", "marked")]
    assert december.legend[0].days == "3"
    marked = [d.date for w in december.weeks for d in w if d and d.marked]
    assert marked == [D(2027, 12, 3)]
    assert month_grid(2027, 12, "en").legend[0].label.startswith("Day off")


def test_month_names_from_babel() -> None:
    assert month_name(1, "ru") == "Январь"
    assert month_name(5, "ru") == "Май"
    assert month_name(10, "en") == "October"
