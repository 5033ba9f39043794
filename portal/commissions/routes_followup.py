"""Status reports and risks of a commission, added and changed from the commission page."""

from __future__ import annotations

from flask import flash, request
from flask_babel import gettext as _
from flask_login import current_user

from portal.commissions import bp, followup
from portal.commissions.forms import RiskForm
from portal.commissions.queries import DETAIL_OPTIONS
from portal.commissions.services import EntryError, StaleEdit, require_edit
from portal.commissions.web import (
    commission_page,
    conflict,
    get_risk,
    new_report_form,
    respond,
    see_other,
    show_errors,
)
from portal.models import Commission
from portal.views import get_by_key, render, wants_fragment


@bp.post("/uppdrag/<key>/statusrapporter")
def add_status_report(key: str):
    """Add a status report; earlier reports are kept as they were."""
    commission = get_by_key(Commission, key, *DETAIL_OPTIONS)
    form = new_report_form()
    if form.validate_on_submit():
        try:
            followup.add_status_report(current_user, commission, **form.values())
        except EntryError as error:
            show_errors(form, error)
        else:
            message = _("The status report is added.")
            if not wants_fragment():
                flash(message, "success")
                return see_other("commissions.detail", key=key, _anchor="status")
            return commission_page(commission, "commissions/_status_reports.html",
                                   message=message)
    return respond(commission_page(commission, "commissions/_status_reports.html",
                                   forms={"report_form": form}), 422)


@bp.post("/uppdrag/<key>/risker")
def add_risk(key: str):
    """Add a risk to the commission's register."""
    commission = get_by_key(Commission, key, *DETAIL_OPTIONS)
    form = RiskForm(prefix="risk-new")
    if form.validate_on_submit():
        try:
            risk = followup.add_risk(current_user, commission, **form.values())
        except EntryError as error:
            show_errors(form, error)
        else:
            message = _("The risk is added.")
            if not wants_fragment():
                flash(message, "success")
                return see_other("commissions.detail", key=key, _anchor=f"risk-{risk.id}")
            return commission_page(commission, "commissions/_risks.html", message=message)
    return respond(commission_page(commission, "commissions/_risks.html",
                                   forms={"risk_form": form}), 422)


@bp.route("/risker/<int:risk_id>/redigera", methods=["GET", "POST"])
def edit_risk(risk_id: int):
    """Change a risk; htmx swaps the edit form into the register's row and back."""
    risk = get_risk(risk_id)
    require_edit(current_user, risk)
    form = RiskForm.for_risk(risk)
    status, problem = 200, None
    if request.method == "POST":
        status = 422
        if form.validate_on_submit():
            try:
                followup.update_risk(current_user, risk, form.version.data, **form.values())
            except StaleEdit as stale:
                status, problem = 409, conflict("risk", stale.current, form)
                form = RiskForm.for_risk(stale.current, formdata=None)
            except EntryError as error:
                show_errors(form, error)
            else:
                if not wants_fragment():
                    flash(_("The risk is saved."), "success")
                    return see_other("commissions.detail", key=risk.commission.key,
                                     _anchor=f"risk-{risk.id}")
                commission = get_by_key(Commission, risk.commission.key, *DETAIL_OPTIONS)
                return commission_page(commission, "commissions/_risk_row.html", risk=risk,
                                       focus=True, message=_("The risk is saved."))
    return respond(render("commissions/risk_edit.html", "commissions/_risk_edit_row.html",
                          risk=risk, form=form, conflict=problem), status)
