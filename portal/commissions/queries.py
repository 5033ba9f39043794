"""Reading commissions for the pages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Action, Commission, Decision, Milestone, Recommendation
from portal.models.decision import decision_action


def commissions() -> list[Commission]:
    """All commissions, newest first, with what the list shows."""
    return db.session.scalars(
        select(Commission)
        .options(
            selectinload(Commission.lead),
            selectinload(Commission.owner_forum),
            selectinload(Commission.milestones),
        )
        .order_by(Commission.starts_on.desc().nulls_last(), Commission.title)
    ).all()


def next_milestone(commission: Commission) -> Milestone | None:
    """The earliest milestone not yet reached."""
    open_ones = [m for m in commission.milestones if m.done_on is None]
    return min(open_ones, key=lambda m: m.due_on) if open_ones else None


def commission_detail(commission: Commission, today: date) -> dict:
    """Milestones, actions and recommendations with progress rolled up."""
    actions = db.session.scalars(
        select(Action)
        .where(Action.commission_id == commission.id)
        .options(
            selectinload(Action.owner_person),
            selectinload(Action.owner_forum),
            selectinload(Action.areas),
            selectinload(Action.recommendation),
        )
        .order_by(Action.due_on.nulls_last(), Action.title)
    ).all()
    recommendations = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.commission_id == commission.id)
        .options(selectinload(Recommendation.areas), selectinload(Recommendation.actions))
        .order_by(Recommendation.key)
    ).all()
    return {
        "milestones": commission.milestones,
        "next_milestone": next_milestone(commission),
        "actions": actions,
        "recommendations": recommendations,
        "progress": rolled_up_progress(actions),
        "today": today,
    }


def rolled_up_progress(actions: list[Action]) -> int | None:
    """Mean progress of the actions that still count (cancelled ones do not)."""
    counted = [a.progress if a.status != "done" else 100 for a in actions
               if a.status != "cancelled"]
    return round(sum(counted) / len(counted)) if counted else None


def action_detail(action: Action) -> dict:
    """The decisions that created or changed the action."""
    decisions = db.session.scalars(
        select(Decision)
        .join(decision_action, decision_action.c.decision_id == Decision.id)
        .where(decision_action.c.action_id == action.id)
        .options(selectinload(Decision.forum))
        .order_by(Decision.decided_on.desc())
    ).all()
    return {"decisions": decisions}
