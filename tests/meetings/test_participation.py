"""A forum's participation table: the window, recorded meetings, principals, substitutes, trend."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.meetings import services
from portal.meetings.participation import participation
from portal.models import ForumMembership, Organisation

AS_OF = date(2028, 6, 30)  # clear of the demo's meetings, so the counts are the test's


@pytest.fixture
def held_on(db, lsg, coordinator, person):
    """held_on(day, present=[...], apologies=[...], recorded=True): a held LSG meeting."""

    def make(day, present=(), apologies=(), recorded=True, substitutes=None):
        [meeting] = services.plan_meetings(coordinator, lsg, services.Plan(first=day))
        services.open_meeting(coordinator, meeting, [coordinator.person.key])
        for key in present:
            services.mark_attendance(coordinator, meeting, person(key), "present")
        for key in apologies:
            services.mark_attendance(coordinator, meeting, person(key), "apologies")
        for key, instead_of in (substitutes or {}).items():
            services.mark_attendance(coordinator, meeting, person(key), "present",
                                     person(instead_of))
        if not recorded:
            meeting.is_attendance_recorded = False
            db.session.commit()
        return meeting

    return make


def _line(lines, key):
    return next(line for line in lines if line.subject.key == key)


def test_window_boundary_364_and_365_days(held_on, lsg):
    """365 days back is outside the window; 364 days back is inside."""
    held_on(AS_OF - timedelta(days=365), present=["jimmy-ostrom"])
    held_on(AS_OF - timedelta(days=364), present=["jimmy-ostrom"])
    result = participation(lsg, AS_OF)
    assert len(result["meetings"]) == 1
    assert _line(result["members"], "jimmy-ostrom").attended == 1


def test_only_recorded_held_meetings_count(held_on, lsg, coordinator):
    held_on(AS_OF - timedelta(days=10), present=["jimmy-ostrom"])
    held_on(AS_OF - timedelta(days=20), recorded=False)
    services.plan_meetings(coordinator, lsg, services.Plan(first=AS_OF - timedelta(days=5)))
    held_on(AS_OF + timedelta(days=1), present=["jimmy-ostrom"])  # after the as-of date
    result = participation(lsg, AS_OF)
    assert len(result["meetings"]) == 1
    jimmy = _line(result["members"], "jimmy-ostrom")
    helena = _line(result["members"], "helena-ronnqvist")
    assert (jimmy.attended, helena.attended) == (1, 0)


def test_a_principal_counts_its_members_units_delegates_and_substitutes(db, held_on, lsg,
                                                                       person):
    """A municipality is present through its member, a member acting on its behalf, or a
    substitute standing in for its member; the substitute's own employer is not."""
    jimmy = person("jimmy-ostrom")
    municipality = jimmy.organisation
    helena_seat = db.session.scalar(select(ForumMembership).where(
        ForumMembership.forum_id == lsg.id,
        ForumMembership.person.has(key="helena-ronnqvist")))
    other = db.session.scalar(select(Organisation).where(
        Organisation.kind == "municipality", Organisation.id != municipality.id,
        Organisation.is_principal.is_(True)).order_by(Organisation.name))
    helena_seat.on_behalf_of = [other]
    db.session.commit()
    outsider = db.session.scalar(select(ForumMembership).where(
        ForumMembership.forum_id != lsg.id,
        ForumMembership.person.has(organisation_id=db.session.scalar(
            select(Organisation.id).where(Organisation.kind == "region_unit").limit(1))))
    ).person
    held_on(AS_OF - timedelta(days=300), present=["jimmy-ostrom"])
    held_on(AS_OF - timedelta(days=100), substitutes={outsider.key: "jimmy-ostrom"})
    held_on(AS_OF - timedelta(days=50), present=["helena-ronnqvist"])
    result = participation(lsg, AS_OF)
    assert _line(result["principals"], municipality.key).attended == 2
    assert _line(result["principals"], other.key).attended == 1
    assert _line(result["members"], "jimmy-ostrom").attended == 1  # the substitute is not him


def test_the_trend_compares_the_halves_182_and_183_days(held_on, lsg):
    """A meeting 182 days back belongs to the earlier half; 181 days back to the later one."""
    held_on(AS_OF - timedelta(days=300), present=["jimmy-ostrom"])
    held_on(AS_OF - timedelta(days=182), present=["jimmy-ostrom"])
    held_on(AS_OF - timedelta(days=181), apologies=["jimmy-ostrom"])
    result = participation(lsg, AS_OF)
    jimmy = _line(result["members"], "jimmy-ostrom")
    assert (jimmy.early, jimmy.late) == ([2, 2], [0, 1])
    assert jimmy.trend == "down" and jimmy.apologies == 1
    assert _line(result["members"], "helena-ronnqvist").trend == "same"


def test_the_page(client, held_on, lsg, as_role):
    held_on(AS_OF - timedelta(days=30), present=["jimmy-ostrom"], apologies=["helena-ronnqvist"])
    as_role("viewer")
    page = client.get("/forum/lsg/deltagande?as_of=2026-06-30").get_data(as_text=True)
    members = page[page.index('id="members-h"'):]
    row = members[members.index("Jimmy Öström"):]
    assert "<strong>1</strong>" in row[:row.index("</tr>")]
    assert "Skellefteå" in page[page.index('id="principals-h"'):page.index('id="members-h"')]
