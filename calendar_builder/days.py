"""The calendar itself: weeks of a month, names from Babel, Russia's days off.

A day is *off* when the production calendar of the Russian Federation says so: a weekend
that is not a transferred working day, a public holiday, or a day off the government moved.
For the years ``holidays`` knows (``holidays_years``) its data is the production calendar:
it lists the moved days off and keeps the weekend days made working in ``weekend_workdays``.
For any year, given the year's decree as ``Transfer``s, the days off are the public holidays
of the Labour Code (art. 112), the decree's transfers, and the Code's own rule: a holiday
falling on a weekend moves the day off to the next working day, unless the decree moves it
(the New Year holidays and Christmas, 1–8 January, never move by themselves: the decree
moves two of those that fall on a weekend).
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
from babel.dates import format_date, get_day_names
from holidays.countries.russia import Russia, RussiaStaticHolidays

from .spec import DEFAULT_LANGUAGE, LOCALES, Language, MarkedDay, Transfer, month_name

# The English edition is British English: the same Monday-first weeks as the Russian one.
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


# The non-working public holidays of the Labour Code, art. 112 (as it stands since 2013);
# those of 1–6 and 8 January do not move to a working day when they fall on a weekend.
LABOUR_CODE_HOLIDAYS = ((1, 1), (1, 2), (1, 3), (1, 4), (1, 5), (1, 6), (1, 7), (1, 8),
                        (2, 23), (3, 8), (5, 1), (5, 9), (6, 12), (11, 4))



@cache
def holidays_years() -> range:
    """The years whose production calendar the ``holidays`` data holds (decrees included).

    The government publishes the next year's decree in the autumn: a year after the last
    one ``holidays`` lists transfers for is not covered until the package is updated.
    """
    listed = (set(RussiaStaticHolidays.special_public_holidays)
              | set(RussiaStaticHolidays.special_public_holidays_observed))
    return range(Russia.start_year, max(listed) + 1)


def days_off_problem(year: int, transfers: tuple[Transfer, ...] | None,
                     confirmed: bool) -> str | None:
    """Why the days off of ``year`` cannot be printed as they stand, or None when they can."""
    if transfers is not None or confirmed or year in holidays_years():
        return None
    known = holidays_years()
    return (f"year {year}: the government's decree moving the days off of {year} is not in "
            f"the holidays data (it covers {known[0]}–{known[-1]}; the decree comes out in the "
            f"autumn before): give its transfers in \"transfers\", or set "
            f"\"holidays_confirmed\": true to print the public holidays with the Labour "
            f"Code's own transfers (art. 112) alone")


@cache
def russian_days_off(
    year: int, language: Language, transfers: tuple[Transfer, ...] | None = None
) -> tuple[dict[dt.date, str], dict[dt.date, str]]:
    """Public holidays and days off of one year by date, and the weekend days made working,
    each with its label.

    ``transfers`` None: the ``holidays`` data for a year it covers, else the public holidays
    with art. 112's transfers alone; a tuple: the year's decree (see the module's doc).
    """
    calendar_ru = holidays.country_holidays(
        "RU", years=year, language=HOLIDAY_LANGUAGE[language]
    )
    if transfers is None and year in holidays_years():
        names = {day: _readable_dates(name, language) for day, name in calendar_ru.items()}
        return names, {day: WORKING_WEEKEND[language] for day in calendar_ru.weekend_workdays}
    public = {dt.date(year, month, day): calendar_ru.get_list(dt.date(year, month, day))[0]
              for month, day in LABOUR_CODE_HOLIDAYS}
    days_off = dict(public)
    working: dict[dt.date, str] = {}
    moved = set()
    for transfer in transfers or ():
        label = transfer.label.get(language) or _readable_dates(
            calendar_ru.tr(calendar_ru.substituted_label) % transfer.moved_from.strftime(
                calendar_ru.tr(calendar_ru.substituted_date_format)), language)
        days_off[transfer.day_off] = label
        moved.add(transfer.moved_from)
        if transfer.moved_from not in public:
            working[transfer.moved_from] = (transfer.working_label.get(language)
                                            or WORKING_WEEKEND[language])
    observed = calendar_ru.tr(calendar_ru.observed_label)
    for holiday, name in sorted(public.items()):
        if holiday.weekday() < 5 or holiday in moved or holiday.month == 1:
            continue
        day = holiday + dt.timedelta(days=1)
        while day in days_off or (day.weekday() >= 5 and day not in working):
            day += dt.timedelta(days=1)
        if day.year == year:
            days_off[day] = observed % name
    return days_off, working


def _readable_dates(name: str, language: Language) -> str:
    def spelled(match: re.Match) -> str:
        first, second, year = (int(g) for g in match.groups())
        day, month = (first, second) if language == "ru" else (second, first)
        return format_date(dt.date(year, month, day), "d MMMM", locale=LOCALES[language])

    return MOVED_FROM[language].sub(spelled, name)


def is_day_off(day: dt.date, language: Language = DEFAULT_LANGUAGE,
               transfers: tuple[Transfer, ...] | None = None) -> bool:
    """Whether the production calendar makes ``day`` a non-working day."""
    named, working_weekends = russian_days_off(day.year, language, transfers)
    if day in named:
        return True
    return day.weekday() >= 5 and day not in working_weekends


def month_grid(
    year: int, month: int, language: Language, marked_days: tuple[MarkedDay, ...] = (),
    transfers: tuple[Transfer, ...] | None = None,
) -> MonthGrid:
    """The weeks of one month starting on the locale's first weekday, with its legend.

    ``transfers``: the year's decree, as ``russian_days_off`` takes it.
    """
    first = first_weekday(language)
    named, working_weekends = russian_days_off(year, language, transfers)
    marked = {d.date: d.label.get(language) for d in marked_days if d.date.month == month}

    def day(date: dt.date) -> Day:
        return Day(date, is_day_off(date, language, transfers), date in marked,
                   date in working_weekends)

    weeks = tuple(
        tuple(day(date) if date.month == month else None for date in week)
        for week in calendar.Calendar(first).monthdatescalendar(year, month)
    )
    names = get_day_names("abbreviated", context="stand-alone", locale=LOCALES[language])
    order = [(first + i) % 7 for i in range(7)]
    in_month = {date: label for date, label in named.items() if date.month == month}
    legend = tuple(sorted(
        _entries(in_month, "holiday")
        + _entries({d: label for d, label in working_weekends.items() if d.month == month},
                   "working")
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
