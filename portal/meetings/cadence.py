"""The dates of a series of meetings from its cadence (pure: dates in, dates out)."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

MAX_MEETINGS = 60  # one series plans at most this many meetings


def nth_weekday(year: int, month: int, weekday: int, nth: int) -> date | None:
    """The `nth` `weekday` (0 = Monday) of a month; nth -1 is the last. None if there is none."""
    days = calendar.monthrange(year, month)[1]
    matching = [d for d in range(1, days + 1) if date(year, month, d).weekday() == weekday]
    if nth == -1:
        return date(year, month, matching[-1])
    if 1 <= nth <= len(matching):
        return date(year, month, matching[nth - 1])
    return None


def position_in_month(day: date) -> int:
    """Which occurrence of its weekday in its month a date is (1–5)."""
    return (day.day - 1) // 7 + 1


def occurrences(cadence: str, starts_on: date, *, interval: int = 1, weekday: int | None = None,
                nth: int | None = None, ends_on: date | None = None,
                count: int | None = None) -> list[date]:
    """The meeting dates of a series, from `starts_on` until `ends_on` or `count` meetings.

    `weekly` every `interval` weeks on the start date's weekday; `monthly_weekday` on the
    `nth` `weekday` of every `interval` months (from the start date when not given);
    `quarterly` the same every third month. At most MAX_MEETINGS dates.
    """
    limit = min(count or MAX_MEETINGS, MAX_MEETINGS)
    interval = max(1, interval)
    dates: list[date] = []
    if cadence == "once":
        return [starts_on]
    if cadence == "weekly":
        day = starts_on
        while len(dates) < limit and (ends_on is None or day <= ends_on):
            dates.append(day)
            day += timedelta(weeks=interval)
        return dates
    if cadence not in ("monthly_weekday", "quarterly"):
        raise ValueError(f"unknown cadence {cadence!r}")
    step = interval * (3 if cadence == "quarterly" else 1)
    weekday = starts_on.weekday() if weekday is None else weekday
    nth = position_in_month(starts_on) if nth is None else nth
    year, month = starts_on.year, starts_on.month
    for _ in range(limit * 2 + 2):  # months without an nth weekday (a 5th) are skipped
        day = nth_weekday(year, month, weekday, nth)
        if day is not None and day >= starts_on:
            if ends_on is not None and day > ends_on:
                break
            dates.append(day)
            if len(dates) >= limit:
                break
        month += step
        year, month = year + (month - 1) // 12, (month - 1) % 12 + 1
    return dates
