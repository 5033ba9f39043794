"""The portal's own kinds of notification: due dates, overdue work, findings about my forums."""

from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime, timedelta

from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.dates import STOCKHOLM
from portal.extensions import db
from portal.links import external_url
from portal.models import Action, Forum, ForumMembership, Milestone, User
from portal.models.commission import OPEN_ACTION_STATUSES
from portal.notify.registry import Kind, Notice, register

REMINDER_DAYS = (7, 1)  # reminders this many days before a due date
FORUM_OWNER_SEATS = ("chair", "secretary")


def _users_by_person() -> dict[int, list[int]]:
    """Enabled accounts by the person they belong to (people without one get nothing)."""
    users = defaultdict(list)
    for user_id, person_id in db.session.execute(
        select(User.id, User.person_id).where(User.person_id.is_not(None),
                                              User.is_enabled.is_(True))
    ):
        users[person_id].append(user_id)
    return users


def _forum_owner_people() -> dict[int, set[int]]:
    """For each forum, the people in its current chair and secretary seats."""
    people = defaultdict(set)
    for forum_id, person_id in db.session.execute(
        select(ForumMembership.forum_id, ForumMembership.person_id).where(
            ForumMembership.ended_on.is_(None), ForumMembership.role.in_(FORUM_OWNER_SEATS))
    ):
        people[forum_id].add(person_id)
    return people


def stockholm_today(now: datetime) -> date:
    """The date in Europe/Stockholm at this moment."""
    return now.astimezone(STOCKHOLM).date()


class _Dated:
    """An open action or a milestone not yet reached, with the people who answer for it."""

    def __init__(self, kind: str, key: str, title: str, due_on: date, people: set[int],
                 url: str) -> None:
        self.kind, self.key, self.title, self.due_on = kind, key, title, due_on
        self.people, self.url = people, url


def _dated_items(today: date, horizon: date) -> list[_Dated]:
    """Open actions and milestones due on or before the horizon."""
    forum_people = _forum_owner_people()
    items = []
    actions = db.session.scalars(
        select(Action).where(Action.due_on.is_not(None), Action.due_on <= horizon,
                             Action.status.in_(OPEN_ACTION_STATUSES))
    )
    for action in actions:
        people = set(forum_people.get(action.owner_forum_id, ()))
        if action.owner_person_id:
            people.add(action.owner_person_id)
        items.append(_Dated("action", action.key, action.title, action.due_on, people,
                            external_url("commissions.action", key=action.key)))
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.due_on <= horizon, Milestone.done_on.is_(None))
        .options(selectinload(Milestone.commission))
    )
    for milestone in milestones:
        lead = milestone.commission.lead_id
        name = f"{milestone.code} {milestone.title}" if milestone.code else milestone.title
        items.append(_Dated("milestone", milestone.key, name, milestone.due_on,
                            {lead} if lead else set(),
                            external_url("commissions.detail", key=milestone.commission.key,
                                         _anchor=f"milestone-{milestone.key}")))
    return items


def _notices(items: Iterable[_Dated], subject, params) -> Iterable[Notice]:
    users = _users_by_person()
    for item in items:
        for person_id in item.people:
            for user_id in users.get(person_id, ()):
                yield Notice(user_id, subject(item), params(item), item.url)


def due_soon(now: datetime) -> Iterable[Notice]:
    """Reminders 7 days and 1 day before an open action's or a milestone's due date."""
    today = stockholm_today(now)
    items = [i for i in _dated_items(today, today + timedelta(days=max(REMINDER_DAYS)))
             if i.due_on >= today]

    def step(item: _Dated) -> int:  # the nearest reminder point reached: 1 or 7
        left = (item.due_on - today).days
        return min(d for d in REMINDER_DAYS if d >= left)

    return _notices(
        items,
        lambda i: f"{i.kind}:{i.key}:{i.due_on.isoformat()}:{step(i)}",
        lambda i: {"what": i.kind, "title": i.title, "due_on": i.due_on.isoformat(),
                   "days": (i.due_on - today).days},
    )


def overdue(now: datetime) -> Iterable[Notice]:
    """Open actions and milestones past their due date: once a week while they stay so."""
    today = stockholm_today(now)
    year, week, _day = today.isocalendar()
    items = _dated_items(today, today - timedelta(days=1))
    return _notices(
        items,
        lambda i: f"{i.kind}:{i.key}:{i.due_on.isoformat()}:{year}-W{week:02d}",
        lambda i: {"what": i.kind, "title": i.title, "due_on": i.due_on.isoformat(),
                   "days": (today - i.due_on).days},
    )


def new_findings(now: datetime) -> Iterable[Notice]:
    """Findings of the analysis that name a forum the person sits in (each once)."""
    from portal.findings.scope import entities
    from portal.findings.services import findings

    today = stockholm_today(now)
    documents = {lang: findings(today, lang)["findings"] for lang in ("sv", "en")}
    forum_ids = dict(db.session.execute(select(Forum.key, Forum.id)).tuples().all())
    members = defaultdict(set)
    for forum_id, person_id in db.session.execute(
        select(ForumMembership.forum_id, ForumMembership.person_id)
        .where(ForumMembership.ended_on.is_(None))
    ):
        members[forum_id].add(person_id)
    users = _users_by_person()
    for finding, english in zip(documents["sv"], documents["en"], strict=True):
        named = entities(finding)
        forums = {forum_ids[key] for kind, key in named if kind == "forum" and key in forum_ids}
        if not forums:
            continue
        identity = finding["kind"] + "|" + "|".join(f"{k}:{v}" for k, v in sorted(named))
        subject = "finding:" + hashlib.sha256(identity.encode()).hexdigest()[:32]
        people = set().union(*(members[f] for f in forums))
        url = external_url("findings.index")
        for person_id in people:
            for user_id in users.get(person_id, ()):
                yield Notice(user_id, subject,
                             {"sv": finding["message"], "en": english["message"]}, url)


def _describe_dated(notice: Notice) -> str:
    p = notice.params
    when = date.fromisoformat(p["due_on"]).isoformat()
    if p["what"] == "milestone":
        return ngettext("Milestone %(title)s is due on %(date)s (in %(num)d day).",
                        "Milestone %(title)s is due on %(date)s (in %(num)d days).",
                        p["days"], title=p["title"], date=when)
    return ngettext("Action %(title)s is due on %(date)s (in %(num)d day).",
                    "Action %(title)s is due on %(date)s (in %(num)d days).",
                    p["days"], title=p["title"], date=when)


def _describe_overdue(notice: Notice) -> str:
    p = notice.params
    if p["what"] == "milestone":
        return ngettext("Milestone %(title)s was due on %(date)s (%(num)d day ago).",
                        "Milestone %(title)s was due on %(date)s (%(num)d days ago).",
                        p["days"], title=p["title"], date=p["due_on"])
    return ngettext("Action %(title)s was due on %(date)s (%(num)d day ago).",
                    "Action %(title)s was due on %(date)s (%(num)d days ago).",
                    p["days"], title=p["title"], date=p["due_on"])


def _describe_finding(notice: Notice) -> str:
    return notice.params.get(str(get_locale()), notice.params.get("sv", _("A new finding")))


register(Kind("due_soon", _l("Reminders before a due date (7 days and 1 day before)"), "digest",
              due_soon, _describe_dated, order=10))
register(Kind("overdue", _l("Overdue actions and milestones"), "digest", overdue,
              _describe_overdue, order=20))
register(Kind("new_findings", _l("New findings about my forums"), "digest", new_findings,
              _describe_finding, order=30))


