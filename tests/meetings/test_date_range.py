"""One date range for every date: meetings and series stay inside 1900-01-01..2199-12-31."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.entries import EntryError
from portal.meetings import services
from portal.models import Meeting
from tests.meetings.conftest import in_english

RANGE = "Give a date from 1900-01-01 to 2199-12-31."


def _plan(**changes) -> dict:
    values = {"first": "2026-01-13", "start": "09:00", "duration": "120",
              "place": "Regionens hus", "title": "", "cadence": "once",
              "interval": "1", "nth": "", "until": "", "count": ""}
    return {**values, **changes}


def _count(db) -> int:
    return db.session.scalar(select(func.count()).select_from(Meeting))


@pytest.mark.parametrize("changes, field", [
    ({"first": "9999-12-31"}, "first"),
    ({"first": "1899-12-31"}, "first"),
    ({"cadence": "weekly", "count": "", "until": "2200-01-01"}, "until"),
    # Inside the range at the start, but the series would run past its end.
    ({"first": "2199-12-01", "cadence": "weekly", "count": "10"}, "count"),
])
def test_a_meeting_outside_the_range_is_not_planned(client, db, lsg, as_role, changes, field):
    token = as_role("officer")
    in_english(client, token)
    before = _count(db)
    response = client.post("/forum/lsg/moten/planera", data={**_plan(**changes),
                                                              "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="{field}-error"' in page and RANGE in page
    assert _count(db) == before


def test_a_meeting_is_not_moved_outside_the_range(client, db, meeting, as_role):
    token = as_role("officer")
    in_english(client, token)
    day = meeting.meets_on
    response = client.post(f"/moten/{meeting.key}/flytta", data={
        "first": "9999-12-31", "start": "13:00", "duration": "90", "place": "",
        "title": "", "csrf_token": token})
    assert response.status_code == 422 and RANGE in response.get_data(as_text=True)
    db.session.refresh(meeting)
    assert meeting.meets_on == day


def test_the_service_refuses_a_plan_outside_the_range(db, lsg, coordinator):
    with pytest.raises(EntryError) as caught:
        services.plan_meetings(coordinator, lsg, services.Plan(first=date(9999, 12, 31)))
    assert caught.value.errors == {"first": RANGE}
