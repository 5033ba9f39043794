"""Building the iCalendar text from plain event data: no Flask, no database."""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from portal.dates import in_range

log = logging.getLogger(__name__)

TIMEZONE = "Europe/Stockholm"
# Reminders in the calendar app, as the portal's mails: at 08:00 seven days and one day before
# the (all-day) date, which starts at midnight.
ALARMS = (timedelta(days=-7, hours=8), timedelta(days=-1, hours=8))
UID_DOMAIN = "samverkansportalen"


@dataclass(frozen=True)
class Entry:
    """One all-day event of the feed."""

    uid: str
    day: date
    summary: str
    description: str
    url: str
    # A timed event (a meeting): its start and end in Europe/Stockholm; None for all-day.
    start: datetime | None = None
    end: datetime | None = None
    location: str | None = None


def uid(kind: str, key: str) -> str:
    """A UID that stays the same for the same milestone or action across fetches."""
    return f"{kind}-{key}@{UID_DOMAIN}"


def build(entries: list[Entry], name: str, stamp: datetime | None = None) -> bytes:
    """The feed as iCalendar bytes: all-day events on Stockholm dates."""
    from icalendar import Calendar  # imported on use: a fast start-up

    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", "-//Samverkansportalen//Kalender//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIMEZONE)
    for entry in entries:
        if not in_range(entry.day):  # stored before the portal had a range: `flask check-dates`
            log.warning("calendar feed: %s left out, its date %s is outside the portal's range",
                        entry.uid, entry.day.isoformat())
            continue
        try:
            cal.add_component(_event(entry, stamp))
        except Exception:  # noqa: BLE001 - one bad entry must not cost the whole feed
            log.exception("calendar feed: %s left out, it could not be written", entry.uid)
    if any(entry.start is not None for entry in entries):
        cal.add_missing_timezones()  # the VTIMEZONE of Europe/Stockholm
    return cal.to_ical()


def _event(entry: Entry, stamp: datetime):
    """One entry as a VEVENT with its reminders."""
    from icalendar import Alarm, Event

    event = Event()
    event.add("uid", entry.uid)
    event.add("dtstamp", stamp)
    event.add("summary", entry.summary)
    event.add("description", entry.description)
    event.add("url", entry.url)
    if entry.start is not None:  # a meeting: busy, reminded an hour before
        event.add("dtstart", entry.start)
        event.add("dtend", entry.end or entry.start + timedelta(hours=1))
        if entry.location:
            event.add("location", entry.location)
        reminders = (timedelta(hours=-1),)
    else:
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a deadline does not make the user busy
        reminders = ALARMS
    for before in reminders:
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", entry.summary)
        alarm.add("trigger", before)
        event.add_component(alarm)
    return event


def entries_of(objects: Iterable[Any], make: Callable[[Any], Entry]) -> list[Entry]:
    """The entries made from stored objects, leaving out (and logging) any that cannot be."""
    made = []
    for obj in objects:
        try:
            made.append(make(obj))
        except Exception:  # noqa: BLE001 - a bad stored row must not cost the whole feed
            log.exception("calendar feed: %r left out, it could not be read", obj)
    return made
