"""Pages of forum decisions."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import Action, Decision
from portal.views import get_by_key, page_number

bp = Blueprint("decisions", __name__)
PER_PAGE = 50


@bp.get("/beslut")
def index():
    """List decisions, newest first."""
    page = page_number()
    total = db.session.scalar(select(func.count()).select_from(Decision))
    decisions = db.session.scalars(
        select(Decision)
        .options(selectinload(Decision.forum), selectinload(Decision.actions))
        .order_by(Decision.decided_on.desc(), Decision.title)
        .limit(PER_PAGE).offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "decisions/index.html", decisions=decisions, total=total, page=page, per_page=PER_PAGE
    )


@bp.get("/beslut/<key>")
def detail(key: str):
    """Show one decision and the actions it created or changed."""
    obj = get_by_key(
        Decision, key, selectinload(Decision.forum),
        selectinload(Decision.actions).selectinload(Action.owner_person),
        selectinload(Decision.actions).selectinload(Action.owner_forum),
    )
    return render_template("decisions/detail.html", decision=obj)
