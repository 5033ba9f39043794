"""A forum's participation: per member and per principal, meetings attended of those recorded.

Only held meetings whose attendance was recorded count, in the window (365 days up to and
including the date asked). The trend compares the window's later half (its last 182 days) with
its earlier half. A principal (huvudman) is present at a meeting when someone who represents it
is: a member from it or one of its units, a member acting on its behalf (`on_behalf_of`), or a
substitute standing in for such a member. A fixed number of queries, however many meetings.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Attendance, Forum, ForumMembership, Meeting, Organisation, Person

WINDOW_DAYS = 365
LATER_HALF_DAYS = 182


@dataclass
class Line:
    """One member or principal: meetings attended of those recorded, and the trend."""

    subject: object
    attended: int = 0
    apologies: int = 0
    early: list[int] = field(default_factory=lambda: [0, 0])  # attended, recorded
    late: list[int] = field(default_factory=lambda: [0, 0])
    role: str | None = None

    @property
    def trend(self) -> str | None:
        """"up", "down", "same", or None when a half has no recorded meeting."""
        if not self.early[1] or not self.late[1]:
            return None
        before, after = self.early[0] / self.early[1], self.late[0] / self.late[1]
        if abs(after - before) < 1e-9:
            return "same"
        return "up" if after > before else "down"


def _principal(org: Organisation, parents: dict[int, int | None],
               principals: set[int]) -> int:
    """The organisation itself if it is a principal, else its nearest principal ancestor."""
    current, seen = org.id, set()
    while current is not None and current not in seen:
        if current in principals:
            return current
        seen.add(current)
        current = parents.get(current)
    return org.id


def participation(forum: Forum, as_of: date) -> dict:
    """Members and principals of the forum with their attendance in the window."""
    start = as_of - timedelta(days=WINDOW_DAYS - 1)
    split = as_of - timedelta(days=LATER_HALF_DAYS - 1)
    meetings = list(db.session.scalars(
        select(Meeting).where(Meeting.forum_id == forum.id, Meeting.status == "held",
                              Meeting.is_attendance_recorded.is_(True),
                              Meeting.meets_on >= start, Meeting.meets_on <= as_of)
        .order_by(Meeting.meets_on)))
    later = {m.id for m in meetings if m.meets_on >= split}
    marks = db.session.execute(
        select(Attendance.meeting_id, Attendance.person_id, Attendance.status,
               Attendance.stands_in_for_id)
        .where(Attendance.meeting_id.in_([m.id for m in meetings]))).all() if meetings else []
    seats = list(db.session.scalars(
        select(ForumMembership).where(ForumMembership.forum_id == forum.id,
                                      ForumMembership.ended_on.is_(None))
        .options(selectinload(ForumMembership.person).selectinload(Person.organisation),
                 selectinload(ForumMembership.on_behalf_of))))
    organisations = {o.id: o for o in db.session.scalars(select(Organisation))}
    parents = {o.id: o.parent_id for o in organisations.values()}
    principals = {o.id for o in organisations.values() if o.is_principal}

    represents: dict[int, set[int]] = {}
    for seat in seats:
        orgs = [seat.person.organisation, *seat.on_behalf_of]
        represents[seat.person_id] = {_principal(o, parents, principals) for o in orgs}

    members = {seat.person_id: Line(seat.person, role=seat.role) for seat in seats}
    by_org: dict[int, Line] = {}
    present_at: dict[int, set[int]] = defaultdict(set)  # principal -> meetings
    for meeting_id, person_id, status, stands_in_for in marks:
        line = members.get(person_id)
        if status == "apologies":
            if line is not None:
                line.apologies += 1
            continue
        if line is not None:
            line.attended += 1
            (line.late if meeting_id in later else line.early)[0] += 1
        # A member counts for whom they represent; a substitute for the member they replace.
        orgs = set(represents.get(person_id, set()))
        if stands_in_for is not None:
            orgs |= represents.get(stands_in_for, set())
        for org in orgs:
            present_at[org].add(meeting_id)
    for line in members.values():
        line.early[1] = len(meetings) - len(later)
        line.late[1] = len(later)
    for org_id in sorted({o for orgs in represents.values() for o in orgs},
                         key=lambda o: organisations[o].name):
        line = Line(organisations[org_id])
        attended = present_at.get(org_id, set())
        line.attended = len(attended)
        line.early = [len(attended - later), len(meetings) - len(later)]
        line.late = [len(attended & later), len(later)]
        by_org[org_id] = line
    order = {"chair": 0, "secretary": 1, "coordinator": 2, "member": 3, "adjunct": 4}
    return {
        "meetings": meetings, "start": start, "as_of": as_of, "split": split,
        "members": sorted(members.values(),
                          key=lambda line: (order.get(line.role, 9), line.subject.name)),
        "principals": sorted(by_org.values(), key=lambda line: (
            not line.subject.is_principal, line.attended, line.subject.name)),
    }
