"""A forum meeting as a timed event of the calendar feed (Europe/Stockholm)."""

from __future__ import annotations

from datetime import datetime, time, timedelta

from portal.calendar.feed import Entry, uid
from portal.dates import STOCKHOLM
from portal.links import external_url
from portal.models import Meeting

DEFAULT_MINUTES = 60


def meeting_entry(meeting: Meeting) -> Entry:
    """The meeting from its start for its duration; without a start time, an all-day event."""
    name = f"{meeting.forum.name}: {meeting.title}" if meeting.title else meeting.forum.name
    status = " (hållet)" if meeting.status == "held" else ""
    entry = {"uid": uid("meeting", meeting.key), "day": meeting.meets_on,
             "summary": f"Möte: {name}{status}",
             "description": f"Forum: {meeting.forum.name}"
                            + (f"\nPlats: {meeting.place}" if meeting.place else ""),
             "url": external_url("meetings.detail", key=meeting.key),
             "location": meeting.place}
    if meeting.start_time is None:
        return Entry(**{k: v for k, v in entry.items() if k != "location"})
    start = datetime.combine(meeting.meets_on, meeting.start_time or time(0), tzinfo=STOCKHOLM)
    end = start + timedelta(minutes=meeting.duration or DEFAULT_MINUTES)
    return Entry(**entry, start=start, end=end)
