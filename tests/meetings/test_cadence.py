"""The dates a cadence gives: weeks, the nth weekday of a month, quarters, the last weekday."""

from __future__ import annotations

from datetime import date

from portal.meetings.cadence import MAX_MEETINGS, nth_weekday, occurrences


def test_every_three_weeks_until_a_date_includes_the_last_day():
    dates = occurrences("weekly", date(2026, 1, 5), interval=3, ends_on=date(2026, 2, 16))
    assert dates == [date(2026, 1, 5), date(2026, 1, 26), date(2026, 2, 16)]


def test_monthly_on_the_second_tuesday_from_the_first_date():
    dates = occurrences("monthly_weekday", date(2026, 1, 13), count=4)
    assert dates == [date(2026, 1, 13), date(2026, 2, 10), date(2026, 3, 10), date(2026, 4, 14)]
    assert all(d.weekday() == 1 for d in dates)


def test_the_last_thursday_crosses_the_year():
    dates = occurrences("monthly_weekday", date(2025, 11, 27), nth=-1, count=3)
    assert dates == [date(2025, 11, 27), date(2025, 12, 25), date(2026, 1, 29)]


def test_quarterly_every_third_month():
    dates = occurrences("quarterly", date(2026, 2, 3), ends_on=date(2026, 12, 31))
    assert dates == [date(2026, 2, 3), date(2026, 5, 5), date(2026, 8, 4), date(2026, 11, 3)]


def test_a_fifth_weekday_skips_the_months_that_lack_one():
    assert nth_weekday(2026, 2, 0, 5) is None
    dates = occurrences("monthly_weekday", date(2026, 3, 30), count=3)  # 5th Monday
    assert dates == [date(2026, 3, 30), date(2026, 6, 29), date(2026, 8, 31)]


def test_a_series_is_bounded():
    assert len(occurrences("weekly", date(2026, 1, 1), count=1000)) == MAX_MEETINGS
    assert occurrences("once", date(2026, 1, 1)) == [date(2026, 1, 1)]
