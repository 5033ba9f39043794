"""Building the iCalendar text from plain event data: no Flask, no database."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from portal.exchange.schema import FIRST_DATE, LAST_DATE

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
    from icalendar import Alarm, Calendar, Event  # imported on use: a fast start-up

    stamp = stamp or datetime.now(UTC)
    cal = Calendar()
    cal.add("prodid", "-//Samverkansportalen//Kalender//SV")
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    cal.add("method", "PUBLISH")
    cal.add("x-wr-calname", name)
    cal.add("x-wr-timezone", TIMEZONE)
    for entry in entries:
        if not FIRST_DATE <= entry.day <= LAST_DATE:
            continue  # a date outside the portal's range (stored before it had one): not served
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
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", entry.summary)
            alarm.add("trigger", timedelta(hours=-1))
            event.add_component(alarm)
            cal.add_component(event)
            continue
        event.add("dtstart", entry.day)
        event.add("dtend", entry.day + timedelta(days=1))
        event.add("transp", "TRANSPARENT")  # a deadline does not make the user busy
        for before in ALARMS:
            alarm = Alarm()
            alarm.add("action", "DISPLAY")
            alarm.add("description", entry.summary)
            alarm.add("trigger", before)
            event.add_component(alarm)
        cal.add_component(event)
    if any(entry.start is not None for entry in entries):
        cal.add_missing_timezones()  # the VTIMEZONE of Europe/Stockholm
    return cal.to_ical()
