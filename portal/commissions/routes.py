"""Pages of commissions and their actions."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy.orm import selectinload

from portal.commissions import queries
from portal.dates import today
from portal.models import Action, Commission
from portal.views import get_by_key

bp = Blueprint("commissions", __name__)


@bp.get("/uppdrag")
def index():
    """List the commissions with their next milestone."""
    items = queries.commissions()
    return render_template(
        "commissions/index.html",
        commissions=items,
        next_milestone=queries.next_milestone,
        today=today(),
    )


@bp.get("/uppdrag/<key>")
def detail(key: str):
    """Show a commission: goals, people, milestones, actions, recommendations."""
    obj = get_by_key(
        Commission, key,
        selectinload(Commission.members), selectinload(Commission.lead),
        selectinload(Commission.owner_forum), selectinload(Commission.milestones),
    )
    return render_template(
        "commissions/detail.html", commission=obj, **queries.commission_detail(obj, today())
    )


@bp.get("/atgarder/<key>")
def action(key: str):
    """Show one action with its owner, deadline and the decisions behind it."""
    obj = get_by_key(
        Action, key,
        selectinload(Action.owner_person), selectinload(Action.owner_forum),
        selectinload(Action.commission), selectinload(Action.recommendation),
        selectinload(Action.areas),
    )
    return render_template(
        "commissions/action.html", action=obj, today=today(), **queries.action_detail(obj)
    )
