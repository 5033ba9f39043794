"""Logging decisions: the rules, the audit trail, and final decisions as unchangeable records."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.auth.permissions import PermissionDenied
from portal.concurrency import Conflict
from portal.decisions.services import (
    DecisionData,
    NewAction,
    correct_decision,
    discard_draft,
    log_decision,
    update_draft,
)
from portal.entries import EntryError
from portal.models import Action, AuditEntry, Decision, User
from portal.models.decision import FinalDecisionError

DAY = date(2025, 11, 20)


def _data(**changes) -> DecisionData:
    values = {"title": "LSG beslutar om gemensam SIP-utbildning", "date": DAY,
              "text": "Utbildningen genomförs under våren.", "actions": [],
              "new_actions": []}
    return DecisionData(**{**values, **changes})


def _audit(db, entity_type: str, key: str) -> list[AuditEntry]:
    return db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == entity_type,
                                 AuditEntry.entity_key == key).order_by(AuditEntry.id)
    ).all()


def test_a_decision_with_a_new_action_is_logged_and_audited(db, lsg, coordinator):
    """The decision is final, links an existing and a new action, and both are in the audit."""
    decision = log_decision(coordinator, lsg, _data(
        actions=["a-lifecare-utskrivning"],
        new_actions=[NewAction(title="Ta fram SIP-utbildning", owner_person="jenny-sandberg",
                               owner_forum="lsg", due=date(2026, 3, 31),
                               areas=["kommun-region"])],
    ))
    assert decision.status == "final" and decision.version_no == 1
    assert decision.created_by == coordinator and decision.created_at is not None
    assert decision.key.startswith("lsg-2025-11-20-lsg-beslutar")
    new = next(a for a in decision.actions if a.key != "a-lifecare-utskrivning")
    assert (new.title, new.owner_person.key, new.owner_forum.key, new.due_on) == (
        "Ta fram SIP-utbildning", "jenny-sandberg", "lsg", date(2026, 3, 31))
    assert [a.key for a in new.areas] == ["kommun-region"]
    assert new.key == "ta-fram-sip-utbildning"
    [entry] = _audit(db, "decision", decision.key)
    assert entry.action == "create" and entry.before is None and entry.user_id == coordinator.id
    assert sorted(entry.after["actions"]) == sorted(["a-lifecare-utskrivning", new.key])
    assert entry.data["status"] == "final"
    [action_entry] = _audit(db, "action", new.key)
    assert action_entry.after["owner_person"] == "jenny-sandberg"
    assert action_entry.data == {"decision": decision.key}


def test_new_action_keys_are_unique(db, lsg, coordinator):
    """Two actions with the same title get distinct keys made from the title."""
    same = NewAction(title="Följa upp", owner_forum="lsg")
    decision = log_decision(coordinator, lsg, _data(new_actions=[same, same]))
    assert sorted(a.key for a in decision.actions) == ["folja-upp", "folja-upp-2"]


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"title": "  "}, "title", "required"),
    ({"title": "x" * 501}, "title", "at most 500"),
    ({"date": None}, "date", "required"),
    ({"actions": ["finns-inte"]}, "actions", "no action with the key"),
    ({"new_actions": [NewAction(title="Utan ägare")]}, "new_actions-0-owner_person",
     "owns the action"),
    ({"new_actions": [NewAction(title="X", owner_person="ingen")]},
     "new_actions-0-owner_person", "no person with the key"),
    ({"new_actions": [NewAction(title="X", owner_forum="nope")]},
     "new_actions-0-owner_forum", "no forum with the key"),
    ({"new_actions": [NewAction(title="X", owner_forum="lsg", areas=["okand"])]},
     "new_actions-0-areas", "no focus area with the key"),
    ({"new_actions": [NewAction(owner_person="jenny-sandberg")]},
     "new_actions-0-title", "required"),
])
def test_each_rule_is_refused_naming_the_field(db, lsg, coordinator, changes, field, words):
    """A wrong field is refused with a message under that field's name; nothing is saved."""
    before = db.session.scalar(select(Decision.id).order_by(Decision.id.desc()).limit(1))
    with pytest.raises(EntryError) as info:
        log_decision(coordinator, lsg, _data(**changes))
    assert field in info.value.errors, info.value.errors
    assert words in info.value.errors[field]
    assert db.session.scalar(select(Decision.id).order_by(Decision.id.desc()).limit(1)) == before


def test_untouched_new_action_rows_are_ignored(db, lsg, coordinator):
    """An empty row of the form (only the prefilled owner forum) creates no action."""
    decision = log_decision(coordinator, lsg, _data(new_actions=[NewAction(owner_forum="lsg")]))
    assert decision.actions == []


@pytest.mark.parametrize("email", ["ledning@example.org", "uppdrag@example.org"])
def test_only_members_of_the_forum_log_its_decisions(db, lsg, email):
    """Leadership (even sitting in LSG) and a commission lead outside LSG are refused."""
    user = db.session.scalar(select(User).where(User.email == email))
    with pytest.raises(PermissionDenied):
        log_decision(user, lsg, _data())


def test_final_decision_cannot_be_changed_or_deleted_through_the_service(
        db, coordinator, final_decision):
    """update_draft and discard_draft refuse a final decision, and it stays as it was."""
    with pytest.raises(FinalDecisionError):
        update_draft(coordinator, final_decision, _data(title="Ändrad"))
    with pytest.raises(FinalDecisionError):
        discard_draft(coordinator, final_decision)
    db.session.expire_all()
    assert db.session.get(Decision, final_decision.id).title.startswith("LSG stöder")


@pytest.mark.parametrize("change", [
    lambda d: setattr(d, "title", "Ändrad i efterhand"),
    lambda d: setattr(d, "status", "draft"),
    lambda d: d.actions.clear(),
])
def test_final_decision_cannot_be_changed_through_the_orm(db, final_decision, change):
    """A before_update event refuses any flush that would change a final decision."""
    change(final_decision)
    with pytest.raises(FinalDecisionError):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Decision, final_decision.id).status == "final"


def test_final_decision_cannot_be_deleted_through_the_orm(db, final_decision):
    """A before_delete event (or, for its links, the database's trigger) refuses it."""
    from sqlalchemy.exc import DBAPIError

    db.session.delete(final_decision)
    with pytest.raises((FinalDecisionError, DBAPIError)):
        db.session.flush()
    db.session.rollback()
    assert db.session.get(Decision, final_decision.id) is not None


def test_a_draft_is_edited_then_made_final(db, lsg, coordinator):
    """A draft changes freely; once final, the ORM refuses further changes."""
    draft = log_decision(coordinator, lsg, _data(), final=False)
    assert draft.status == "draft"
    update_draft(coordinator, draft, _data(title="Nytt namn", actions=["a-lifecare-utskrivning"]))
    assert (draft.title, [a.key for a in draft.actions]) == ("Nytt namn",
                                                             ["a-lifecare-utskrivning"])
    update_draft(coordinator, draft, _data(title="Slutligt namn"), final=True)
    assert draft.status == "final"
    assert [e.action for e in _audit(db, "decision", draft.key)] == ["create", "update",
                                                                     "finalise"]
    draft.title = "Igen"
    with pytest.raises(FinalDecisionError):
        db.session.flush()
    db.session.rollback()


def test_a_draft_may_be_discarded(db, lsg, coordinator):
    """Discarding a draft deletes it and keeps it in the audit trail."""
    draft = log_decision(coordinator, lsg, _data(), final=False)
    key = draft.key
    discard_draft(coordinator, draft)
    assert db.session.scalar(select(Decision).where(Decision.key == key)) is None
    assert _audit(db, "decision", key)[-1].before["title"] == _data().title


def test_a_correction_is_a_new_version_linked_to_the_old(db, coordinator, final_decision):
    """The correction says who, when and why; the corrected version is unchanged."""
    old_title = final_decision.title
    old_actions = [a.key for a in final_decision.actions]
    version = correct_decision(coordinator, final_decision,
                               _data(title="Rättad titel", actions=old_actions),
                               reason="Fel datum i protokollet")
    assert version.key == "lsg-2024-10-nav.v2"
    assert (version.version_no, version.supersedes, version.status) == (2, final_decision,
                                                                        "final")
    assert version.corrected_reason == "Fel datum i protokollet"
    assert version.created_by == coordinator and version.created_at is not None
    db.session.expire_all()
    old = db.session.get(Decision, final_decision.id)
    assert (old.title, [a.key for a in old.actions], old.status) == (old_title, old_actions,
                                                                     "final")
    [entry] = _audit(db, "decision", version.key)
    assert entry.action == "correct" and entry.before["title"] == old_title
    assert entry.data["supersedes"] == "lsg-2024-10-nav"


def test_versions_chain_and_only_the_latest_is_corrected(db, coordinator, final_decision):
    """v3 follows v2; correcting v1 again is refused, as is a correction without a reason."""
    from portal.decisions.queries import versions

    v2 = correct_decision(coordinator, final_decision, _data(), reason="Ett")
    v3 = correct_decision(coordinator, v2, _data(), reason="Två")
    assert v3.key == "lsg-2024-10-nav.v3" and v3.version_no == 3
    assert [v.key for v in versions(final_decision)] == [final_decision.key, v2.key, v3.key]
    assert [v.key for v in versions(v3)] == [final_decision.key, v2.key, v3.key]
    with pytest.raises(Conflict) as conflict:  # 409, naming the version to correct instead
        correct_decision(coordinator, final_decision, _data(), reason="Tre")
    assert "already been corrected by lsg-2024-10-nav.v2" in conflict.value.message
    with pytest.raises(EntryError) as info:
        correct_decision(coordinator, v3, _data(), reason="  ")
    assert "reason" in info.value.errors


def test_members_of_a_closed_forum_no_longer_log_decisions(db, lsg, coordinator):
    """After the forum closes, its members are refused (admins may still record minutes)."""
    lsg.closed_on = date(2025, 1, 1)
    db.session.commit()
    with pytest.raises(PermissionDenied):
        log_decision(coordinator, lsg, _data())
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    assert log_decision(admin, lsg, _data()).forum == lsg


def test_imported_decisions_are_final(db, final_decision):
    """Decisions that come from a file are records: final, version 1."""
    assert (final_decision.status, final_decision.version_no) == ("final", 1)
    assert db.session.scalar(select(Action).limit(1)) is not None


@pytest.mark.parametrize("due", [date(9999, 12, 31), date(1899, 12, 31), date(2200, 1, 1)])
def test_a_new_action_due_outside_the_portals_range_is_refused(db, lsg, coordinator, due):
    """One date range for every date (1900-01-01 to 2199-12-31), named at the field."""
    from portal.decisions.services import NewAction

    with pytest.raises(EntryError) as refused:
        log_decision(coordinator, lsg, _data(new_actions=[NewAction(
            title="Ett för sent datum", owner_forum="lsg", due=due)]))
    assert "new_actions-0-due" in refused.value.errors
    with pytest.raises(EntryError) as refused:
        log_decision(coordinator, lsg, _data(date=due))
    assert "date" in refused.value.errors

