"""Reading meetings for the pages: a forum's meetings, mine, the roster, what needs the forum."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.directory.queries import like_pattern
from portal.extensions import db
from portal.models import (
    Action,
    AgendaItem,
    Attendance,
    Commission,
    Decision,
    Forum,
    ForumMembership,
    Meeting,
    Milestone,
    MinutesApprover,
    Person,
    Recommendation,
    User,
)
from portal.models.commission import OPEN_ACTION_STATUSES
from portal.models.decision import decision_action

FORUM_PAGE_MEETINGS = 5
SEARCH_LIMIT = 20


def meeting_options():
    """What a meeting page needs loaded with it."""
    return (
        selectinload(Meeting.forum),
        selectinload(Meeting.agenda).selectinload(AgendaItem.commission),
        selectinload(Meeting.agenda).selectinload(AgendaItem.milestone),
        selectinload(Meeting.agenda).selectinload(AgendaItem.action),
        selectinload(Meeting.agenda).selectinload(AgendaItem.recommendation),
        selectinload(Meeting.attendance).selectinload(Attendance.person)
        .selectinload(Person.organisation),
        selectinload(Meeting.attendance).selectinload(Attendance.stands_in_for),
        selectinload(Meeting.approvers).selectinload(MinutesApprover.person),
    )


def forum_meetings(forum: Forum, day: date, limit: int = FORUM_PAGE_MEETINGS) -> dict[str, Any]:
    """The forum's next meeting first, the coming ones after it, then the latest held.

    A fixed number of queries, whatever the number of meetings.
    """
    coming = list(db.session.scalars(
        select(Meeting).where(Meeting.forum_id == forum.id, Meeting.meets_on >= day,
                              Meeting.status != "cancelled")
        .order_by(Meeting.meets_on, Meeting.start_time, Meeting.id).limit(limit)))
    past = list(db.session.scalars(
        select(Meeting).where(Meeting.forum_id == forum.id, Meeting.meets_on < day)
        .order_by(Meeting.meets_on.desc(), Meeting.id.desc()).limit(limit)))
    total = db.session.scalar(select(func.count()).where(Meeting.forum_id == forum.id))
    return {"next": coming[0] if coming else None, "coming": coming[1:], "past": past,
            "total": total}


def all_forum_meetings(forum: Forum) -> list[Meeting]:
    """Every meeting of the forum, newest first."""
    return list(db.session.scalars(
        select(Meeting).where(Meeting.forum_id == forum.id)
        .order_by(Meeting.meets_on.desc(), Meeting.start_time.desc(), Meeting.id.desc())))


def my_forum_ids(user: User) -> list[int]:
    """The forums the user's person sits in now."""
    if getattr(user, "person_id", None) is None:
        return []
    return list(db.session.scalars(select(ForumMembership.forum_id).where(
        ForumMembership.person_id == user.person_id, ForumMembership.ended_on.is_(None))))


@dataclass
class MyMeetings:
    """The meetings that concern one user."""

    coming: list[Meeting] = field(default_factory=list)
    to_prepare: list[Meeting] = field(default_factory=list)
    to_approve: list[Meeting] = field(default_factory=list)


def my_meetings(user: User, day: date, horizon_days: int = 120) -> MyMeetings:
    """My forums' coming meetings, agendas I should prepare, minutes waiting for my approval."""
    from portal.auth.permissions import FORUM_MANAGER_SEATS, is_admin

    forum_ids = my_forum_ids(user)
    mine = MyMeetings()
    if forum_ids:
        mine.coming = list(db.session.scalars(
            select(Meeting).where(Meeting.forum_id.in_(forum_ids), Meeting.meets_on >= day,
                                  Meeting.meets_on <= day + timedelta(days=horizon_days),
                                  Meeting.status != "cancelled")
            .options(selectinload(Meeting.forum))
            .order_by(Meeting.meets_on, Meeting.start_time, Meeting.id).limit(20)))
        managed = set(db.session.scalars(select(ForumMembership.forum_id).where(
            ForumMembership.person_id == user.person_id, ForumMembership.ended_on.is_(None),
            ForumMembership.role.in_(FORUM_MANAGER_SEATS))))
        if user.role in ("forum_member", "commission_lead") or is_admin(user):
            mine.to_prepare = [m for m in mine.coming if m.forum_id in managed
                               and m.status == "planned" and m.agenda_published_at is None]
    if getattr(user, "person_id", None) is not None:
        mine.to_approve = list(db.session.scalars(
            select(Meeting).join(MinutesApprover, MinutesApprover.meeting_id == Meeting.id)
            .where(MinutesApprover.person_id == user.person_id,
                   MinutesApprover.approved_on.is_(None), Meeting.status == "held",
                   Meeting.minutes_approved_on.is_(None))
            .options(selectinload(Meeting.forum)).order_by(Meeting.meets_on)))
    return mine


def calendar_meetings(user: User, day: date) -> list[Meeting]:
    """My forums' meetings from 90 days back on, not cancelled, for the calendar feed."""
    forum_ids = my_forum_ids(user)
    if not forum_ids:
        return []
    return list(db.session.scalars(
        select(Meeting).where(Meeting.forum_id.in_(forum_ids),
                              Meeting.meets_on >= day - timedelta(days=90),
                              Meeting.status != "cancelled")
        .options(selectinload(Meeting.forum)).order_by(Meeting.meets_on)))


# --- Roster and attendance --------------------------------------------------------------------


@dataclass
class RosterRow:
    """One person at the meeting: a member, a substitute or a guest, and whom they represent."""

    person: Person
    role: str | None  # the member's seat, None for others
    principals: list  # organisations: own first, then on_behalf_of
    status: str | None  # present, apologies or None (absent / not marked)
    stands_in_for: Person | None = None
    kind: str = "member"  # member, substitute, guest


def roster(meeting: Meeting) -> list[RosterRow]:
    """The forum's current members, then the substitutes and guests who were marked."""
    memberships = list(db.session.scalars(
        select(ForumMembership).where(ForumMembership.forum_id == meeting.forum_id,
                                      ForumMembership.ended_on.is_(None))
        .options(selectinload(ForumMembership.person).selectinload(Person.organisation),
                 selectinload(ForumMembership.on_behalf_of))))
    marks = {a.person_id: a for a in meeting.attendance}
    order = {"chair": 0, "secretary": 1, "coordinator": 2, "member": 3, "adjunct": 4}
    rows = []
    for m in sorted(memberships, key=lambda m: (order.get(m.role, 9), m.person.name)):
        mark = marks.pop(m.person_id, None)
        principals = [m.person.organisation] + [o for o in m.on_behalf_of
                                                if o.id != m.person.organisation_id]
        rows.append(RosterRow(m.person, m.role, principals, mark.status if mark else None,
                              mark.stands_in_for if mark else None))
    for mark in sorted(marks.values(), key=lambda a: a.person.name):
        rows.append(RosterRow(mark.person, None, [mark.person.organisation], mark.status,
                              mark.stands_in_for,
                              "substitute" if mark.stands_in_for_id else "guest"))
    return rows


def find_people(term: str, exclude: set[int]) -> list[Person]:
    """People whose name matches, for adding a substitute or a guest."""
    if not term:
        return []
    stmt = (select(Person).where(func.lower(Person.name).like(like_pattern(term), escape="\\"))
            .options(selectinload(Person.organisation)).order_by(Person.name)
            .limit(SEARCH_LIMIT + len(exclude)))
    return [p for p in db.session.scalars(stmt) if p.id not in exclude][:SEARCH_LIMIT]


def meeting_decisions(meeting: Meeting) -> list[Decision]:
    """The decisions taken in the meeting, in agenda order."""
    found = list(db.session.scalars(
        select(Decision).where(Decision.meeting_id == meeting.id)
        .options(selectinload(Decision.actions).selectinload(Action.owner_person),
                 selectinload(Decision.actions).selectinload(Action.owner_forum),
                 selectinload(Decision.proposed_actions))
        .order_by(Decision.id)))
    positions = {i.id: i.position for i in meeting.agenda}
    return sorted(found, key=lambda d: (positions.get(d.agenda_item_id, 10_000), d.id))


# --- What needs the forum ---------------------------------------------------------------------


def needs(forum: Forum, day: date) -> dict[str, list]:
    """The things that need the forum: open actions (overdue first), milestones of its
    commissions, recommendations without actions, and its own findings."""
    owned = select(Commission.id).where(or_(Commission.owner_forum_id == forum.id,
                                            Commission.co_owners.any(Forum.id == forum.id)))
    actions = list(db.session.scalars(
        select(Action).where(Action.owner_forum_id == forum.id,
                             Action.status.in_(OPEN_ACTION_STATUSES))
        .order_by(Action.due_on.nulls_last(), Action.title)))
    milestones = list(db.session.scalars(
        select(Milestone).where(Milestone.commission_id.in_(owned), Milestone.done_on.is_(None))
        .options(selectinload(Milestone.commission)).order_by(Milestone.due_on)))
    recommendations = list(db.session.scalars(
        select(Recommendation).where(Recommendation.commission_id.in_(owned),
                                     ~Recommendation.actions.any())
        .order_by(Recommendation.key)))
    return {"actions": actions, "milestones": milestones, "recommendations": recommendations,
            "findings": forum_findings(forum, day)}


def forum_findings(forum: Forum, day: date) -> list[dict]:
    """The analysis findings that name the forum (computed once per state of the database)."""
    from flask_babel import get_locale

    from portal.findings.scope import entities
    from portal.findings.services import findings

    try:
        document = findings(day, str(get_locale()))
    except Exception:  # noqa: BLE001 - the agenda works without the analysis
        return []
    return [f for f in document["findings"] if ("forum", forum.key) in entities(f)]


def follow_up(forum: Forum, before: date) -> list[tuple[Decision, Action]]:
    """Actions decided by the forum's final decisions before the date, with their status."""
    rows = db.session.execute(
        select(Decision, Action)
        .join(decision_action, decision_action.c.decision_id == Decision.id)
        .join(Action, Action.id == decision_action.c.action_id)
        .where(Decision.forum_id == forum.id, Decision.status == "final",
               Decision.decided_on < before)
        .order_by(Decision.decided_on.desc(), Action.due_on.nulls_last(), Action.title)
        .limit(50)).tuples().all()
    return list(rows)
