"""What the start page shows, per role."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    Action,
    Commission,
    Decision,
    Forum,
    ForumMembership,
    Milestone,
    Organisation,
    Person,
    User,
)
from portal.models.commission import OPEN_ACTION_STATUSES

# What each start-page tile counts. The tile's number and the list it opens use the same
# conditions, so the two cannot disagree.
ACTION_TILES = ("overdue", "open")


def _action_conditions(which: str, today: date) -> list:
    conditions = [Action.status.in_(OPEN_ACTION_STATUSES)]
    if which == "overdue":
        conditions.append(Action.due_on < today)
    return conditions


def _overdue_milestone_conditions(today: date) -> list:
    return [Milestone.done_on.is_(None), Milestone.due_on < today]


def counts(today: date) -> dict[str, int]:
    """Headline numbers of the whole map."""
    scalar = db.session.scalar
    return {
        "forums": scalar(select(func.count()).select_from(Forum)),
        "organisations": scalar(select(func.count()).select_from(Organisation)),
        "people": scalar(select(func.count()).select_from(Person)),
        "commissions": scalar(select(func.count()).select_from(Commission)),
        "open_actions": scalar(
            select(func.count()).select_from(Action).where(*_action_conditions("open", today))
        ),
        "overdue_actions": scalar(
            select(func.count()).select_from(Action).where(*_action_conditions("overdue", today))
        ),
        "overdue_milestones": scalar(
            select(func.count()).select_from(Milestone).where(
                *_overdue_milestone_conditions(today))
        ),
    }


def tile_actions(which: str, today: date) -> list[Action]:
    """Every action a tile counts (open, or open and overdue), soonest deadline first."""
    return db.session.scalars(
        select(Action).where(*_action_conditions(which, today))
        .options(selectinload(Action.commission), selectinload(Action.owner_person),
                 selectinload(Action.owner_forum))
        .order_by(Action.due_on.nulls_last(), Action.title)
    ).all()


def overdue_milestones(today: date) -> list[Milestone]:
    """Every milestone the overdue tile counts, oldest deadline first."""
    return db.session.scalars(
        select(Milestone).where(*_overdue_milestone_conditions(today))
        .options(selectinload(Milestone.commission)).order_by(Milestone.due_on)
    ).all()


def milestones_ahead(today: date, commission_ids: list[int] | None, days: int = 120):
    """Unreached milestones: overdue ones first, then those due soon."""
    stmt = (
        select(Milestone)
        .where(Milestone.done_on.is_(None), Milestone.due_on <= today + timedelta(days=days))
        .options(selectinload(Milestone.commission))
        .order_by(Milestone.due_on)
        .limit(20)
    )
    if commission_ids is not None:
        stmt = stmt.where(Milestone.commission_id.in_(commission_ids))
    return db.session.scalars(stmt).all()


def my_commissions(user: User) -> list[Commission]:
    """Commissions the user's person leads."""
    if user.person_id is None:
        return []
    return db.session.scalars(
        select(Commission).where(Commission.lead_id == user.person_id)
        .options(selectinload(Commission.milestones))
        .order_by(Commission.starts_on.desc())
    ).all()


def my_forums(user: User) -> list[Forum]:
    """Forums the user's person sits in."""
    if user.person_id is None:
        return []
    return db.session.scalars(
        select(Forum).join(ForumMembership, ForumMembership.forum_id == Forum.id)
        .where(ForumMembership.person_id == user.person_id, ForumMembership.ended_on.is_(None))
        .options(selectinload(Forum.memberships))  # can_log_decision looks up the seat in each
        .order_by(Forum.name)
    ).all()


def open_actions_of(person_id: int | None, forum_ids: list[int]):
    """Open actions the person or their forums own, by deadline."""
    conditions = []
    if person_id is not None:
        conditions.append(Action.owner_person_id == person_id)
    if forum_ids:
        conditions.append(Action.owner_forum_id.in_(forum_ids))
    if not conditions:
        return []
    return db.session.scalars(
        select(Action).where(or_(*conditions), Action.status.in_(OPEN_ACTION_STATUSES))
        .options(selectinload(Action.commission), selectinload(Action.owner_forum))
        .order_by(Action.due_on.nulls_last()).limit(30)
    ).all()


def latest_decisions(forum_ids: list[int] | None, limit: int = 8):
    """The newest decisions, of some forums or of all."""
    stmt = (
        select(Decision).where(Decision.status == "final").options(selectinload(Decision.forum))
        .order_by(Decision.decided_on.desc()).limit(limit)
    )
    if forum_ids is not None:
        stmt = stmt.where(Decision.forum_id.in_(forum_ids))
    return db.session.scalars(stmt).all()
