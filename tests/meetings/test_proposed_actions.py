"""A draft decision proposes actions; they become actions only when the decision is final.

Until then they are in no action list, count, calendar or export: a forum member sees them
only on the draft and in the draft minutes.
"""

from __future__ import annotations

import re

from sqlalchemy import func, select

from portal.models import Action, AuditEntry, Decision, ProposedAction
from tests.meetings.conftest import in_english

TITLE = "Ta fram SIP-mallen för hela länet"


def _form(owner: str, **changes) -> dict:
    values = {"title": "LSG antar en gemensam SIP-mall", "text": "Gäller från mars.",
              "intent": "draft", "new_actions-0-title": TITLE,
              "new_actions-0-owner_person": owner, "new_actions-0-owner_forum": "lsg",
              "new_actions-0-due": "2026-12-20", "new_actions-0-areas": ["kommun-region"]}
    return {**values, **changes}


def _feed(client, token: str) -> str:
    """The signed-in user's calendar feed, through a fresh link."""
    page = client.post("/kalender", data={"csrf_token": token}).get_data(as_text=True)
    url = re.search(r'https?://[^"<\s]+\.ics', page).group(0)
    return client.get(url[url.index("/kalender/"):]).get_data(as_text=True)


def _places(client, token: str) -> dict[str, bool]:
    """Where the proposed action's title shows: My work, the overview, the forum, the feed."""
    pages = {"my work": "/mitt-arbete", "overview": "/", "forum": "/forum/lsg",
             "open actions": "/oversikt/atgarder?visa=oppna"}
    found = {name: TITLE in client.get(url).get_data(as_text=True)
             for name, url in pages.items()}
    found["calendar"] = TITLE in _feed(client, token)
    return found


def _open_count() -> int:
    from portal.dashboard.queries import counts
    from portal.dates import today

    return counts(today())["open_actions"]


def _exported_titles(db) -> set[str]:
    from portal.exchange.exporter import export_document

    return {a["title"] for a in export_document(db.session)["actions"]}


def test_actions_of_a_draft_in_a_meeting_go_live_when_the_minutes_are_approved(
        client, db, held, coordinator, as_role):
    token = as_role("officer")
    owner = coordinator.person.key
    open_before = _open_count()
    response = client.post(f"/moten/{held.key}/beslut/ny", data={
        **_form(owner), "item": str(held.agenda[1].id), "csrf_token": token})
    assert response.status_code == 303, response.get_data(as_text=True)
    decision = db.session.scalar(select(Decision).where(Decision.meeting_id == held.id))

    # A proposal: on the draft and in the draft minutes, nowhere else.
    assert db.session.scalar(select(func.count()).select_from(Action)
                             .where(Action.title == TITLE)) == 0
    assert _places(client, token) == dict.fromkeys(
        ("my work", "overview", "forum", "open actions", "calendar"), False)
    assert TITLE not in _exported_titles(db)
    assert _open_count() == open_before
    in_english(client, token)
    page = client.get(f"/beslut/{decision.key}").get_data(as_text=True)
    proposed = page[page.index('id="proposed-h"'):]
    assert TITLE in proposed and "when the minutes are approved" in proposed
    minutes = client.get(f"/moten/{held.key}/protokoll").get_data(as_text=True)
    assert "Proposed actions" in minutes and TITLE in minutes

    response = client.post(f"/moten/{held.key}/justera", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    decision = db.session.get(Decision, decision.id)
    assert decision.status == "final"
    [action] = decision.actions
    assert (action.title, action.owner_person.key, action.owner_forum.key) == (TITLE, owner, "lsg")
    assert [a.key for a in action.areas] == ["kommun-region"]
    assert db.session.scalar(select(func.count()).select_from(ProposedAction)) == 0
    assert _places(client, token) == dict.fromkeys(
        ("my work", "overview", "forum", "open actions", "calendar"), True)
    assert TITLE in _exported_titles(db)
    assert _open_count() == open_before + 1
    trail = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity_type == "action", AuditEntry.entity_key == action.key))
    assert (trail.action, trail.data["decision"]) == ("create", decision.key)
    finalised = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity_type == "decision", AuditEntry.action == "finalise"))
    assert finalised.data["created_actions"] == [action.key]


def test_discarding_a_draft_leaves_nothing_behind(client, db, held, coordinator, as_role):
    token = as_role("officer")
    client.post(f"/moten/{held.key}/beslut/ny", data={
        **_form(coordinator.person.key), "csrf_token": token})
    decision = db.session.scalar(select(Decision).where(Decision.meeting_id == held.id))
    response = client.post(f"/beslut/{decision.key}/ta-bort", data={"csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert db.session.scalar(select(func.count()).select_from(ProposedAction)) == 0
    assert db.session.scalar(select(func.count()).select_from(Action)
                             .where(Action.title == TITLE)) == 0
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity_type == "decision", AuditEntry.action == "delete"))
    assert [p["title"] for p in entry.data["proposed_actions"]] == [TITLE]


def test_editing_a_draft_shows_and_changes_its_proposals(client, db, lsg, coordinator, as_role):
    """The form shows the proposals as its rows; saving as final (no meeting) creates them."""
    token = as_role("officer")
    response = client.post("/forum/lsg/beslut/ny", data={
        **_form(coordinator.person.key), "date": "2026-11-20", "csrf_token": token})
    assert response.status_code == 303
    decision = db.session.scalar(select(Decision).where(
        Decision.title == "LSG antar en gemensam SIP-mall"))
    assert decision.status == "draft" and decision.actions == []
    form = client.get(f"/beslut/{decision.key}/redigera").get_data(as_text=True)
    assert f'value="{TITLE}"' in form and 'value="2026-12-20"' in form

    client.post(f"/beslut/{decision.key}/redigera", data={
        **_form("", **{"new_actions-0-title": "Utbilda samordnarna"}),
        "date": "2026-11-20", "csrf_token": token})
    db.session.expire_all()
    assert [p.title for p in db.session.get(Decision, decision.id).proposed_actions] == [
        "Utbilda samordnarna"]
    assert db.session.scalar(select(func.count()).select_from(Action)
                             .where(Action.title == "Utbilda samordnarna")) == 0

    response = client.post(f"/beslut/{decision.key}/redigera", data={
        **_form("", intent="final", **{"new_actions-0-title": "Utbilda samordnarna"}),
        "date": "2026-11-20", "csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    final = db.session.get(Decision, decision.id)
    assert final.status == "final" and final.proposed_actions == []
    assert [a.title for a in final.actions] == ["Utbilda samordnarna"]


def test_discarding_asks_first_and_names_what_goes(client, db, held, coordinator, as_role):
    token = as_role("officer")
    client.post(f"/moten/{held.key}/beslut/ny", data={
        **_form(coordinator.person.key), "csrf_token": token})
    decision = db.session.scalar(select(Decision).where(Decision.meeting_id == held.id))
    in_english(client, token)
    page = client.get(f"/beslut/{decision.key}").get_data(as_text=True)
    assert f'href="/beslut/{decision.key}/kassera"' in page
    assert f'action="/beslut/{decision.key}/ta-bort"' not in page  # no discarding in one click
    confirm = client.get(f"/beslut/{decision.key}/kassera").get_data(as_text=True)
    assert "Discard the draft?" in confirm and TITLE in confirm
    assert f'action="/beslut/{decision.key}/ta-bort"' in confirm
    assert db.session.get(Decision, decision.id) is not None  # asking changes nothing
