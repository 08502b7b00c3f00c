"""When a juror is reminded of missing score sheets: one pure rule, tested with a fixed clock.

A juror with sheets still to fill is reminded once, on the first run of the reminder task in
the last ``days_before`` days before the stage's deadline (and on the deadline's own day);
not before, not after the deadline, never twice in that window. Days are the contest's
own (``BABEL_DEFAULT_TIMEZONE``), not UTC's.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo


def window(deadline: date, days_before: int) -> tuple[date, date] | None:
    """The days on which reminders go out, first and last; None if reminders are off."""
    if days_before <= 0:
        return None
    return deadline - timedelta(days=days_before), deadline


def jurors_to_remind(deadline: date, days_before: int, missing: Mapping[int, int],
                     reminded: set[int], now: datetime, zone: str) -> list[int]:
    """The jurors (ids) to remind at ``now`` (aware, or naive UTC): those with sheets
    ``missing`` (juror id -> how many) who were not ``reminded`` in this window yet."""
    days = window(deadline, days_before)
    if days is None:
        return []
    if now.tzinfo is None:
        now = now.replace(tzinfo=ZoneInfo("UTC"))
    today = now.astimezone(ZoneInfo(zone)).date()
    if not days[0] <= today <= days[1]:
        return []
    return sorted(juror for juror, count in missing.items() if count > 0 and juror not in reminded)
