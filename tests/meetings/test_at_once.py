"""Meeting writes two people make at once, through real HTTP (gunicorn, two workers).

Attendance of one meeting and the approval of its minutes take the meeting's row first, so
concurrent writes happen one after the other: no mark is lost, no 500, and the minutes become
final exactly once, on SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, select

from portal.extensions import db
from tests.live import ROUNDS

CHAIR = "ordforande@region.example"


def _chair_officer_lsg():
    """LSG's chair (a person), the demo's forum officer (an account) and LSG."""
    from portal.models import Forum, Person, User

    return (db.session.scalar(select(Person).where(Person.key == "jimmy-ostrom")),
            db.session.scalar(select(User).where(User.email == "forum@example.org")),
            db.session.scalar(select(Forum).where(Forum.key == "lsg")))


def _fill(rounds: int):
    """The demo, a chair's account, and `rounds` opened LSG meetings with a draft decision."""

    def fill():
        from portal.auth.services import create_user
        from portal.decisions.services import DecisionData, NewAction
        from portal.demo.loader import DEMO_PASSWORD, load_demo
        from portal.meetings import services

        load_demo()
        chair, officer, lsg = _chair_officer_lsg()
        create_user(None, CHAIR, DEMO_PASSWORD, "forum_member", chair, check_password=False)
        keys = []
        for n in range(rounds):
            [meeting] = services.plan_meetings(officer, lsg, services.Plan(
                first=date(2025, 1, 7) + timedelta(weeks=n)))
            services.add_item(officer, meeting, "Beslutsärende")
            services.open_meeting(officer, meeting, [chair.key, officer.person.key])
            services.log_decision(officer, meeting, meeting.agenda[0], DecisionData(
                title=f"Beslut {n}",
                new_actions=[NewAction(title=f"Åtgärd {n}", owner_forum="lsg")]))
            keys.append(meeting.key)
        members = sorted(m.person.key for m in lsg.memberships if m.ended_on is None)
        return keys, members

    return fill


def test_attendance_marked_by_two_officers_at_once(live_portal):
    """The coordinator and an admin mark different members of one meeting at the same moment
    (`LIVE_ROUNDS` rounds, over as many meetings as the members allow), then the same member
    differently: every mark is kept, one row per person."""
    from portal.demo.loader import DEMO_PASSWORD
    from portal.models import Attendance, Meeting

    # Each round marks two members who have no mark yet: as many meetings as the rounds need.
    rounds = ROUNDS
    keys, members = live_portal.load(_fill(1))
    per_meeting = len(members) // 2
    if rounds > per_meeting:
        keys += live_portal.load(_more_meetings(-(-rounds // per_meeting) - 1))
    live_portal.start()
    officer, = live_portal.signed_in("forum@example.org", DEMO_PASSWORD)
    admin, = live_portal.signed_in("admin@example.org", DEMO_PASSWORD)

    def mark(client, key, person, status):
        return lambda: client.post(f"/moten/{key}/narvaro",
                                   data={"person": person, "status": status, "row": "1",
                                         "csrf_token": client.csrf},
                                   headers={"HX-Request": "true"})

    for n in range(rounds):
        key, pair = keys[n // per_meeting], n % per_meeting
        answers = live_portal.at_once([mark(officer, key, members[2 * pair], "present"),
                                       mark(admin, key, members[2 * pair + 1], "apologies")])
        assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]
    same = members[0]
    answers = live_portal.at_once([mark(officer, keys[0], same, "apologies"),
                                   mark(admin, keys[0], same, "present")])
    assert [a.status_code for a in answers] == [200, 200]

    with live_portal.app.app_context():
        for index, key in enumerate(keys):
            meeting = db.session.scalar(select(Meeting).where(Meeting.key == key))
            marks = {a.person.key: a.status for a in meeting.attendance}
            pairs = min(per_meeting, rounds - index * per_meeting)
            assert meeting.is_attendance_recorded
            assert len(marks) == 2 * pairs, key
            for pair in range(1 if index == 0 else 0, pairs):
                assert marks[members[2 * pair]] == "present"
                assert marks[members[2 * pair + 1]] == "apologies"
            assert db.session.scalar(select(func.count()).select_from(Attendance).where(
                Attendance.meeting_id == meeting.id)) == 2 * pairs  # one row per person
        first = db.session.scalar(select(Meeting).where(Meeting.key == keys[0]))
        assert {a.person.key: a.status for a in first.attendance}[same] in (
            "present", "apologies")
        db.session.remove()


def _more_meetings(count: int):
    """`count` more opened LSG meetings (after those of `_fill`), for attendance rounds."""

    def fill():
        from portal.meetings import services

        chair, officer, lsg = _chair_officer_lsg()
        keys = []
        for n in range(count):
            [meeting] = services.plan_meetings(officer, lsg, services.Plan(
                first=date(2026, 1, 6) + timedelta(weeks=n)))
            services.open_meeting(officer, meeting, [chair.key, officer.person.key])
            keys.append(meeting.key)
        return keys

    return fill


def test_two_approvers_approve_at_once(live_portal):
    """Both approvers press "Approve" together: both approvals are kept, the minutes become
    final once, and the meeting's decision is a final record with one set of actions."""
    from portal.demo.loader import DEMO_PASSWORD
    from portal.models import Action, AuditEntry, Decision, Meeting, ProposedAction

    keys, _members = live_portal.load(_fill(max(1, ROUNDS)))
    live_portal.start()
    officer, = live_portal.signed_in("forum@example.org", DEMO_PASSWORD)
    chair, = live_portal.signed_in(CHAIR, DEMO_PASSWORD)
    for key in keys:  # a meeting per round
        answers = live_portal.at_once([
            lambda c=c, key=key: c.post(f"/moten/{key}/justera", data={"csrf_token": c.csrf})
            for c in (officer, chair)])
        assert [a.status_code for a in answers] == [303, 303], [a.text[:300] for a in answers]

    with live_portal.app.app_context():
        for key in keys:
            meeting = db.session.scalar(select(Meeting).where(Meeting.key == key))
            assert meeting.minutes_approved_on is not None, key
            assert all(a.approved_on is not None for a in meeting.approvers)
            assert db.session.scalar(select(func.count()).select_from(AuditEntry).where(
                AuditEntry.action == "approve_minutes", AuditEntry.entity_key == key)) == 1
            statuses = db.session.scalars(select(Decision.status).where(
                Decision.meeting_id == meeting.id)).all()
            assert statuses == ["final"]
            [decision] = db.session.scalars(select(Decision).where(
                Decision.meeting_id == meeting.id))
            number = decision.title.split()[-1]
            assert [a.title for a in decision.actions] == [f"Åtgärd {number}"]
            assert db.session.scalar(select(func.count()).select_from(Action).where(
                Action.title == f"Åtgärd {number}")) == 1
        assert db.session.scalar(select(func.count()).select_from(ProposedAction)) == 0
        db.session.remove()
