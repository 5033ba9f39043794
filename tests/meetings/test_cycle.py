"""Agenda and notice, opening, attendance, decisions in the minutes and their approval."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.models import Action, AuditEntry, Decision, Meeting
from tests.meetings.conftest import MEETING_DAY, ROLES, expected, in_english

RUNNERS = {"admin", "officer"}


def _open_action(db, lsg) -> Action:
    return db.session.scalar(select(Action).where(
        Action.owner_forum_id == lsg.id, Action.status.in_(("planned", "in_progress")))
        .order_by(Action.key))


def _decision_form(**changes) -> dict:
    values = {"title": "LSG antar en gemensam SIP-mall", "text": "Beslutet gäller från mars.",
              "intent": "draft", "new_actions-0-title": "Ta fram SIP-mallen",
              "new_actions-0-owner_person": "", "new_actions-0-owner_forum": "lsg",
              "new_actions-0-due": "2026-03-31"}
    return {**values, **changes}


# --- Agenda -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_who_may_edit_the_agenda(client, db, meeting, as_role, role):
    token = as_role(role)
    response = client.post(f"/moten/{meeting.key}/dagordning",
                           data={"title": "Övriga frågor", "link": "", "csrf_token": token})
    assert response.status_code == expected(role, RUNNERS, 303)
    db.session.expire_all()
    assert len(meeting.agenda) == (3 if role in RUNNERS else 2)


def test_agenda_from_what_needs_the_forum(client, db, lsg, meeting, as_role):
    """The suggestions list the forum's open actions; one click adds a numbered, linked item."""
    token = as_role("officer")
    action = _open_action(db, lsg)
    page = client.get(f"/moten/{meeting.key}/dagordning").get_data(as_text=True)
    assert action.title in page[page.index('id="needs"'):]
    response = client.post(f"/moten/{meeting.key}/dagordning/forslag", data={
        "title": action.title, "link": f"action:{action.key}", "csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert [(i.position, i.action_id) for i in meeting.agenda][-1] == (3, action.id)
    in_english(client, token)
    page = client.get(f"/moten/{meeting.key}/dagordning").get_data(as_text=True)
    needs = page[page.index('id="needs"'):]
    row = needs[needs.index(action.title):]
    assert "on the agenda" in row[:row.index("</li>")]


def test_move_and_remove_items(client, db, meeting, as_role):
    token = as_role("officer")
    second = meeting.agenda[1]
    client.post(f"/moten/{meeting.key}/dagordning/{second.id}/upp", data={"csrf_token": token})
    db.session.expire_all()
    assert [i.title for i in meeting.agenda] == ["Gemensam SIP-mall", "Föregående protokoll"]
    client.post(f"/moten/{meeting.key}/dagordning/{second.id}/bort", data={"csrf_token": token})
    db.session.expire_all()
    assert [(i.position, i.title) for i in meeting.agenda] == [(1, "Föregående protokoll")]


def test_an_item_without_title_is_refused(client, db, meeting, as_role):
    token = as_role("officer")
    in_english(client, token)
    response = client.post(f"/moten/{meeting.key}/dagordning",
                           data={"title": " ", "link": "", "csrf_token": token})
    assert response.status_code == 422
    assert "Give the item a title." in response.get_data(as_text=True)


def test_publishing_the_notice(client, db, meeting, as_role, make_user, person):
    """Publishing stamps the notice; members read it; the print version has the items."""
    token = as_role("officer")
    assert client.post(f"/moten/{meeting.key}/publicera",
                       data={"csrf_token": token}).status_code == 303
    db.session.refresh(meeting)
    assert meeting.agenda_published_at is not None
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "publish", AuditEntry.entity_key == meeting.key)) == 1
    notice = client.get(f"/moten/{meeting.key}/kallelse").get_data(as_text=True)
    assert "Gemensam SIP-mall" in notice and "Regionens hus" in notice
    printed = client.get(f"/moten/{meeting.key}/foredragningslista").get_data(as_text=True)
    assert "meetings-print.css" in printed
    assert re.search(r"<ol class=\"items\">.*Föregående protokoll.*Gemensam SIP-mall", printed,
                     re.S)


# --- Opening and attendance -------------------------------------------------------------------


def test_attendance_needs_an_opened_meeting(client, db, meeting, as_role, person):
    token = as_role("officer")
    response = client.post(f"/moten/{meeting.key}/narvaro", data={
        "person": "jimmy-ostrom", "status": "present", "csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert meeting.attendance == [] and not meeting.is_attendance_recorded


def test_opening_chooses_the_approvers(client, db, meeting, as_role):
    token = as_role("officer")
    response = client.post(f"/moten/{meeting.key}/oppna", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert meeting.status == "planned"  # no approver: refused
    response = client.post(f"/moten/{meeting.key}/oppna", data={
        "approvers": ["jimmy-ostrom", "jenny-sandberg"], "csrf_token": token})
    assert response.headers["Location"].endswith("/narvaro")
    db.session.expire_all()
    assert meeting.status == "held"
    assert sorted(a.person.key for a in meeting.approvers) == ["jenny-sandberg", "jimmy-ostrom"]


@pytest.mark.parametrize("role", ROLES)
def test_who_may_record_attendance(client, db, held, as_role, role):
    token = as_role(role)
    response = client.post(f"/moten/{held.key}/narvaro", data={
        "person": "jimmy-ostrom", "status": "present", "csrf_token": token})
    assert response.status_code == expected(role, RUNNERS, 303)
    db.session.expire_all()
    assert len(held.attendance) == (1 if role in RUNNERS else 0)


def test_one_click_per_member_with_htmx(client, db, held, as_role):
    """htmx gets the member's row back, with the principal they represent beside them."""
    token = as_role("officer")
    page = client.get(f"/moten/{held.key}/narvaro").get_data(as_text=True)
    assert 'id="row-jimmy-ostrom"' in page
    response = client.post(f"/moten/{held.key}/narvaro", headers={"HX-Request": "true"}, data={
        "person": "jimmy-ostrom", "status": "apologies", "row": "1", "csrf_token": token})
    assert response.status_code == 200
    row = response.get_data(as_text=True)
    assert row.lstrip().startswith('<tr id="row-jimmy-ostrom"')
    assert 'aria-pressed="true"' in row
    assert 'id="attendance-summary" role="status" hx-swap-oob="true"' in row
    db.session.expire_all()
    assert [(a.person.key, a.status) for a in held.attendance] == [("jimmy-ostrom", "apologies")]
    assert held.is_attendance_recorded
    client.post(f"/moten/{held.key}/narvaro", data={
        "person": "jimmy-ostrom", "status": "", "csrf_token": token})
    db.session.expire_all()
    assert held.attendance == [] and held.is_attendance_recorded  # absent, still recorded


def test_principals_and_a_substitute_found_by_search(client, db, held, as_role, person):
    """A member's own organisation and those they represent; a substitute added by search."""
    from portal.models import ForumMembership, Organisation

    token = as_role("officer")
    seat = db.session.scalar(select(ForumMembership).where(
        ForumMembership.forum_id == held.forum_id, ForumMembership.ended_on.is_(None),
        ForumMembership.role == "member").order_by(ForumMembership.id))
    municipalities = db.session.scalars(select(Organisation).where(
        Organisation.kind == "municipality", Organisation.id != seat.person.organisation_id)
        .order_by(Organisation.name).limit(2)).all()
    seat.on_behalf_of = list(municipalities)
    db.session.commit()
    page = client.get(f"/moten/{held.key}/narvaro").get_data(as_text=True)
    row = page[page.index(f'id="row-{seat.person.key}"'):]
    row = row[:row.index("</tr>")]
    for org in [seat.person.organisation, *municipalities]:
        assert org.name in row
    assert len(municipalities) == 2
    outsider = db.session.scalar(select(ForumMembership).where(
        ForumMembership.forum_id != held.forum_id)).person
    found = client.get(f"/moten/{held.key}/narvaro",
                       query_string={"q": outsider.name.split()[0]},
                       headers={"HX-Request": "true"}).get_data(as_text=True)
    assert found.lstrip().startswith('<div id="found"') and outsider.name in found
    client.post(f"/moten/{held.key}/narvaro", data={
        "person": outsider.key, "status": "present", "stands_in_for": "jimmy-ostrom",
        "csrf_token": token})
    in_english(client, token)
    page = client.get(f"/moten/{held.key}/narvaro").get_data(as_text=True)
    row = page[page.index(f'id="row-{outsider.key}"'):]
    assert "Substitute for" in row[:row.index("</tr>")]


# --- Decisions and approval -------------------------------------------------------------------


def test_a_decision_in_the_meeting_stays_a_draft_until_approval(client, db, held, as_role,
                                                                 make_user, person):
    token = as_role("officer")
    item = held.agenda[1]
    form = client.get(f"/moten/{held.key}/beslut/ny?item={item.id}").get_data(as_text=True)
    assert 'value="Gemensam SIP-mall"' in form
    response = client.post(f"/moten/{held.key}/beslut/ny", data={
        **_decision_form(), "item": str(item.id), "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)
    decision = db.session.scalar(select(Decision).where(Decision.meeting_id == held.id))
    assert decision.status == "draft" and decision.agenda_item_id == item.id
    assert decision.decided_on == MEETING_DAY
    # Not final from the decision form either: only the approval makes it final.
    response = client.post(f"/beslut/{decision.key}/redigera", data={
        **_decision_form(intent="final"), "date": MEETING_DAY.isoformat(), "csrf_token": token})
    assert response.status_code == 422
    db.session.refresh(decision)
    assert decision.status == "draft"
    # Draft minutes: members read them, a viewer does not.
    assert client.get(f"/moten/{held.key}/protokoll").status_code == 200
    client.post("/logout", data={"csrf_token": token})
    viewer = make_user("viewer", email="v@test.example")
    from tests.helpers import AuthActions

    AuthActions(client).login(viewer.email)
    assert client.get(f"/moten/{held.key}/protokoll").status_code == 403
    assert client.post(f"/moten/{held.key}/justera",
                       data={"csrf_token": AuthActions(client).csrf_token("/")}
                       ).status_code == 403


def test_approving_makes_the_minutes_and_decisions_final(client, db, held, coordinator, as_role,
                                                         make_user):
    from portal.decisions.services import DecisionData
    from portal.meetings import services

    services.mark_attendance(coordinator, held, coordinator.person, "present")
    decision = services.log_decision(coordinator, held, held.agenda[0],
                                     DecisionData(title="Protokollet läggs till handlingarna"))
    token = as_role("officer")
    response = client.post(f"/moten/{held.key}/justera", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert held.minutes_approved_on is not None
    assert held.approvers[0].approved_on == held.minutes_approved_on
    assert db.session.get(Decision, decision.id).status == "final"
    assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == "approve_minutes")) == 1
    # Final: no more decisions or attendance, and anyone signed in reads the minutes.
    response = client.post(f"/moten/{held.key}/narvaro", data={
        "person": "jimmy-ostrom", "status": "present", "csrf_token": token})
    db.session.expire_all()
    assert {a.person.key for a in held.attendance} == {coordinator.person.key}
    client.post("/logout", data={"csrf_token": token})
    from tests.helpers import AuthActions

    viewer = make_user("viewer", email="v@test.example")
    AuthActions(client).login(viewer.email)
    page = client.get(f"/moten/{held.key}/protokoll").get_data(as_text=True)
    assert "Protokollet läggs till handlingarna" in page


def test_two_approvers_both_needed(db, meeting, coordinator, person, make_user):
    from datetime import date

    from portal.meetings import services

    chair = make_user("forum_member", email="chair@test.example", person=person("jimmy-ostrom"))
    services.open_meeting(coordinator, meeting, ["jimmy-ostrom", coordinator.person.key])
    assert services.approve_minutes(coordinator, meeting, date(2026, 1, 15)) == "recorded"
    assert services.approve_minutes(coordinator, meeting, date(2026, 1, 15)) == "already"
    assert db.session.get(Meeting, meeting.id).minutes_approved_on is None
    assert services.approve_minutes(chair, meeting, date(2026, 1, 16)) == "final"
    assert db.session.get(Meeting, meeting.id).minutes_approved_on == date(2026, 1, 16)


def test_notifications_of_the_cycle(db, meeting, coordinator, person, make_user):
    """Publishing tells the members; open minutes tell the approvers who have not approved."""
    from datetime import datetime

    from portal.dates import STOCKHOLM
    from portal.meetings import notices, services

    member = make_user("forum_member", email="m@test.example", person=person("helena-ronnqvist"))
    now = datetime(2026, 1, 5, 8, 0, tzinfo=STOCKHOLM)
    assert list(notices.agendas_published(now)) == []
    services.publish_agenda(coordinator, meeting)
    told = {n.user_id for n in notices.agendas_published(now)}
    assert {member.id, coordinator.id} <= told
    services.open_meeting(coordinator, meeting, [coordinator.person.key])
    assert [n.user_id for n in notices.minutes_to_approve(now)] == [coordinator.id]
    from portal.notify.registry import KINDS

    assert {"agenda_published", "minutes_to_approve"} <= set(KINDS)


def test_the_decision_page_names_its_meeting(client, db, held, coordinator, as_role):
    from portal.decisions.services import DecisionData
    from portal.meetings import services

    decision = services.log_decision(coordinator, held, held.agenda[1],
                                     DecisionData(title="Ett beslut på mötet"))
    token = as_role("officer")
    in_english(client, token)
    page = client.get(f"/beslut/{decision.key}").get_data(as_text=True)
    assert "it becomes a final record when the minutes are approved" in page
    assert f'href="/moten/{held.key}/protokoll"' in page and "item 2" in page


def test_minutes_are_not_approved_before_the_meeting_day(db, meeting, coordinator):
    """An approval dated before the meeting would make an export the format refuses."""
    from datetime import timedelta

    from portal.entries import EntryError
    from portal.meetings import services

    services.open_meeting(coordinator, meeting, [coordinator.person.key])
    with pytest.raises(EntryError):
        services.approve_minutes(coordinator, meeting, meeting.meets_on - timedelta(days=1))
    assert services.approve_minutes(coordinator, meeting, meeting.meets_on) == "final"


def test_a_decision_of_the_minutes_keeps_its_documents_when_they_are_approved(
        client, db, held, coordinator, as_role):
    """A decision logged in the meeting with the plan it rests on keeps the plan once the
    minutes are approved, and the plan's page then lists it."""
    from portal.decisions.services import DecisionData
    from portal.meetings import services

    services.mark_attendance(coordinator, held, coordinator.person, "present")
    decision = services.log_decision(coordinator, held, held.agenda[1], DecisionData(
        title="LSG ställer sig bakom planen", documents=["plan-halsa-vard-omsorg"]))
    token = as_role("officer")
    assert f'href="/beslut/{decision.key}"' not in client.get(
        "/dokument/plan-halsa-vard-omsorg").get_data(as_text=True)  # a draft is no decision yet
    assert client.post(f"/moten/{held.key}/justera",
                       data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    final = db.session.get(Decision, decision.id)
    assert final.status == "final"
    assert [d.key for d in final.documents] == ["plan-halsa-vard-omsorg"]
    assert f'href="/beslut/{decision.key}"' in client.get(
        "/dokument/plan-halsa-vard-omsorg").get_data(as_text=True)
