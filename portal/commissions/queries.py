"""Reading commissions for the pages."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.commissions import followup_queries as followup
from portal.commissions.decided import decision_points
from portal.commissions.filters import ActionFilter, filter_actions, is_overdue, owner_choices
from portal.extensions import db
from portal.models import Action, Commission, Decision, Milestone, Recommendation
from portal.models.decision import decision_action

# What a commission's page shows of the commission itself, loaded with it.
DETAIL_OPTIONS = (
    selectinload(Commission.members), selectinload(Commission.lead),
    selectinload(Commission.owner_forum), selectinload(Commission.milestones),
)

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


def commission_actions(commission: Commission) -> list[Action]:
    """The commission's actions with what the table shows, soonest deadline first."""
    return db.session.scalars(
        select(Action)
        .where(Action.commission_id == commission.id)
        .options(
            selectinload(Action.owner_person),
            selectinload(Action.owner_forum),
            selectinload(Action.areas),
            selectinload(Action.recommendation).selectinload(Recommendation.actions),
        )
        .order_by(Action.due_on.nulls_last(), Action.title)
    ).all()


def commission_detail(commission: Commission, today: date,
                      wanted: ActionFilter | None = None) -> dict:
    """Milestones, actions (filtered and sorted), recommendations, reports and risks."""
    actions = commission_actions(commission)
    wanted = wanted or ActionFilter()
    reports = followup.status_reports(commission)
    risks = followup.risks(commission)
    return {
        "milestones": commission.milestones,
        "next_milestone": next_milestone(commission),
        "decision_points": decision_points(commission),
        "actions": actions,
        **action_table(actions, wanted, today),
        "recommendations": recommendation_progress(commission, actions),
        "progress": rolled_up_progress(actions),
        "status_reports": reports,
        "latest_report": reports[0] if reports else None,
        "risks": risks,
        "open_risks": sum(1 for r in risks if r.status == "open"),
        "overdue_count": sum(1 for a in actions if is_overdue(a, today)),
        "today": today,
    }


def action_table(actions: list[Action], wanted: ActionFilter, today: date) -> dict:
    """What the action table fragment needs: the rows shown and the filter choices."""
    return {
        "shown": filter_actions(actions, wanted, today),
        "wanted": wanted,
        "owner_choices": owner_choices(actions),
        "area_choices": sorted({a.key: a for x in actions for a in x.areas}.values(),
                               key=lambda a: a.name),
    }


def recommendation_progress(commission: Commission, actions: list[Action]) -> list[dict]:
    """The commission's own recommendations and those its actions realise, with progress.

    Progress counts every action that realises the recommendation, in any commission.
    """
    own = db.session.scalars(
        select(Recommendation)
        .where(Recommendation.commission_id == commission.id)
        .options(selectinload(Recommendation.areas), selectinload(Recommendation.actions))
        .order_by(Recommendation.key)
    ).all()
    realised = {a.recommendation.key: a.recommendation for a in actions if a.recommendation}
    rows = [{"rec": r, "is_own": True} for r in own]
    rows += [{"rec": r, "is_own": False} for key, r in sorted(realised.items())
             if r.commission_id != commission.id]
    for row in rows:
        row["progress"] = rolled_up_progress(row["rec"].actions)
        row["count"] = len(row["rec"].actions)
    return rows


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
