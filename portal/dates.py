"""Dates in the portal: today where its users are, and the one range every date must be in.

Every date the portal accepts (forms, in-place edits, a decision's new actions, meetings,
documents, indicator values, an import, the API's `as_of`) lies from FIRST_DATE to LAST_DATE,
as the exchange format says. The forms refuse others with `portal.forms.InDateRange`, the
services with `portal.forms.date_range_error`; `flask check-dates` lists stored dates outside.
This module imports nothing but the standard library: the exchange format's pure core uses it.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")
FIRST_DATE = date(1900, 1, 1)
LAST_DATE = date(2199, 12, 31)


def today() -> date:
    """Today's date in Europe/Stockholm."""
    return datetime.now(STOCKHOLM).date()


def in_range(day: date) -> bool:
    """Whether a date lies inside the portal's range (both ends included)."""
    return FIRST_DATE <= day <= LAST_DATE
