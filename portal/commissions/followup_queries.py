"""Reading status reports and risks for the pages."""

from __future__ import annotations

from sqlalchemy import case, select
from sqlalchemy.orm import aliased, selectinload

from portal.extensions import db
from portal.models import Commission, Risk, StatusReport, User
from portal.models.followup import RISK_STATUSES

# Worst first: what leadership must see before what is going well.
LIGHT_ORDER = {"off_track": 0, "at_risk": 1, None: 2, "on_track": 3}


def status_reports(commission: Commission) -> list[StatusReport]:
    """Every status report of a commission, latest first."""
    return db.session.scalars(
        select(StatusReport)
        .where(StatusReport.commission_id == commission.id)
        .options(selectinload(StatusReport.author).selectinload(User.person))
        .order_by(StatusReport.reported_on.desc(), StatusReport.id.desc())
    ).all()


def risks(commission: Commission) -> list[Risk]:
    """The commission's risk register: open risks first, then by score, highest first."""
    status_rank = case({s: i for i, s in enumerate(RISK_STATUSES)}, value=Risk.status, else_=9)
    return db.session.scalars(
        select(Risk)
        .where(Risk.commission_id == commission.id)
        .options(selectinload(Risk.owner_person))
        .order_by(status_rank, (Risk.likelihood * Risk.consequence).desc(), Risk.id)
    ).all()


def latest_reports() -> list[tuple[Commission, StatusReport | None]]:
    """Every commission with its latest status report, the most worrying first."""
    newer = aliased(StatusReport)
    latest_id = (
        select(newer.id)
        .where(newer.commission_id == Commission.id)
        .order_by(newer.reported_on.desc(), newer.id.desc())
        .limit(1)
        .correlate(Commission)
        .scalar_subquery()
    )
    rows = db.session.execute(
        select(Commission, StatusReport)
        .outerjoin(StatusReport, StatusReport.id == latest_id)
        .options(selectinload(Commission.lead), selectinload(Commission.owner_forum),
                 selectinload(StatusReport.author).selectinload(User.person))
        .order_by(Commission.starts_on.desc().nulls_last(), Commission.title)
    ).all()
    return sorted(((c, r) for c, r in rows),
                  key=lambda row: LIGHT_ORDER.get(row[1].light if row[1] else None, 2))
