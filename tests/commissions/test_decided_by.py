"""Decision points decided by decisions: the lead links them, the timeline shows who decided."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.models import AuditEntry, Decision, Forum, Milestone, User
from tests.commissions.conftest import ROLES, by_key, in_english
from tests.helpers import csrf_token


def _timeline_entry(page: str, key: str) -> str:
    """The timeline entry of one milestone."""
    start = page.index(f'id="milestone-{key}"')
    following = page.find('<li id="milestone-', start + 1)
    return page[start:following if following != -1 else page.index("</ol>", start)]


def test_the_timeline_names_who_decided_and_in_which_meeting(client, commission, as_role):
    as_role("viewer")
    in_english(client)
    page = client.get(f"/uppdrag/{commission.key}").get_data(as_text=True)
    bp1 = _timeline_entry(page, "fm2025-bp1")
    assert "Decided by" in bp1
    assert 'href="/beslut/hsn-2024-12-direktiv"' in bp1
    assert 'href="/beslut/rs-2024-12-direktiv"' in bp1
    assert "/moten/hsn-2024-12-17" in bp1 and "/moten/rs-2024-12-17" in bp1
    assert "Decided by" not in _timeline_entry(page, "fm2025-bp2")
    assert "Link decisions" not in page  # a viewer changes nothing


@pytest.mark.parametrize("role", ROLES)
def test_who_may_link_decisions(client, db, commission, users, as_role, role):
    as_role(role)
    response = client.get("/milstolpar/fm2025-bp2/beslut")
    allowed = role in ("admin", "commission_lead")
    assert response.status_code == (200 if allowed else 302 if role == "signed_out" else 403)


def test_the_lead_links_bp2_and_marks_it_reached_by_the_decision(client, db, commission,
                                                                  as_role):
    as_role("commission_lead")
    milestone = by_key(db, Milestone, "fm2025-bp2")
    form = client.get("/milstolpar/fm2025-bp2/beslut").get_data(as_text=True)
    assert 'value="rs-2025-11-halsoval-2026"' in form  # RS gave the commission with HSN
    response = client.post("/milstolpar/fm2025-bp2/beslut", data={
        "csrf_token": csrf_token(client, "/"), "version": milestone.version,
        "decisions": ["rs-2025-11-halsoval-2026"], "reach": "y"})
    assert response.status_code == 303
    db.session.expire_all()
    milestone = by_key(db, Milestone, "fm2025-bp2")
    assert [d.key for d in milestone.decided_by] == ["rs-2025-11-halsoval-2026"]
    assert milestone.done_on == date(2025, 11, 25)
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity_type == "milestone", AuditEntry.entity_key == "fm2025-bp2")
        .order_by(AuditEntry.id.desc()))
    assert entry.after["decided_by"] == ["rs-2025-11-halsoval-2026"]
    assert entry.before["decided_by"] == []
    in_english(client)
    page = client.get(f"/uppdrag/{commission.key}").get_data(as_text=True)
    assert 'href="/beslut/rs-2025-11-halsoval-2026"' in _timeline_entry(page, "fm2025-bp2")


def test_a_draft_or_a_stale_form_is_refused(client, db, commission, as_role):
    from portal.decisions.services import DecisionData, log_decision

    as_role("commission_lead")
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    draft = log_decision(admin, by_key(db, Forum, "hsn"),
                         DecisionData(title="Utkast om BP2", date=date(2026, 3, 1)), final=False)
    milestone = by_key(db, Milestone, "fm2025-bp2")
    in_english(client)
    response = client.post("/milstolpar/fm2025-bp2/beslut", data={
        "csrf_token": csrf_token(client, "/"), "version": milestone.version,
        "decisions": [draft.key]})
    assert response.status_code == 422
    assert "is a draft" in response.get_data(as_text=True)
    response = client.post("/milstolpar/fm2025-bp2/beslut", data={
        "csrf_token": csrf_token(client, "/"), "version": milestone.version - 1,
        "decisions": ["rs-2025-11-halsoval-2026"]})
    assert response.status_code == 409
    db.session.expire_all()
    assert by_key(db, Milestone, "fm2025-bp2").decided_by == []


def test_the_timeline_shows_the_meetings_that_have_it_on_the_agenda(client, db, commission,
                                                                     as_role):
    from portal.meetings import services

    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    hsn = by_key(db, Forum, "hsn")
    [meeting] = services.plan_meetings(admin, hsn, services.Plan(first=date(2027, 2, 9)))
    services.add_item(admin, meeting, None, link="milestone:fm2025-bp2")
    as_role("viewer")
    in_english(client)
    page = client.get(f"/uppdrag/{commission.key}").get_data(as_text=True)
    bp2 = _timeline_entry(page, "fm2025-bp2")
    assert "On the agenda" in bp2 and f'href="/moten/{meeting.key}"' in bp2
    assert "not yet held" in bp2 and "item 1" in bp2
    assert db.session.scalar(select(Decision).where(Decision.meeting_id == meeting.id)) is None
