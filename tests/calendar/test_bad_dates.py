"""The feed survives any bad stored entry: it leaves it out, logs it, and serves the rest."""

from __future__ import annotations

import logging
from datetime import date, timedelta

from sqlalchemy import select, text

from portal.dates import today
from portal.meetings import services as meetings
from portal.models import Action, Forum, Meeting, User
from tests.calendar.test_calendar import MEMBER, events, new_link


def test_a_date_written_straight_into_the_database_does_not_break_the_feed(
        client, auth, demo, db, caplog):
    """Issue 15, item 8: an action due 9999-12-31 (and a meeting that day at 23:30) made every
    feed that holds it answer 500. Now the feed answers 200 without them and logs each."""
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    member = db.session.scalar(select(User).where(User.email == MEMBER))
    good, bad = db.session.scalars(select(Action).where(Action.owner_forum_id.is_(None))
                                   .order_by(Action.id).limit(2)).all()
    for action, due in ((good, date(2026, 12, 15)), (bad, date(2026, 12, 16))):
        action.owner_forum_id, action.owner_person_id = lsg.id, None
        action.status, action.due_on = "in_progress", due
    db.session.commit()
    soon = today() + timedelta(days=30)
    fine, broken = meetings.plan_meetings(member, lsg, meetings.Plan(
        first=soon, cadence="weekly", count=2, start=None, duration=60))
    keys = {"good": good.key, "bad": bad.key, "fine": fine.key, "broken": broken.key}
    # As a hostile SQL client, or an old row from before the range: no portal check runs.
    db.session.execute(text("UPDATE action SET due_on = :day WHERE id = :id"),
                       {"day": date(9999, 12, 31), "id": bad.id})
    db.session.execute(text("UPDATE meeting SET meets_on = :day, start_time = :at, "
                            "duration = 120 WHERE id = :id"),
                       {"day": date(9999, 12, 31), "at": "23:30:00", "id": broken.id})
    db.session.commit()
    db.session.expire_all()

    with caplog.at_level(logging.WARNING, logger="portal.calendar.feed"):
        found = events(client, new_link(client, auth, MEMBER))  # asserts 200

    assert f"action-{keys['good']}@samverkansportalen" in found
    assert f"meeting-{keys['fine']}@samverkansportalen" in found
    assert f"action-{keys['bad']}@samverkansportalen" not in found
    assert f"meeting-{keys['broken']}@samverkansportalen" not in found
    logged = caplog.text
    assert keys["bad"] in logged and keys["broken"] in logged


def test_a_meeting_at_the_last_minute_of_the_range_is_served(client, auth, demo, db):
    """2199-12-31 23:30 for two hours ends in 2200; the feed still carries the meeting."""
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    member = db.session.scalar(select(User).where(User.email == MEMBER))
    (meeting,) = meetings.plan_meetings(member, lsg, meetings.Plan(
        first=date(2199, 12, 31), duration=120))
    db.session.execute(text("UPDATE meeting SET start_time = :at WHERE id = :id"),
                       {"at": "23:30:00", "id": meeting.id})
    db.session.commit()
    found = events(client, new_link(client, auth, MEMBER))
    assert found[f"meeting-{meeting.key}@samverkansportalen"].decoded("DTSTART").year == 2199
    assert db.session.get(Meeting, meeting.id) is not None
