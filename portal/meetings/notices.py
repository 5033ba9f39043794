"""Notifications of the meeting cycle, added to the registry in portal/notify/registry.py.

- `agenda_published`: a coming meeting's notice with its agenda, to the forum's members
  (once per publication: publishing again after a change tells them again);
- `minutes_to_approve`: held minutes waiting for an approver, to that approver.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.links import external_url
from portal.models import ForumMembership, Meeting, MinutesApprover, User
from portal.notify.registry import Kind, Notice, register


def _users_by_person() -> dict[int, list[int]]:
    users: dict[int, list[int]] = defaultdict(list)
    for user_id, person_id in db.session.execute(
        select(User.id, User.person_id).where(User.person_id.is_not(None),
                                              User.is_enabled.is_(True))
    ):
        users[person_id].append(user_id)
    return users


def _stockholm_today(now: datetime) -> date:
    from portal.dates import STOCKHOLM

    return now.astimezone(STOCKHOLM).date()


def agendas_published(now: datetime) -> Iterable[Notice]:
    """The published notices of coming meetings, to every current member of the forum."""
    today = _stockholm_today(now)
    meetings = list(db.session.scalars(
        select(Meeting).where(Meeting.agenda_published_at.is_not(None),
                              Meeting.status == "planned", Meeting.meets_on >= today)
        .options(selectinload(Meeting.forum))))
    if not meetings:
        return
    members: dict[int, set[int]] = defaultdict(set)
    for forum_id, person_id in db.session.execute(
        select(ForumMembership.forum_id, ForumMembership.person_id).where(
            ForumMembership.ended_on.is_(None),
            ForumMembership.forum_id.in_({m.forum_id for m in meetings}))):
        members[forum_id].add(person_id)
    users = _users_by_person()
    for meeting in meetings:
        subject = f"agenda:{meeting.key}:{meeting.agenda_published_at.isoformat()}"
        params = {"forum": meeting.forum.name, "date": meeting.meets_on.isoformat(),
                  "start": meeting.start_time.strftime("%H:%M") if meeting.start_time else ""}
        url = external_url("meetings.notice", key=meeting.key)
        for person_id in members[meeting.forum_id]:
            for user_id in users.get(person_id, ()):
                yield Notice(user_id, subject, params, url)


def minutes_to_approve(now: datetime) -> Iterable[Notice]:
    """Held minutes not yet approved, to each chosen approver who has not approved them."""
    rows = db.session.execute(
        select(Meeting, MinutesApprover.person_id)
        .join(MinutesApprover, MinutesApprover.meeting_id == Meeting.id)
        .where(Meeting.status == "held", Meeting.minutes_approved_on.is_(None),
               MinutesApprover.approved_on.is_(None))
        .options(selectinload(Meeting.forum))).tuples().all()
    users = _users_by_person()
    for meeting, person_id in rows:
        params = {"forum": meeting.forum.name, "date": meeting.meets_on.isoformat()}
        url = external_url("meetings.minutes", key=meeting.key)
        for user_id in users.get(person_id, ()):
            yield Notice(user_id, f"minutes:{meeting.key}", params, url)


def _describe_agenda(notice: Notice) -> str:
    p = notice.params
    when = f"{p['date']} {p['start']}".strip()
    return _("Notice: %(forum)s meets on %(when)s. The agenda is published.",
             forum=p["forum"], when=when)


def _describe_minutes(notice: Notice) -> str:
    p = notice.params
    return _("The minutes of %(forum)s on %(date)s are waiting for your approval.",
             forum=p["forum"], date=p["date"])


register(Kind("agenda_published", _l("A meeting's notice and agenda are published"), "instant",
              agendas_published, _describe_agenda, order=40))
register(Kind("minutes_to_approve", _l("Minutes waiting for my approval"), "instant",
              minutes_to_approve, _describe_minutes, order=50))
