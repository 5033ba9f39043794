"""Pages of indicators."""

from __future__ import annotations

from flask import Blueprint, render_template
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.indicators.arithmetic import summarise
from portal.models import Indicator
from portal.views import get_by_key

bp = Blueprint("indicators", __name__)


@bp.get("/indikatorer")
def index():
    """List the indicators with their latest value and target."""
    indicators = db.session.scalars(
        select(Indicator)
        .options(selectinload(Indicator.values), selectinload(Indicator.areas))
        .order_by(Indicator.name)
    ).all()
    rows = [(i, summarise([(v.measured_on, v.value) for v in i.values], i.target))
            for i in indicators]
    return render_template("indicators/index.html", rows=rows)


@bp.get("/indikatorer/<key>")
def detail(key: str):
    """Show one indicator's values over time against its target."""
    obj = get_by_key(Indicator, key, selectinload(Indicator.values),
                     selectinload(Indicator.areas))
    summary = summarise([(v.measured_on, v.value) for v in obj.values], obj.target)
    return render_template("indicators/detail.html", indicator=obj, summary=summary)
