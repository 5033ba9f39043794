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


def _fill(rounds: int):
    """The demo, a chair's account, and `rounds` opened LSG meetings with a draft decision."""

    def fill():
        from portal.auth.services import create_user
        from portal.decisions.services import DecisionData, NewAction
        from portal.demo.loader import DEMO_PASSWORD, load_demo
        from portal.meetings import services
        from portal.models import Forum, Person, User

        load_demo()
        chair = db.session.scalar(select(Person).where(Person.key == "jimmy-ostrom"))
        create_user(None, CHAIR, DEMO_PASSWORD, "forum_member", chair, check_password=False)
        officer = db.session.scalar(select(User).where(User.email == "forum@example.org"))
        lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
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
    """The coordinator and an admin mark different members of one meeting at the same moment,
    then the same member differently: every mark is kept, one row per person."""
    from portal.demo.loader import DEMO_PASSWORD
    from portal.models import Attendance, Meeting

    keys, members = live_portal.load(_fill(1))
    live_portal.start()
    officer, = live_portal.signed_in("forum@example.org", DEMO_PASSWORD)
    admin, = live_portal.signed_in("admin@example.org", DEMO_PASSWORD)
    url = f"/moten/{keys[0]}/narvaro"

    def mark(client, person, status):
        return lambda: client.post(url, data={"person": person, "status": status, "row": "1",
                                              "csrf_token": client.csrf},
                                   headers={"HX-Request": "true"})

    rounds = min(ROUNDS, len(members) // 2)
    for n in range(rounds):
        answers = live_portal.at_once([mark(officer, members[2 * n], "present"),
                                       mark(admin, members[2 * n + 1], "apologies")])
        assert [a.status_code for a in answers] == [200, 200], [a.text[:300] for a in answers]
    same = members[0]
    answers = live_portal.at_once([mark(officer, same, "apologies"), mark(admin, same, "present")])
    assert [a.status_code for a in answers] == [200, 200]

    with live_portal.app.app_context():
        meeting = db.session.scalar(select(Meeting).where(Meeting.key == keys[0]))
        marks = {a.person.key: a.status for a in meeting.attendance}
        assert meeting.is_attendance_recorded
        assert len(marks) == 2 * rounds
        for n in range(1, rounds):
            assert marks[members[2 * n]] == "present"
            assert marks[members[2 * n + 1]] == "apologies"
        assert marks[same] in ("present", "apologies")
        assert db.session.scalar(select(func.count()).select_from(Attendance).where(
            Attendance.meeting_id == meeting.id, Attendance.person_id == meeting.attendance[0]
            .person_id)) == 1
        db.session.remove()


def test_two_approvers_approve_at_once(live_portal):
    """Both approvers press "Approve" together: both approvals are kept, the minutes become
    final once, and the meeting's decision is a final record with one set of actions."""
    from portal.demo.loader import DEMO_PASSWORD
    from portal.models import Action, AuditEntry, Decision, Meeting, ProposedAction

    rounds = max(1, min(ROUNDS, 10))
    keys, _members = live_portal.load(_fill(rounds))
    live_portal.start()
    officer, = live_portal.signed_in("forum@example.org", DEMO_PASSWORD)
    chair, = live_portal.signed_in(CHAIR, DEMO_PASSWORD)
    for key in keys:
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
