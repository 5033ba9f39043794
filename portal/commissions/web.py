"""What the commission lead's views share: htmx or not, redirects, refusals, the page itself."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from flask import abort, redirect, render_template, request, url_for
from flask_login import current_user

from portal.audit.snapshot import snapshot
from portal.auth.permissions import can_edit, may_edit_some_commission
from portal.commissions import queries
from portal.commissions.filters import parse_filter
from portal.commissions.forms import MilestoneForm, RiskForm, StatusReportForm
from portal.commissions.history import differences
from portal.commissions.services import StaleEdit
from portal.dates import today
from portal.entries import EntryError
from portal.extensions import db, derived
from portal.forms import apply_errors
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


def show_errors(form, error: EntryError) -> None:
    """Put a service's refusal next to the fields it names (prefixed forms included)."""
    names = {name: form[name].name for name in error.errors if name in form}
    loose = apply_errors(form, {names.get(k, k): v for k, v in error.errors.items()})
    form.form_errors.extend(loose)


def conflict(kind: str, current, form) -> list:
    """What differs between the stored object and what the user tried to save, in words."""
    return differences(kind, snapshot(current), form.as_snapshot())


@dataclass
class Answer:
    """How a submitted form went: `done` with the service's result, or refused with a status
    (200 shown, 422 errors at the fields, 409 someone else saved first) and what to show."""

    form: Any
    status: int = 200
    done: bool = False
    result: Any = None
    conflict: list | None = None


def submit(form, change: Callable[[], Any], kind: str | None = None,
           reopen: Callable[[Any], Any] | None = None, shown: int = 200) -> Answer:
    """Answer a form the one way: validate, call the service, and tell the view how it went.

    A form not sent yet is shown (`shown`, 200). A refusal keeps the form with its errors
    (422). A stale edit (`StaleEdit`) of a `kind` gives the form `reopen(current)` filled with
    what was saved, and the differences in words (409).
    """
    if request.method != "POST":
        return Answer(form, shown)
    if not form.validate_on_submit():
        return Answer(form, 422)
    try:
        result = change()
    except StaleEdit as stale:
        return Answer(reopen(stale.current), 409,
                      conflict=conflict(kind, stale.current, form))
    except EntryError as error:
        show_errors(form, error)
        return Answer(form, 422)
    return Answer(form, done=True, result=result)


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
