"""What the commission lead's views share: redirects, stale edits, the page itself."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.audit.snapshot import snapshot
from portal.auth.permissions import can_edit, may_edit_some_commission
from portal.commissions import queries
from portal.commissions.filters import parse_filter
from portal.commissions.forms import MilestoneForm, RiskForm, StatusReportForm
from portal.commissions.history import differences
from portal.dates import today
from portal.extensions import db, derived
from portal.models import Commission, Risk
from portal.views import render, wants_fragment


def get_risk(risk_id: int) -> Risk:
    """The risk with this id.

    :raise 404: when there is none.
    """
    obj = db.session.get(Risk, risk_id)
    if obj is None:
        abort(404)
    return obj


def see_other(endpoint: str, **values):
    """Redirect after a write, so that reloading the page does not send the form again."""
    return redirect(url_for(endpoint, **values), code=303)


def conflict(kind: str, current, form) -> list:
    """What differs between the stored object and what the user tried to save, in words."""
    return differences(kind, snapshot(current), form.as_snapshot())


def stale_form(kind: str, form, reopen: Callable[[Any], Any]):
    """What `portal.views.submit` shows for a stale edit of a `kind`: `reopen(current)` filled
    with what was saved, and how it differs from what the user sent, in words."""
    return lambda current: (reopen(current), conflict(kind, current, form))


def respond(response, status: int):
    """Give a rendered response its status code."""
    response.status_code = status
    return response


def new_report_form(**kwargs) -> StatusReportForm:
    """An empty status report form, dated today."""
    return StatusReportForm(data={"reported_on": today()}, **kwargs)


def page_forms(commission: Commission, override: dict) -> dict:
    """The forms the commission page shows to someone who may change it."""
    if not can_edit(current_user, commission):
        return {"milestone_forms": {}}
    milestone_forms = {m.key: MilestoneForm.for_milestone(m, formdata=None)
                       for m in commission.milestones}
    milestone_forms.update(override.pop("milestone_forms", {}))
    return {
        "milestone_forms": milestone_forms,
        "report_form": new_report_form(formdata=None),
        "risk_form": RiskForm(formdata=None, prefix="risk-new"),
        **override,
    }


def commission_page(commission: Commission, fragment: str | None = None,
                    forms: dict | None = None, **extra):
    """The commission page (or, for htmx, one fragment of it) with everything it shows.

    Those who may change no commission all see the same page: its content is rendered once
    per version of the map, day, language and filter of known values (portal.derived).
    """
    day, wanted = today(), parse_filter(request.args)
    if (not forms and not extra and not wants_fragment() and not wanted.owner
            and not wanted.area and not may_edit_some_commission(current_user)):
        content = derived.html(
            "commission-page", commission.key, day, wanted.status, wanted.overdue, wanted.sort,
            render=lambda: render_template(
                "commissions/_detail.html", commission=commission,
                **queries.commission_detail(commission, day, wanted), milestone_forms={}))
        return render("commissions/detail.html", commission=commission, content=content)
    context = queries.commission_detail(commission, day, wanted)
    context.update(page_forms(commission, dict(forms or {})))
    context.update(extra)
    return render("commissions/detail.html", fragment, commission=commission, **context)
