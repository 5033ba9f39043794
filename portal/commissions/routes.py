"""Pages of commissions and their actions: reading, history and the Excel export.

The pages that change things are in `routes_edit` and `routes_followup`, on the same blueprint;
importing this module adds them.
"""

from __future__ import annotations

from flask import Response, render_template, url_for
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.commissions import (  # noqa: F401 - importing the other views adds them to bp
    bp,
    export,
    history,
    queries,
    routes_decided,
    routes_edit,
    routes_followup,
)
from portal.commissions.followup_queries import latest_reports
from portal.commissions.web import commission_page, get_risk
from portal.dates import today
from portal.decisions import assignments
from portal.extensions import derived
from portal.models import Action, Commission, Milestone, Recommendation
from portal.views import get_by_key, page_number


@bp.get("/uppdrag")
def index():
    """List the commissions with their next milestone."""
    day = today()
    content = derived.html("commission-list", day, render=lambda: render_template(
        "commissions/_index.html", commissions=queries.commissions(),
        next_milestone=queries.next_milestone, today=day))
    return render_template("commissions/index.html", content=content)


@bp.get("/uppdrag/status")
def status_overview():
    """Every commission's latest status report, side by side, the most worrying first."""
    return render_template("commissions/status_overview.html", rows=latest_reports())


@bp.get("/uppdrag/<key>")
def detail(key: str):
    """Show a commission; htmx asks for the action table alone when filtering or sorting."""
    obj = get_by_key(Commission, key)  # the rest only when the page is rendered afresh
    return commission_page(obj, "commissions/_action_table.html")


@bp.get("/uppdrag/<key>/atgarder.xlsx")
def export_actions(key: str):
    """Download the commission's actions as an Excel workbook."""
    obj = get_by_key(Commission, key)
    data = export.actions_workbook(obj, queries.commission_actions(obj))
    return Response(data, mimetype=export.XLSX_MIMETYPE, headers={
        "Content-Disposition": f'attachment; filename="{obj.key}-atgarder.xlsx"'})


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
        "commissions/action.html", action=obj, today=today(), **queries.action_detail(obj),
        **assignments.page_context(current_user, obj),
    )


def _history_page(subject, kind: str, refs, back_url: str):
    """Render one page of the change history of a subject."""
    page = page_number()
    items, total, page = history.history(refs, page)
    return render_template("commissions/history.html", subject=subject, kind=kind,
                           items=items, total=total, page=page, per_page=history.PER_PAGE,
                           back_url=back_url)


@bp.get("/uppdrag/<key>/historik")
def commission_history(key: str):
    """Everything that changed in a commission, its milestones, actions, risks and reports."""
    obj = get_by_key(Commission, key)
    return _history_page(obj, "commission", history.commission_refs(obj),
                         url_for(".detail", key=obj.key))


@bp.get("/atgarder/<key>/historik")
def action_history(key: str):
    """What changed in one action, and who changed it."""
    obj = get_by_key(Action, key)
    return _history_page(obj, "action", [("action", [obj.key])], url_for(".action", key=obj.key))


@bp.get("/milstolpar/<key>/historik")
def milestone_history(key: str):
    """What changed in one milestone, and who changed it."""
    obj = get_by_key(Milestone, key, selectinload(Milestone.commission))
    return _history_page(obj, "milestone", [("milestone", [obj.key])],
                         url_for(".detail", key=obj.commission.key,
                                 _anchor=f"milestone-{obj.key}"))


@bp.get("/rekommendationer/<key>/historik")
def recommendation_history(key: str):
    """What changed in one recommendation, and who changed it."""
    obj = get_by_key(Recommendation, key, selectinload(Recommendation.commission))
    back = (url_for(".detail", key=obj.commission.key, _anchor=f"rec-{obj.key}")
            if obj.commission else url_for(".index"))
    return _history_page(obj, "recommendation", [("recommendation", [obj.key])], back)


@bp.get("/risker/<int:risk_id>/historik")
def risk_history(risk_id: int):
    """What changed in one risk, and who changed it."""
    obj = get_risk(risk_id)
    return _history_page(obj, "risk", [("risk", [str(obj.id)])],
                         url_for(".detail", key=obj.commission.key, _anchor=f"risk-{obj.id}"))

