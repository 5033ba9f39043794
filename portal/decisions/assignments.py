"""Actions a decision gives to owners outside its forum: they are told, and they may decline.

A forum may give a new action to any forum or person (a decision often asks another body to
act). An owner outside the deciding forum hears of it once the decision is final (the
notification `action_assigned`: the owner person, and the owner forum's chair and
secretary) and may decline it with a reason. The action then returns to the deciding forum,
which gives it to someone else (the forum becomes its owner; a person who declines is taken
off it). The decline is recorded in the audit trail (`decline`, with the reason) and shown
on the action and on the decision.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from datetime import datetime

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.audit.events import count_refusal
from portal.audit.snapshot import snapshot
from portal.auth.permissions import PermissionDenied, can_decline_action
from portal.commissions.services import check_text, check_version, commit_change
from portal.entries import EntryError
from portal.exchange.schema import LONG_TEXT
from portal.extensions import db
from portal.links import external_url
from portal.models import Action, AuditEntry, Decision, Forum, ForumMembership, User
from portal.models.commission import OPEN_ACTION_STATUSES
from portal.models.decision import decision_action
from portal.notify.registry import Kind, Notice, register

OWNER_SEATS = ("chair", "secretary")  # who hears for a forum, as in portal/notify/kinds.py


def assigning_decision(action: Action) -> Decision | None:
    """The decision that gave the action (the first that links it); None for an action of a
    commission, which its lead manages."""
    if action.commission_id is not None:
        return None
    return db.session.scalar(
        select(Decision).join(decision_action, decision_action.c.decision_id == Decision.id)
        .where(decision_action.c.action_id == action.id)
        .options(selectinload(Decision.forum)).order_by(Decision.id).limit(1))


def declines(keys: Iterable[str]) -> dict[str, list[AuditEntry]]:
    """The declines recorded for these actions, oldest first, by action key."""
    keys = list(keys)
    found: dict[str, list[AuditEntry]] = defaultdict(list)
    if keys:
        for entry in db.session.scalars(
            select(AuditEntry).where(AuditEntry.action == "decline",
                                     AuditEntry.entity_type == "action",
                                     AuditEntry.entity_key.in_(keys))
            .order_by(AuditEntry.id)
        ):
            found[entry.entity_key].append(entry)
    return found


def decline_action(actor: User, action: Action, version: int | str | None,
                   reason: str | None) -> Decision:
    """Decline an action given by another forum's decision; it returns to that forum.

    :raise PermissionDenied: unless the actor owns the action (as its person, or as one who
        manages its forum) and another forum's decision gave it.
    :raise EntryError: without a reason, or for a form opened at another version.
    :raise StaleEdit: when someone saved the action since the form was opened.
    """
    decision = require_decline(actor, action)
    errors: dict[str, str] = {}
    reason = check_text(errors, "reason", reason, LONG_TEXT)
    if errors:
        raise EntryError(errors)
    check_version(action, version)
    before = snapshot(action)
    as_person = action.owner_person_id is not None and action.owner_person_id == actor.person_id
    if as_person:
        action.owner_person = None
        action.owner_forum = action.owner_forum or decision.forum
    else:
        action.owner_forum = decision.forum
    # Its UPDATE says `WHERE version = …`: a save that came first is a conflict (StaleEdit).
    commit_change(actor, action, "decline", before,
                  data={"reason": reason, "decision": decision.key,
                        "declined_as": "person" if as_person else "forum"})
    return decision


# --- the notification ---------------------------------------------------------------------


def _first_links() -> list[tuple[Decision, Action]]:
    """Each open action outside a commission with the final decision that first links it."""
    first = (select(decision_action.c.action_id, func.min(decision_action.c.decision_id)
                    .label("decision_id")).group_by(decision_action.c.action_id).subquery())
    return db.session.execute(
        select(Decision, Action)
        .join(first, first.c.decision_id == Decision.id)
        .join(Action, Action.id == first.c.action_id)
        .where(Decision.status == "final", Action.commission_id.is_(None),
               Action.status.in_(OPEN_ACTION_STATUSES))
        .options(selectinload(Decision.forum).selectinload(Forum.memberships))
    ).tuples().all()


def _owner_people(forum_ids: set[int]) -> dict[int, set[int]]:
    """The people in the chair and secretary seats of these forums."""
    people: dict[int, set[int]] = defaultdict(set)
    if forum_ids:
        for forum_id, person_id in db.session.execute(
            select(ForumMembership.forum_id, ForumMembership.person_id).where(
                ForumMembership.ended_on.is_(None), ForumMembership.role.in_(OWNER_SEATS),
                ForumMembership.forum_id.in_(forum_ids))
        ):
            people[forum_id].add(person_id)
    return people


def _sits_in(forum: Forum, person_id: int) -> bool:
    return any(m.person_id == person_id and m.ended_on is None for m in forum.memberships)


def assigned_actions(now: datetime) -> Iterable[Notice]:
    """Actions that another forum's final decision gave to a person or a forum: to the
    person, and to the owner forum's chair and secretary (each once)."""
    links = _first_links()
    seats = _owner_people({a.owner_forum_id for _d, a in links if a.owner_forum_id})
    users: dict[int, list[int]] = defaultdict(list)
    for user_id, person_id in db.session.execute(
        select(User.id, User.person_id).where(User.person_id.is_not(None),
                                              User.is_enabled.is_(True))
    ):
        users[person_id].append(user_id)
    for decision, action in links:
        people = set()
        if action.owner_person_id and not _sits_in(decision.forum, action.owner_person_id):
            people.add(action.owner_person_id)
        if action.owner_forum_id and action.owner_forum_id != decision.forum_id:
            people |= seats[action.owner_forum_id]
        params = {"title": action.title, "forum": decision.forum.name,
                  "decision": decision.title}
        url = external_url("commissions.action", key=action.key)
        for person_id in people:
            for user_id in users.get(person_id, ()):
                yield Notice(user_id, f"assigned:{action.key}:{decision.key}", params, url)


def _describe(notice: Notice) -> str:
    p = notice.params
    return _("%(forum)s gave you the action %(title)s (decision: %(decision)s). You can "
             "decline it on the action's page.", forum=p["forum"], title=p["title"],
             decision=p["decision"])


register(Kind("action_assigned", _l("Actions another forum's decision gives me or my forum"),
              "instant", assigned_actions, _describe, order=35))


def require_decline(actor: User, action: Action) -> Decision:
    """The decision that gave the action, when the actor may decline it; else refuse (403).

    :raise PermissionDenied: unless the actor owns the action given by another forum.
    """
    decision = assigning_decision(action)
    if not can_decline_action(actor, action, decision):
        count_refusal(actor)
        raise PermissionDenied()
    return decision


def page_context(user: User, action: Action) -> dict:
    """What the action's page shows of its assignment: who gave it, whether the user may
    decline it, and the declines so far."""
    decision = assigning_decision(action)
    return {"assigning": decision, "may_decline": can_decline_action(user, action, decision),
            "declined": declines([action.key]).get(action.key, [])}
