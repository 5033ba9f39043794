"""Every race has one clean winner: simultaneous writes through gunicorn, on either database.

Each test fires the same write from several signed-in clients at once (`LivePortal.at_once`)
and repeats that `LIVE_ROUNDS` times. Whatever the interleaving, every answer is a success or a
409 that names what is stored now; never a 500, never a record changed after it became one.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select

from portal.demo.loader import DEMO_PASSWORD, load_demo
from portal.extensions import db
from portal.models import Action, AuditEntry, Decision, Forum, User
from tests.helpers import csrf_token
from tests.live import ROUNDS

FINAL = "lsg-2024-10-nav"


def _decision_form(token: str, **changes) -> dict:
    values = {"date": "2025-11-20", "title": "Titel", "text": "Text.", "intent": "final",
              "new_actions-0-title": "", "new_actions-0-owner_person": "",
              "new_actions-0-owner_forum": "lsg", "new_actions-0-due": "",
              "csrf_token": token}
    return {**values, **changes}


def _codes(answers) -> list[int]:
    return [a.status_code for a in answers]


def _demo_and_drafts(count: int):
    """The demo and `count` drafts of LSG; the drafts' keys."""

    def fill():
        from portal.decisions.services import DecisionData, log_decision

        load_demo()
        admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
        lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
        return [log_decision(admin, lsg, DecisionData(title=f"Utkast {n}", date=date(2025, 10, 1)),
                             final=False).key for n in range(count)]

    return fill


def test_finalising_and_editing_a_draft_at_once_never_changes_the_final_record(live_portal):
    """One client makes the draft final, another saves it as a draft with another title.

    Either order is fine, but a final decision keeps the title it was made final with, and the
    edit that came too late is refused with 409, not written over the record.
    """
    keys = live_portal.load(_demo_and_drafts(ROUNDS))
    live_portal.start()
    a, b = live_portal.signed_in("admin@example.org", DEMO_PASSWORD, times=2)
    for key in keys:
        url = f"/beslut/{key}/redigera"
        answers = live_portal.at_once([
            lambda url=url: a.post(url, data=_decision_form(a.csrf, title="Slutlig",
                                                            intent="final")),
            lambda url=url: b.post(url, data=_decision_form(b.csrf, title="Ändrad",
                                                            intent="draft")),
        ])
        finalised, edited = _codes(answers)
        assert finalised == 303, answers[0].text
        assert edited in (303, 409), answers[1].text
        with live_portal.app.app_context():
            stored = db.session.scalar(select(Decision).where(Decision.key == key))
            trail = db.session.scalars(select(AuditEntry.action).where(
                AuditEntry.entity_type == "decision", AuditEntry.entity_key == key)
                .order_by(AuditEntry.id)).all()
            assert (stored.status, stored.title) == ("final", "Slutlig")
            assert trail[-1] == "finalise", trail
            db.session.remove()
        if edited == 409:
            assert "Slutlig" in answers[1].text  # the answer shows what is stored now


def test_simultaneous_corrections_make_one_new_version(live_portal):
    """Six corrections of the same version at once: one becomes version n+1, five get 409."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in("admin@example.org", DEMO_PASSWORD, times=6)
    latest = FINAL
    for round_no in range(ROUNDS):
        url = f"/beslut/{latest}/rattelse"
        answers = live_portal.at_once([
            lambda c=c, n=n, url=url, r=round_no: c.post(url, data=_decision_form(
                c.csrf, title=f"Rättad {r}-{n}", reason="Fel i protokollet"))
            for n, c in enumerate(clients)
        ])
        codes = _codes(answers)
        assert sorted(codes) == [303] + [409] * 5, codes
        with live_portal.app.app_context():
            old = db.session.scalar(select(Decision).where(Decision.key == latest))
            newer = db.session.scalars(select(Decision).where(Decision.supersedes_id == old.id))
            newer = newer.all()
            assert len(newer) == 1, [d.key for d in newer]
            latest = newer[0].key
            db.session.remove()
        loser = next(a for a in answers if a.status_code == 409)
        assert latest in loser.text  # the refusal names the version to correct instead


def test_simultaneous_edits_of_an_action_have_one_winner(live_portal):
    """Six saves of one action opened at the same version: one 303, five 409 with its values."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in("admin@example.org", DEMO_PASSWORD, times=6)
    key = "a25-gemensam-plan"
    prefix = f"action-{key}-"
    for round_no in range(ROUNDS):
        with live_portal.app.app_context():
            action = db.session.scalar(select(Action).where(Action.key == key))
            version, status = action.version, action.status
            db.session.remove()

        def save(client, n, version=version, status=status, round_no=round_no):
            return client.post(f"/atgarder/{key}/redigera", data={
                "csrf_token": client.csrf, prefix + "version": str(version),
                prefix + "title": f"Gemensam plan {round_no}-{n}", prefix + "status": status,
                prefix + "progress": str(5 * n), prefix + "due_on": "2026-06-30",
                prefix + "owner_person": "", prefix + "owner_forum": "lsg",
                prefix + "recommendation": ""})

        answers = live_portal.at_once([lambda c=c, n=n: save(c, n)
                                       for n, c in enumerate(clients)])
        codes = _codes(answers)
        assert sorted(codes) == [303] + [409] * 5, codes
        with live_portal.app.app_context():
            stored = db.session.scalar(select(Action).where(Action.key == key))
            assert stored.version == version + 1
            winner = codes.index(303)
            assert stored.title == f"Gemensam plan {round_no}-{winner}"
            db.session.remove()


def test_the_same_decision_logged_twice_at_once(live_portal):
    """Four members log the same decision at the same moment: each gets its own record or a
    409 (the key was taken between reading and writing), never a 500."""
    live_portal.load(load_demo)
    live_portal.start()
    clients = live_portal.signed_in("forum@example.org", DEMO_PASSWORD, times=4)
    for round_no in range(ROUNDS):
        title = f"Samma beslut {round_no}"
        answers = live_portal.at_once([
            lambda c=c, t=title: c.post("/forum/lsg/beslut/ny",
                                        data=_decision_form(c.csrf, title=t))
            for c in clients])
        codes = _codes(answers)
        assert set(codes) <= {303, 409} and 303 in codes, codes
        with live_portal.app.app_context():
            stored = db.session.scalars(select(Decision.key).where(Decision.title == title))
            assert len(stored.all()) == codes.count(303)
            db.session.remove()


def test_simultaneous_wrong_passwords_lock_the_account_exactly_at_the_limit(live_portal,
                                                                            monkeypatch):
    """Ten wrong passwords for one account at the same moment, with a limit of five: exactly
    five are checked (401) and five refused (429), in every round; the failures are counted
    once each among the security events. The counter is taken atomically before the password
    is checked, so no interleaving lets a sixth through (both databases, two workers)."""
    from portal.auth.services import create_user
    from portal.models import SecurityEvent

    monkeypatch.setenv("LOGIN_FAILURES_PER_ADDRESS", "100000 per 15 minutes")
    limit = 5  # LOGIN_FAILURES_PER_ACCOUNT: "5 per 15 minutes"
    live_portal.load(lambda: [create_user(None, f"target{n}@region.example", "rätt-lösenord-1",
                                          "viewer") for n in range(ROUNDS)])
    live_portal.start()
    clients = [live_portal.client() for _ in range(2 * limit)]
    tokens = [csrf_token(c, "/login") for c in clients]
    for round_no in range(ROUNDS):
        email = f"target{round_no}@region.example"
        answers = live_portal.at_once([
            lambda c=c, t=t, e=email: c.post("/login", data={"email": e, "password": "fel",
                                                             "csrf_token": t})
            for c, t in zip(clients, tokens, strict=True)])
        codes = sorted(_codes(answers))
        assert codes == [401] * limit + [429] * limit, codes
        right = clients[0].post("/login", data={"email": email, "password": "rätt-lösenord-1",
                                                "csrf_token": tokens[0]})
        assert right.status_code == 429  # locked, whatever the password
    with live_portal.app.app_context():
        counted = db.session.scalar(select(db.func.sum(SecurityEvent.count)).where(
            SecurityEvent.kind == "login_failed"))
        assert counted == limit * ROUNDS
        db.session.remove()
