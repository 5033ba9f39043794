"""Planning meetings: one or a series, moving and cancelling, who may, and where they show."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.models import AuditEntry, Meeting, MeetingSeries
from tests.meetings.conftest import ROLES, expected, in_english

PLANNERS = {"admin", "officer"}
PLANNED_HERE = Meeting.meets_on >= date(2026, 1, 1)  # the demo's own meetings are older


def _plan(**changes) -> dict:
    values = {"first": "2026-01-13", "start": "09:00", "duration": "120",
              "place": "Regionens hus", "title": "", "cadence": "monthly_weekday",
              "interval": "1", "nth": "", "until": "", "count": "3"}
    return {**values, **changes}


@pytest.mark.parametrize("role", ROLES)
def test_who_may_plan(client, db, lsg, as_role, role):
    """The forum's officers and admins plan; members, leadership and others are refused."""
    token = as_role(role)
    response = client.post("/forum/lsg/moten/planera", data={**_plan(), "csrf_token": token})
    assert response.status_code == expected(role, PLANNERS, 303)
    count = db.session.scalar(select(func.count()).select_from(Meeting).where(PLANNED_HERE))
    assert count == (3 if role in PLANNERS else 0)


def test_a_series_on_the_second_tuesday(client, db, lsg, as_role):
    """Three monthly meetings on the second Tuesday, with time, duration and place, audited."""
    token = as_role("officer")
    response = client.post("/forum/lsg/moten/planera", data={**_plan(), "csrf_token": token})
    assert response.headers["Location"].endswith("/forum/lsg/moten")
    meetings = db.session.scalars(
        select(Meeting).where(PLANNED_HERE).order_by(Meeting.meets_on)).all()
    assert [m.meets_on for m in meetings] == [date(2026, 1, 13), date(2026, 2, 10),
                                              date(2026, 3, 10)]
    assert {m.place for m in meetings} == {"Regionens hus"}
    assert meetings[0].key == "lsg-2026-01-13"
    series = db.session.scalar(select(MeetingSeries))
    assert series.cadence == "monthly_weekday" and all(m.series_id == series.id for m in meetings)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.entity_type == "meeting", AuditEntry.action == "create",
        AuditEntry.entity_key.in_([m.key for m in meetings]))) == 3


def test_csrf_is_required(client, db, lsg, as_role):
    as_role("officer")
    response = client.post("/forum/lsg/moten/planera", data=_plan())
    assert response.status_code in (400, 422)
    assert db.session.scalar(select(func.count()).select_from(Meeting).where(PLANNED_HERE)) == 0


def test_errors_are_shown_next_to_the_fields(client, db, lsg, as_role):
    token = as_role("officer")
    in_english(client, token)
    response = client.post("/forum/lsg/moten/planera", data={
        **_plan(first="", count="", duration="2000"), "csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert "Give the date of the (first) meeting." in page
    assert "Between 1 and 1440 minutes." in page
    assert 'value="Regionens hus"' in page  # what was typed is kept
    assert db.session.scalar(select(func.count()).select_from(Meeting).where(PLANNED_HERE)) == 0


def test_move_and_cancel(client, db, meeting, as_role):
    token = as_role("officer")
    response = client.post(f"/moten/{meeting.key}/flytta", data={
        "first": "2026-01-20", "start": "13:00", "duration": "90", "place": "Skellefteå",
        "title": "", "csrf_token": token})
    assert response.status_code == 303
    db.session.refresh(meeting)
    assert meeting.meets_on == date(2026, 1, 20) and meeting.place == "Skellefteå"
    assert client.post(f"/moten/{meeting.key}/stall-in",
                       data={"csrf_token": token}).status_code == 303
    db.session.refresh(meeting)
    assert meeting.status == "cancelled"
    response = client.post(f"/moten/{meeting.key}/flytta", data={
        "first": "2026-01-27", "csrf_token": token})
    assert response.status_code == 422  # a cancelled meeting is not moved


def test_forum_page_shows_the_next_meeting_first(client, db, lsg, coordinator, as_role):
    from portal.dates import today
    from portal.meetings import services

    day = today()
    services.plan_meetings(coordinator, lsg, services.Plan(
        first=day.replace(year=day.year + 1), cadence="weekly", interval=2, count=4,
        place="Lycksele"))
    services.plan_meetings(coordinator, lsg, services.Plan(first=day.replace(year=day.year - 1),
                                                           title="Förra årets möte"))
    as_role("viewer")
    page = client.get("/forum/lsg").get_data(as_text=True)
    meetings = page.index('id="meetings"')
    assert meetings < page.index('id="mandate"')  # the answer first
    section = page[meetings:page.index('id="mandate"')]
    next_date = day.replace(year=day.year + 1)
    assert section.index("Lycksele") < section.index("Förra årets möte")
    assert str(next_date.year) in section[:section.index("Lycksele") + 200]


def test_queries_do_not_grow_with_the_number_of_meetings(client, db, lsg, coordinator, as_role):
    """A forum page with 60 meetings makes as many queries as one with 3."""
    from sqlalchemy import event

    from portal.meetings import services

    as_role("viewer")

    def count_queries() -> int:
        statements = []
        listener = lambda *args: statements.append(args[2])  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get("/forum/lsg").status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(statements)

    services.plan_meetings(coordinator, lsg, services.Plan(first=date(2030, 1, 7),
                                                           cadence="weekly", count=3))
    few = count_queries()
    services.plan_meetings(coordinator, lsg, services.Plan(first=date(2031, 1, 6),
                                                           cadence="weekly", count=57))
    assert count_queries() == few


def test_my_work_and_the_calendar_feed(client, db, lsg, coordinator, as_role):
    """A coming meeting is on My work and a timed event in Stockholm time in the feed."""
    from datetime import time, timedelta

    from portal.calendar import services as calendar
    from portal.dates import today
    from portal.meetings import services

    day = today() + timedelta(days=30)
    services.plan_meetings(coordinator, lsg, services.Plan(
        first=day, start=time(9, 0), duration=120, place="Regionens hus, Umeå"))
    services.plan_meetings(coordinator, lsg, services.Plan(first=day + timedelta(days=7)))
    cancelled = services.plan_meetings(coordinator, lsg, services.Plan(
        first=day + timedelta(days=14)))[0]
    services.cancel_meeting(coordinator, cancelled)
    as_role("officer")
    page = client.get("/mitt-arbete").get_data(as_text=True)
    section = page[page.index('id="my-meetings"'):]
    assert "Regionens hus" not in section and f"lsg-{day.isoformat()}" in section
    token_value = calendar.renew_token(coordinator)
    feed = client.get(f"/kalender/{token_value}.ics").get_data(as_text=True)
    stamp = day.strftime("%Y%m%d")
    assert f"meeting-lsg-{day.isoformat()}@samverkansportalen" in feed
    assert f"DTSTART;TZID=Europe/Stockholm:{stamp}T090000" in feed
    assert f"DTEND;TZID=Europe/Stockholm:{stamp}T110000" in feed
    assert "BEGIN:VTIMEZONE" in feed and "LOCATION:Regionens hus\\, Umeå" in feed
    no_time = (day + timedelta(days=7)).strftime("%Y%m%d")
    assert f"DTSTART;VALUE=DATE:{no_time}" in feed  # without a start: all day
    assert cancelled.key not in feed
