"""What "My work" and the calendar feed show: my commissions, my actions, their decisions."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import or_, select
from sqlalchemy.orm import selectinload

from portal.dashboard.queries import my_forums
from portal.extensions import db
from portal.models import Action, Commission, Decision, Milestone, Person, User
from portal.models.commission import OPEN_ACTION_STATUSES
from portal.models.decision import decision_action


@dataclass
class MyWork:
    """The milestones, actions and decisions that concern one user."""

    milestones: list[Milestone] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    decisions: list[Decision] = field(default_factory=list)


def commission_ids_of(user: User) -> list[int]:
    """Ids of the commissions the user's person leads or is a member of."""
    if user.person_id is None:
        return []
    return list(db.session.scalars(
        select(Commission.id).where(or_(
            Commission.lead_id == user.person_id,
            Commission.members.any(Person.id == user.person_id),
        ))
    ))


def milestones_of(commission_ids: list[int]) -> list[Milestone]:
    """All milestones of these commissions, by due date, with their commission."""
    if not commission_ids:
        return []
    return list(db.session.scalars(
        select(Milestone).where(Milestone.commission_id.in_(commission_ids))
        .options(selectinload(Milestone.commission))
        .order_by(Milestone.due_on, Milestone.key)
    ))


def actions_of(user: User) -> list[Action]:
    """Actions the user's person or their current forums own: open ones first, by deadline."""
    conditions = []
    if user.person_id is not None:
        conditions.append(Action.owner_person_id == user.person_id)
    forum_ids = [f.id for f in my_forums(user)]
    if forum_ids:
        conditions.append(Action.owner_forum_id.in_(forum_ids))
    if not conditions:
        return []
    actions = db.session.scalars(
        select(Action).where(or_(*conditions))
        .options(selectinload(Action.commission), selectinload(Action.owner_forum),
                 selectinload(Action.owner_person))
        .order_by(Action.due_on.nulls_last(), Action.key)
    ).all()
    return sorted(actions, key=lambda a: a.status not in OPEN_ACTION_STATUSES)  # stable sort


def decisions_on(action_ids: list[int]) -> list[Decision]:
    """Final decisions that created or changed any of these actions, newest first."""
    if not action_ids:
        return []
    return list(db.session.scalars(
        select(Decision).where(
            Decision.status == "final",
            Decision.id.in_(select(decision_action.c.decision_id)
                            .where(decision_action.c.action_id.in_(action_ids))),
        )
        .options(selectinload(Decision.forum), selectinload(Decision.actions))
        .order_by(Decision.decided_on.desc(), Decision.key)
    ))


def my_work(user: User) -> MyWork:
    """Everything "My work" shows for the user, in a fixed number of queries."""
    actions = actions_of(user)
    return MyWork(
        milestones=milestones_of(commission_ids_of(user)),
        actions=actions,
        decisions=decisions_on([a.id for a in actions]),
    )
