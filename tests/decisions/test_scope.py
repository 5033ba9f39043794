"""Scope of a decision: which commissions' actions it links, to whom it gives new actions,
and how an owner outside the forum hears of one and declines it (issue 15, item 11)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from portal.decisions.services import (
    DecisionData,
    EntryError,
    NewAction,
    correct_decision,
    log_decision,
    update_draft,
)
from portal.models import Action, AuditEntry, Decision, Forum, User
from portal.notify.registry import KINDS
from tests.decisions.conftest import ROLES, expected

FOREIGN = "a25-implementeringsplan"  # UPPDRAGiL 3.0: owned by HSN, co-owned by RS, led by Emma
FREE = "a-lifecare-utskrivning"  # an action of no commission


def _data(**changes) -> DecisionData:
    values = {"title": "Beslut om samordning", "date": datetime(2025, 11, 20).date(),
              "text": "Text.", "actions": []}
    return DecisionData(**{**values, **changes})


def _user(db, email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _forum(db, key: str) -> Forum:
    return db.session.scalar(select(Forum).where(Forum.key == key))


# --- linking actions of a commission ------------------------------------------------------


def test_a_forum_links_actions_only_of_commissions_it_owns_or_its_decider_leads(
        db, lsg, coordinator, make_user, person):
    """LSG owns no part of UPPDRAGiL 3.0: its coordinator cannot link the commission's action
    (the refusal names it, at the field); HSN (owner) and RS (co-owner) can, as can the
    commission's lead in a forum they sit in, and an admin anywhere. An action of no
    commission is linked by anyone."""
    with pytest.raises(EntryError) as refused:
        log_decision(coordinator, lsg, _data(actions=[FOREIGN, FREE]))
    assert FOREIGN in refused.value.errors["actions"] and FREE not in refused.value.errors[
        "actions"]
    db.session.rollback()
    assert [a.key for a in log_decision(coordinator, lsg, _data(actions=[FREE])).actions] == [
        FREE]
    hsn_member = make_user("forum_member", "hsn@test.example", person("stefan-lundgren"))
    assert log_decision(hsn_member, _forum(db, "hsn"), _data(actions=[FOREIGN])).actions
    lead = _user(db, "uppdrag@example.org")
    assert log_decision(lead, _forum(db, "lsam-sodra-lappland"),
                        _data(title="Södra Lappland", actions=[FOREIGN])).actions
    admin = _user(db, "admin@example.org")
    assert log_decision(admin, lsg, _data(title="Admin", actions=[FOREIGN])).actions


def test_links_already_stored_stay_when_a_draft_is_edited_or_a_decision_corrected(
        db, lsg, coordinator, final_decision):
    """A draft an admin linked to the commission's action, and the demo's final decision of
    LSG (which links actions of two commissions), are edited and corrected by LSG's
    coordinator with their links; adding another such link is refused."""
    admin = _user(db, "admin@example.org")
    draft = log_decision(admin, lsg, _data(actions=[FOREIGN]), final=False)
    update_draft(coordinator, draft, _data(title="Ändrat", actions=[FOREIGN]))
    assert [a.key for a in draft.actions] == [FOREIGN]
    kept = [a.key for a in final_decision.actions]
    version = correct_decision(coordinator, final_decision, _data(
        title=final_decision.title, date=final_decision.decided_on, actions=kept),
        reason="Fel datum")
    assert sorted(a.key for a in version.actions) == sorted(kept)
    with pytest.raises(EntryError) as refused:
        update_draft(coordinator, draft, _data(actions=[FOREIGN, "a25-bestallning"]))
    assert "a25-bestallning" in refused.value.errors["actions"]


LINKING = {"admin": 303, "officer": 422, "member": 422, "other_forum": 403,
           "commission_lead": 403, "leadership": 403, "viewer": 403, "anonymous": 302}


@pytest.mark.parametrize("role", ROLES)
def test_linking_another_commissions_action_by_role(client, db, as_role, role):
    """POST a decision of LSG linking UPPDRAGiL 3.0's action: admins save it (303); LSG's
    members are told why at the field (422); others may not log LSG's decisions (403)."""
    token = as_role(role)
    response = client.post("/forum/lsg/beslut/ny", data={
        "date": "2025-11-20", "title": "Länka", "text": "", "intent": "final",
        "actions": FOREIGN, "new_actions-0-title": "", "new_actions-0-owner_person": "",
        "new_actions-0-owner_forum": "lsg", "new_actions-0-due": "", "csrf_token": token})
    assert response.status_code == LINKING[role]
    if response.status_code == 422:
        page = response.get_data(as_text=True)
        assert FOREIGN in page and ("co-owns" in page or "samäger" in page)
        assert db.session.scalar(select(Decision).where(Decision.title == "Länka")) is None


def test_the_commission_lead_links_from_a_forum_they_sit_in(client, db, as_role):
    """The lead of UPPDRAGiL 3.0 coordinates LSO Södra Lappland: its decision links it."""
    token = as_role("commission_lead")
    response = client.post("/forum/lsam-sodra-lappland/beslut/ny", data={
        "date": "2025-11-20", "title": "Länka", "text": "", "intent": "final",
        "actions": FOREIGN, "new_actions-0-title": "", "new_actions-0-owner_person": "",
        "new_actions-0-owner_forum": "", "new_actions-0-due": "", "csrf_token": token})
    assert response.status_code == 303


# --- new actions for owners outside the forum -----------------------------------------------


@pytest.fixture
def assigned(db, lsg, coordinator):
    """A final decision of LSG giving one action to CLG and one to HSN's chair."""
    decision = log_decision(coordinator, lsg, _data(title="Uppdrag till andra", new_actions=[
        NewAction(title="CLG tar fram en plan", owner_forum="clg"),
        NewAction(title="Eva utreder", owner_person="eva-marklund"),
        NewAction(title="Jenny gör själv", owner_person="jenny-sandberg")]))
    by_title = {a.title: a for a in decision.actions}
    return decision, by_title["CLG tar fram en plan"], by_title["Eva utreder"]


@pytest.fixture
def owners(make_user, person):
    """Accounts of CLG's chair and secretary, and of HSN's chair."""
    return {"clg_chair": make_user("forum_member", "clg-chair@test.example",
                                   person("cecilia-nordin")),
            "clg_secretary": make_user("forum_member", "clg-sec@test.example",
                                       person("peter-vikstrom")),
            "eva": make_user("forum_member", "eva@test.example", person("eva-marklund"))}


def test_owners_outside_the_forum_are_told_once(db, assigned, owners):
    """`action_assigned` tells CLG's chair and secretary of CLG's action, Eva of hers;
    nobody hears of the action LSG's own coordinator owns."""
    decision, for_clg, for_eva = assigned
    notices = list(KINDS["action_assigned"].collect(datetime.now(UTC)))
    told = sorted((n.user_id, n.subject) for n in notices)
    assert told == sorted([
        (owners["clg_chair"].id, f"assigned:{for_clg.key}:{decision.key}"),
        (owners["clg_secretary"].id, f"assigned:{for_clg.key}:{decision.key}"),
        (owners["eva"].id, f"assigned:{for_eva.key}:{decision.key}")])
    with_text = next(n for n in notices if n.user_id == owners["eva"].id)
    assert "Eva utreder" in KINDS["action_assigned"].describe(with_text)


DECLINERS = {"admin", "clg_chair", "clg_secretary"}


@pytest.mark.parametrize("role", [*ROLES, "clg_chair", "clg_secretary", "eva"])
def test_declining_an_action_by_role(client, db, auth, as_role, assigned, owners, role):
    """Those who manage CLG (and admins) decline CLG's action with a reason (303): it returns
    to LSG, the audit trail keeps the reason, and the action and decision pages show it.
    Everyone else is refused (403), the signed-out sent to sign in."""
    decision, for_clg, _ = assigned
    if role in owners:
        auth.login(owners[role].email)
        token = auth.csrf_token("/fokusomraden")
    else:
        token = as_role(role)
    response = client.post(f"/atgarder/{for_clg.key}/avboj", data={
        "reason": "CLG har inte mandat för detta.", "version": for_clg.version,
        "csrf_token": token})
    assert response.status_code == expected(role, DECLINERS, 303)
    db.session.expire_all()
    action = db.session.get(Action, for_clg.id)
    if role in DECLINERS:
        assert action.owner_forum.key == "lsg"
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "decline"))
        assert entry.entity_key == for_clg.key
        assert entry.data == {"reason": "CLG har inte mandat för detta.",
                              "decision": decision.key, "declined_as": "forum"}
        assert "CLG har inte mandat för detta." in client.get(
            f"/atgarder/{for_clg.key}").get_data(as_text=True)
        assert "CLG har inte mandat för detta." in client.get(
            f"/beslut/{decision.key}").get_data(as_text=True)
    else:
        assert action.owner_forum.key == "clg"


def test_a_person_declines_and_the_action_goes_back_to_the_forum(client, db, auth, assigned,
                                                                 owners):
    """Eva sees the button, declines with a reason; she is taken off the action, LSG owns it,
    and the decline cannot be repeated. Without a reason she is told at the field (422)."""
    _, _, for_eva = assigned
    auth.login(owners["eva"].email)
    page = client.get(f"/atgarder/{for_eva.key}").get_data(as_text=True)
    assert f'action="/atgarder/{for_eva.key}/avboj"' in page
    token = auth.csrf_token("/fokusomraden")
    empty = client.post(f"/atgarder/{for_eva.key}/avboj", data={
        "reason": "  ", "version": for_eva.version, "csrf_token": token})
    assert empty.status_code == 422 and 'id="decline-reason-error"' in empty.get_data(
        as_text=True)
    done = client.post(f"/atgarder/{for_eva.key}/avboj", data={
        "reason": "Inte min uppgift.", "version": for_eva.version, "csrf_token": token})
    assert done.status_code == 303
    db.session.expire_all()
    action = db.session.get(Action, for_eva.id)
    assert (action.owner_person, action.owner_forum.key) == (None, "lsg")
    again = client.post(f"/atgarder/{for_eva.key}/avboj", data={
        "reason": "Igen.", "version": action.version, "csrf_token": token})
    assert again.status_code == 403
    assert f'action="/atgarder/{for_eva.key}/avboj"' not in client.get(
        f"/atgarder/{for_eva.key}").get_data(as_text=True)


def test_a_decline_from_a_stale_page_changes_nothing(client, db, auth, assigned, owners):
    """An admin renamed the action after CLG's chair opened it: the decline is not applied,
    and the chair is sent back to the action to read it again."""
    from portal.commissions.services import update_action

    _, for_clg, _ = assigned
    opened_at = for_clg.version
    update_action(_user(db, "admin@example.org"), for_clg, opened_at, title="CLG:s nya plan")
    auth.login(owners["clg_chair"].email)
    response = client.post(f"/atgarder/{for_clg.key}/avboj", data={
        "reason": "Sen.", "version": opened_at, "csrf_token": auth.csrf_token("/fokusomraden")})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/atgarder/{for_clg.key}")
    db.session.expire_all()
    assert db.session.get(Action, for_clg.id).owner_forum.key == "clg"
    assert db.session.scalar(select(AuditEntry).where(AuditEntry.action == "decline")) is None
