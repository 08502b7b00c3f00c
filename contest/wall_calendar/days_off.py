"""The days off a calendar prints: the government's decree for a year, entered by an organizer
when the calendar builder does not know it yet."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from calendar_builder import (
    Transfer,
    days_off_problem,
    holidays_years,
    russian_days_off,
    transfer_problems,
)

from .. import audit
from ..extensions import db
from ..models import HolidayDecree


def known_years() -> range:
    """The years whose days off the calendar builder knows without a decree entered here."""
    return holidays_years()


def decree(year: int) -> HolidayDecree | None:
    """The decree an organizer entered for ``year``, if any."""
    return db.session.scalar(select(HolidayDecree).where(HolidayDecree.year == year))


def decree_transfers(year: int) -> tuple[Transfer, ...] | None:
    """The transfers of the decree entered for ``year``; None when none was entered."""
    row = decree(year)
    if row is None:
        return None
    return tuple(Transfer(date.fromisoformat(t["from"]), date.fromisoformat(t["to"]))
                 for t in row.transfers)


def decree_problems(year: int, transfers: list[tuple[date, date]]) -> list[int]:
    """The rows of ``transfers`` the calendar would refuse (see ``transfer_problems``)."""
    found = transfer_problems(year, tuple(Transfer(a, b) for a, b in transfers))
    return sorted({index for index, _key, _message in found})


def save_decree(year: int, reference: str, transfers: list[tuple[date, date]],
                user_id: int | None) -> HolidayDecree:
    """Enter or replace the decree of ``year``; logged. The caller commits."""
    if decree_problems(year, transfers):
        raise ValueError("transfers the calendar cannot print")
    row = decree(year) or HolidayDecree(year=year)
    row.reference = reference.strip()
    row.transfers = [{"from": a.isoformat(), "to": b.isoformat()} for a, b in sorted(transfers)]
    row.user_id = user_id
    db.session.add(row)
    db.session.flush()
    audit.record("calendar.decree", row, year=year, reference=row.reference,
                 transfers=row.transfers)
    return row


def days_off_summary(year: int, language: str) -> tuple[list[tuple[date, str]],
                                                         list[tuple[date, str]]]:
    """What the calendar of ``year`` will print: the weekdays off and the weekend days worked,
    each with its legend label, so an organizer can compare them with the official calendar."""
    transfers = decree_transfers(year)
    if transfers is None and days_off_problem(year, None, False) is not None:
        transfers = ()  # the Labour Code alone: what an override would print
    named, working = russian_days_off(year, language, transfers)
    return (sorted((d, label) for d, label in named.items() if d.weekday() < 5),
            sorted(working.items()))

