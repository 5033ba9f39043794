"""Today's date where the portal's users are."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

STOCKHOLM = ZoneInfo("Europe/Stockholm")


def today() -> date:
    """Today's date in Europe/Stockholm."""
    return datetime.now(STOCKHOLM).date()
