"""Fixtures of the meeting cycle: the demo's LSG, its officers and a planned meeting."""

from __future__ import annotations

from datetime import date, time

import pytest
from sqlalchemy import select

from portal.models import Meeting, User
from tests.decisions import conftest as _decisions
from tests.decisions.conftest import ROLES, expected, in_english  # noqa: F401 - for the tests

# The decision log's fixtures: the demo's LSG, its coordinator, people, accounts by role.
lsg, coordinator, person = _decisions.lsg, _decisions.coordinator, _decisions.person
role_account, english = _decisions.role_account, _decisions.english

MEETING_DAY = date(2026, 1, 13)


@pytest.fixture(autouse=True)
def _demo_without_meetings(request):
    """The cycle is tested on a map where nobody has planned meetings yet.

    The demo carries a year of illustrative meetings; the ones no decision was taken in are
    removed, so counts and keys here are the test's own.
    """
    if "db" not in request.fixturenames or "lsg" not in request.fixturenames:
        return
    request.getfixturevalue("lsg")
    db = request.getfixturevalue("db")
    from portal.models import Decision

    taken_in = select(Decision.meeting_id).where(Decision.meeting_id.is_not(None))
    for stale in db.session.scalars(select(Meeting).where(Meeting.id.not_in(taken_in))):
        db.session.delete(stale)
    db.session.commit()


@pytest.fixture
def meeting(db, lsg, coordinator) -> Meeting:
    """A planned LSG meeting with two agenda items, planned by the coordinator."""
    from portal.meetings import services

    [planned] = services.plan_meetings(coordinator, lsg, services.Plan(
        first=MEETING_DAY, start=time(9, 0), duration=120, place="Regionens hus, Umeå"))
    services.add_item(coordinator, planned, "Föregående protokoll")
    services.add_item(coordinator, planned, "Gemensam SIP-mall")
    return db.session.scalar(select(Meeting).where(Meeting.key == planned.key))


@pytest.fixture
def held(db, meeting, coordinator) -> Meeting:
    """The meeting, opened with the coordinator as the one approver."""
    from portal.meetings import services

    services.open_meeting(coordinator, meeting, [coordinator.person.key])
    return meeting


@pytest.fixture
def admin(db, demo) -> User:
    return db.session.scalar(select(User).where(User.email == "admin@example.org"))
