"""The calendar itself: weeks of a month, names from Babel, Russia's days off from ``holidays``.

A day is *off* when the production calendar of the Russian Federation says so: a weekend
that is not a transferred working day, a public holiday, or a day off the government moved
(``holidays`` lists the moved days off and keeps the weekend days made working in
``weekend_workdays``).
"""

import calendar
import datetime as dt
import re
from dataclasses import dataclass
from functools import cache
from itertools import groupby
from typing import Literal

import holidays
from babel import Locale
from babel.dates import format_date, get_day_names, get_month_names

from .spec import DEFAULT_LANGUAGE, Language, MarkedDay

# The English edition is British English: the same Monday-first weeks as the Russian one.
LOCALES = {"ru": "ru_RU", "en": "en_GB"}
HOLIDAY_LANGUAGE = {"ru": "ru", "en": "en_US"}
WORKING_WEEKEND = {"ru": "Рабочий день", "en": "Working day"}
# ``holidays`` writes the source of a moved day off as 02.01.2027 (ru) or 01/02/2027 (en_US),
# which a British reader takes for 1 February: the legend says "2 January" instead.
MOVED_FROM = {"ru": re.compile(r"(\d{2})\.(\d{2})\.(\d{4})"),
              "en": re.compile(r"(\d{2})/(\d{2})/(\d{4})")}

LegendKind = Literal["holiday", "working", "marked"]


@dataclass(frozen=True)
class Day:
    date: dt.date
    off: bool  # a weekend, public holiday or day off: printed in the weekend colour
    marked: bool  # an awareness day from the specification
    working_weekend: bool  # a Saturday or Sunday made a working day by a transfer


@dataclass(frozen=True)
class LegendEntry:
    days: str  # "1–6, 8"
    label: str
    kind: LegendKind


@dataclass(frozen=True)
class MonthGrid:
    year: int
    month: int
    name: str  # "Январь"
    weekday_names: tuple[str, ...]  # seven, from the locale's first weekday
    weekend_columns: frozenset[int]  # columns of Saturday and Sunday
    weeks: tuple[tuple[Day | None, ...], ...]  # 4 to 6 rows of seven
    legend: tuple[LegendEntry, ...]


def first_weekday(language: Language) -> int:
    """The locale's first day of the week, 0 for Monday (Babel's numbering)."""
    return Locale.parse(LOCALES[language]).first_week_day


def month_name(month: int, language: Language) -> str:
    """The month's stand-alone name, capitalised: "Январь", "January"."""
    names = get_month_names("wide", context="stand-alone", locale=LOCALES[language])
    return names[month].capitalize()


@cache
def russian_days_off(
    year: int, language: Language
) -> tuple[dict[dt.date, str], frozenset[dt.date]]:
    """Public holidays and days off of one year by date, and the weekend days made working."""
    calendar_ru = holidays.country_holidays(
        "RU", years=year, language=HOLIDAY_LANGUAGE[language]
    )
    names = {day: _readable_dates(name, language) for day, name in calendar_ru.items()}
    return names, frozenset(calendar_ru.weekend_workdays)


def _readable_dates(name: str, language: Language) -> str:
    def spelled(match: re.Match) -> str:
        first, second, year = (int(g) for g in match.groups())
        day, month = (first, second) if language == "ru" else (second, first)
        return format_date(dt.date(year, month, day), "d MMMM", locale=LOCALES[language])

    return MOVED_FROM[language].sub(spelled, name)


def is_day_off(day: dt.date, language: Language = DEFAULT_LANGUAGE) -> bool:
    """Whether the production calendar makes ``day`` a non-working day."""
    named, working_weekends = russian_days_off(day.year, language)
    if day in named:
        return True
    return day.weekday() >= 5 and day not in working_weekends


def month_grid(
    year: int, month: int, language: Language, marked_days: tuple[MarkedDay, ...] = ()
) -> MonthGrid:
    """The weeks of one month starting on the locale's first weekday, with its legend."""
    first = first_weekday(language)
    named, working_weekends = russian_days_off(year, language)
    marked = {d.date: d.label.get(language) for d in marked_days if d.date.month == month}

    def day(date: dt.date) -> Day:
        return Day(date, is_day_off(date, language), date in marked, date in working_weekends)

    weeks = tuple(
        tuple(day(date) if date.month == month else None for date in week)
        for week in calendar.Calendar(first).monthdatescalendar(year, month)
    )
    names = get_day_names("abbreviated", context="stand-alone", locale=LOCALES[language])
    order = [(first + i) % 7 for i in range(7)]
    in_month = {date: label for date, label in named.items() if date.month == month}
    legend = tuple(sorted(
        _entries(in_month, "holiday")
        + _entries({d: WORKING_WEEKEND[language] for d in working_weekends
                    if d.month == month}, "working")
        + _entries(marked, "marked"),
        key=lambda entry: int(re.match(r"\d+", entry.days)[0])))  # in the order of the days
    return MonthGrid(
        year=year,
        month=month,
        name=month_name(month, language),
        weekday_names=tuple(names[i].capitalize() for i in order),
        weekend_columns=frozenset(col for col, weekday in enumerate(order) if weekday >= 5),
        weeks=weeks,
        legend=legend,
    )


def _entries(labels: dict[dt.date, str], kind: LegendKind) -> tuple[LegendEntry, ...]:
    """One entry per label, its days written as ranges ("1–6, 8") in date order."""
    by_label: dict[str, list[int]] = {}
    for date in sorted(labels):
        by_label.setdefault(labels[date], []).append(date.day)
    return tuple(LegendEntry(_ranges(days), label, kind) for label, days in by_label.items())


def _ranges(days: list[int]) -> str:
    runs = [
        [day for _, day in run]
        for _, run in groupby(enumerate(days), key=lambda pair: pair[1] - pair[0])
    ]
    return ", ".join(str(r[0]) if len(r) == 1 else f"{r[0]}–{r[-1]}" for r in runs)
