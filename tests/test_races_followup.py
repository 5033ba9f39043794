"""Races of the follow-up writes: declining an action, linking a decision point, finalising or
discarding a draft, adding an indicator value. One clean winner through real HTTP.

Like `tests/test_races.py`: the same write from several signed-in clients at once against
gunicorn (`LivePortal.at_once`), `LIVE_ROUNDS` times, on SQLite or PostgreSQL. Every answer is a
success or a refusal that says why; never a 500, and what is stored is one winner's, with one
entry in the audit trail.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select

from portal.demo.loader import DEMO_PASSWORD, load_demo
from portal.extensions import db
from portal.models import (
    Action,
    AuditEntry,
    Decision,
    Forum,
    Indicator,
    IndicatorValue,
    Milestone,
    Organisation,
    Person,
    ProposedAction,
    User,
)
from tests.live import ROUNDS

ADMIN = "admin@example.org"
LEAD = "uppdrag@example.org"  # the demo's commission lead (UPPDRAGiL 3.0)
CLG_CHAIR, CLG_SECRETARY = "clg-ordf@region.example", "clg-sekr@region.example"


def _codes(answers) -> list[int]:
    return [a.status_code for a in answers]


def _audit_count(action: str, entity_type: str, key: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEntry).where(
        AuditEntry.action == action, AuditEntry.entity_type == entity_type,
        AuditEntry.entity_key == key))


def _user(email: str) -> User:
    return db.session.scalar(select(User).where(User.email == email))


def _assigned_to_clg(count: int):
    """The demo, accounts for CLG's chair and secretary, and `count` final decisions of LSG
    that each give CLG one action; the actions' keys."""

    def fill():
        from portal.auth.services import create_user
        from portal.decisions.services import DecisionData, NewAction, log_decision

        load_demo()
        for email, person in ((CLG_CHAIR, "cecilia-nordin"), (CLG_SECRETARY, "peter-vikstrom")):
            create_user(None, email, DEMO_PASSWORD, "forum_member",
                        db.session.scalar(select(Person).where(Person.key == person)))
        lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
        keys = []
        for n in range(count):
            decision = log_decision(_user(ADMIN), lsg, DecisionData(
                title=f"Uppdrag till CLG {n}", date=date(2025, 11, 20),
                new_actions=[NewAction(title=f"CLG tar fram plan {n}", owner_forum="clg")]))
            keys.append(decision.actions[0].key)
        return keys

    return fill


def test_an_action_declined_by_two_of_its_owners_at_once_is_declined_once(live_portal):
    """CLG's chair and secretary (two sessions each) decline the same action from the same
    page: one decline goes through and sends the action back to LSG; the others are told it
    changed (303 back to the action) or are no longer its owners (403). One audit entry."""
    keys = live_portal.load(_assigned_to_clg(ROUNDS))
    live_portal.start()
    clients = [*live_portal.signed_in(CLG_CHAIR, DEMO_PASSWORD, times=2),
               *live_portal.signed_in(CLG_SECRETARY, DEMO_PASSWORD, times=2)]
    for key in keys:
        with live_portal.app.app_context():
            version = db.session.scalar(select(Action.version).where(Action.key == key))
            db.session.remove()
        answers = live_portal.at_once([
            lambda c=c, n=n, key=key, version=version: c.post(f"/atgarder/{key}/avboj", data={
                "csrf_token": c.csrf, "version": str(version), "reason": f"Inte vårt ({n})."})
            for n, c in enumerate(clients)])
        codes = _codes(answers)
        assert set(codes) <= {303, 403}, codes
        assert 303 in codes, codes
        with live_portal.app.app_context():
            action = db.session.scalar(select(Action).where(Action.key == key))
            assert action.owner_forum.key == "lsg"
            assert _audit_count("decline", "action", key) == 1
            db.session.remove()


def test_a_decision_point_linked_by_several_at_once_has_one_winner(live_portal):
    """The commission lead and an admin (two sessions each) link BP2 of UPPDRAGiL 3.0 to
    different decisions from the same form: one is saved, three get 409 with what is stored."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = [*live_portal.signed_in(LEAD, DEMO_PASSWORD, times=2),
               *live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=2)]
    url = "/milstolpar/fm2025-bp2/beslut"
    with live_portal.app.app_context():
        from portal.commissions.decided import candidate_decisions

        milestone = db.session.scalar(select(Milestone).where(Milestone.key == "fm2025-bp2"))
        candidates = [d.key for d in candidate_decisions(milestone)]
        db.session.remove()
    assert len(candidates) >= 2, candidates
    for round_no in range(ROUNDS):
        with live_portal.app.app_context():
            milestone = db.session.scalar(select(Milestone).where(Milestone.key == "fm2025-bp2"))
            version, stored = milestone.version, [d.key for d in milestone.decided_by]
            db.session.remove()
        # Each client asks for a change (saving what is stored already changes nothing, and
        # may come first); two of them for the same decisions.
        changes = [key for key in candidates if [key] != stored]
        chosen = [changes[(round_no + n) % len(changes)] for n in range(len(clients))]
        answers = live_portal.at_once([
            lambda c=c, k=k, v=version: c.post(url, data={"csrf_token": c.csrf, "version": str(v),
                                               "decisions": [k]})
            for c, k in zip(clients, chosen, strict=True)])
        codes = _codes(answers)
        assert sorted(codes) == [303] + [409] * 3, codes
        winner = chosen[codes.index(303)]
        with live_portal.app.app_context():
            milestone = db.session.scalar(select(Milestone).where(Milestone.key == "fm2025-bp2"))
            assert [d.key for d in milestone.decided_by] == [winner]
            assert milestone.version == version + 1
            last = db.session.scalar(select(AuditEntry).where(
                AuditEntry.entity_type == "milestone", AuditEntry.entity_key == "fm2025-bp2")
                .order_by(AuditEntry.id.desc()))
            assert last.after["decided_by"] == [winner]
            db.session.remove()
        loser = next(a for a in answers if a.status_code == 409)
        assert winner in loser.text  # the refusal shows what is stored now


def _drafts_with_proposals(count: int):
    """The demo and `count` drafts of LSG, each proposing one action; the drafts' keys."""

    def fill():
        from portal.decisions.services import DecisionData, NewAction, log_decision

        load_demo()
        lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
        return [log_decision(_user(ADMIN), lsg, DecisionData(
            title=f"Utkast {n}", date=date(2025, 10, 1),
            new_actions=[NewAction(title=f"Föreslagen åtgärd {n}", owner_forum="lsg")]),
            final=False).key for n in range(count)]

    return fill


def test_a_draft_finalised_and_discarded_at_once_is_one_or_the_other(live_portal):
    """One admin makes a draft final while another discards it. Either the decision is final
    with its proposed action made real (the discard refused, 409), or it is gone with its
    proposal (the finalising refused, 404 or 409). Never a final decision deleted, never an
    action left behind by a discarded draft."""
    keys = live_portal.load(_drafts_with_proposals(ROUNDS))
    live_portal.start()
    finaliser, discarder = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=2)
    for n, key in enumerate(keys):
        title = f"Föreslagen åtgärd {n}"
        answers = live_portal.at_once([
            lambda key=key, title=title, n=n: finaliser.post(f"/beslut/{key}/redigera", data={
                "csrf_token": finaliser.csrf, "date": "2025-10-01", "title": f"Utkast {n}",
                "text": "", "intent": "final", "new_actions-0-title": title,
                "new_actions-0-owner_person": "", "new_actions-0-owner_forum": "lsg",
                "new_actions-0-due": ""}),
            lambda key=key: discarder.post(f"/beslut/{key}/ta-bort",
                                           data={"csrf_token": discarder.csrf}),
        ])
        finalised, discarded = _codes(answers)
        with live_portal.app.app_context():
            decision = db.session.scalar(select(Decision).where(Decision.key == key))
            actions = db.session.scalars(select(Action).where(Action.title == title)).all()
            proposals = db.session.scalar(select(func.count()).select_from(ProposedAction)
                                          .where(ProposedAction.title == title))
            if decision is not None:
                assert (finalised, discarded) == (303, 409), answers[1].text
                assert decision.status == "final"
                assert [a.key for a in actions] == [a.key for a in decision.actions]
                assert len(actions) == 1
            else:
                assert discarded == 303 and finalised in (404, 409), answers[0].text
                assert actions == [] and proposals == 0
                assert _audit_count("finalise", "decision", key) == 0
            db.session.remove()


def test_the_same_indicator_value_added_at_once_is_stored_once(live_portal):
    """Four admins add the value of one organisation on one date at the same moment: one is
    stored (303), the others are refused (409 or 422, saying a value exists), never 500."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in(ADMIN, DEMO_PASSWORD, times=4)
    with live_portal.app.app_context():
        indicator = db.session.scalar(select(Indicator).order_by(Indicator.key).limit(1))
        key = indicator.key
        organisation = db.session.scalar(select(Organisation.key).order_by(Organisation.key)
                                         .limit(1))
        db.session.remove()
    for round_no in range(ROUNDS):
        on = date(2030, 1, 1).replace(day=1 + round_no % 28, month=1 + round_no // 28)
        answers = live_portal.at_once([
            lambda c=c, n=n, on=on: c.post(f"/indikatorer/{key}/varden", data={
                "csrf_token": c.csrf, "organisation": organisation, "date": on.isoformat(),
                "value": str(10 + n)})
            for n, c in enumerate(clients)])
        codes = _codes(answers)
        assert codes.count(303) == 1 and set(codes) <= {303, 409, 422}, codes
        with live_portal.app.app_context():
            stored = db.session.scalars(select(IndicatorValue).join(Indicator).join(
                IndicatorValue.organisation).where(
                Indicator.key == key, IndicatorValue.measured_on == on,
                Organisation.key == organisation)).all()
            assert [v.value for v in stored] == [10 + codes.index(303)]
            added = db.session.scalars(select(AuditEntry.data).where(
                AuditEntry.action == "add_value", AuditEntry.entity_key == key)).all()
            assert sum(1 for d in added if d["date"] == on.isoformat()) == 1
            db.session.remove()
