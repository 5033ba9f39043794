"""Dates in a map: real dates or ``YYYY-MM-DD`` text, as a file gives them."""

import datetime


def as_date(value):
    """Return ``value`` as a date; accepts a date or a ``YYYY-MM-DD`` string, None stays None."""
    if value is None or type(value) is datetime.date:
        return value
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(value)
