"""One date range for every date: ending a seat and closing a forum, 1900-01-01..2199-12-31."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.directory import forum_services
from portal.entries import EntryError
from portal.models import Forum, ForumMembership, Person
from tests.decisions.conftest import in_english

RANGE = "Give a date from 1900-01-01 to 2199-12-31."


def _seat(db, forum: str, person: str) -> ForumMembership:
    return db.session.scalar(select(ForumMembership).join(ForumMembership.forum)
                             .join(ForumMembership.person)
                             .where(Forum.key == forum, Person.key == person))


@pytest.mark.parametrize("hx", [False, True])
def test_a_membership_ended_before_1900_is_refused(client, db, as_role, hx):
    """The members table comes back with 422 and the range, naming the row; the seat stays."""
    token = as_role("officer")
    in_english(client, token)
    response = client.post("/forum/lsg/medlemmar/ronja-holmberg/avsluta",
                           headers={"HX-Request": "true"} if hx else {},
                           data={"ended_on": "1899-12-31", "csrf_token": token})
    assert response.status_code == 422
    assert RANGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert _seat(db, "lsg", "ronja-holmberg").ended_on is None


def test_a_forum_closed_before_1900_is_refused(client, db, as_role):
    token = as_role("admin")
    in_english(client, token)
    response = client.post("/forum/lsg/redigera", data={
        "name": "Länssamverkansgruppen (LSG)", "kind": "collaboration", "level": "county",
        "apex": "y", "reports_to": "", "areas": ["kontinuitet", "kommun-region"],
        "mandate": "Samverkan.", "meets": "", "closed_on": "1899-12-31", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and 'id="closed_on-error"' in page and RANGE in page
    db.session.expire_all()
    assert db.session.scalar(select(Forum).where(Forum.key == "lsg")).closed_on is None


def test_the_services_refuse_dates_outside(db, lsg, coordinator):
    seat = _seat(db, "lsg", "ronja-holmberg")
    with pytest.raises(EntryError) as caught:
        forum_services.end_membership(coordinator, seat, ended_on=date(1, 1, 1))
    assert caught.value.errors == {"ended_on": RANGE}
