"""Status reports and risks of a commission, added and changed from the commission page."""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user

from portal.commissions import bp, followup
from portal.commissions.forms import RiskForm
from portal.commissions.queries import DETAIL_OPTIONS
from portal.commissions.services import require_edit
from portal.commissions.web import (
    commission_page,
    get_risk,
    new_report_form,
    respond,
    see_other,
    stale_form,
)
from portal.models import Commission
from portal.views import get_by_key, render, submit, wants_fragment


@bp.post("/uppdrag/<key>/statusrapporter")
def add_status_report(key: str):
    """Add a status report; earlier reports are kept as they were."""
    commission = get_by_key(Commission, key, *DETAIL_OPTIONS)
    form = new_report_form()
    answer = submit(form, lambda: followup.add_status_report(current_user, commission,
                                                             **form.values()))
    if answer.done:
        message = _("The status report is added.")
        if not wants_fragment():
            flash(message, "success")
            return see_other("commissions.detail", key=key, _anchor="status")
        return commission_page(commission, "commissions/_status_reports.html",
                               message=message)
    return respond(commission_page(commission, "commissions/_status_reports.html",
                                   forms={"report_form": form}), answer.status)


@bp.post("/uppdrag/<key>/risker")
def add_risk(key: str):
    """Add a risk to the commission's register."""
    commission = get_by_key(Commission, key, *DETAIL_OPTIONS)
    form = RiskForm(prefix="risk-new")
    answer = submit(form, lambda: followup.add_risk(current_user, commission, **form.values()))
    if answer.done:
        message = _("The risk is added.")
        if not wants_fragment():
            flash(message, "success")
            return see_other("commissions.detail", key=key, _anchor=f"risk-{answer.result.id}")
        return commission_page(commission, "commissions/_risks.html", message=message)
    return respond(commission_page(commission, "commissions/_risks.html",
                                   forms={"risk_form": form}), answer.status)


@bp.route("/risker/<int:risk_id>/redigera", methods=["GET", "POST"])
def edit_risk(risk_id: int):
    """Change a risk; htmx swaps the edit form into the register's row and back."""
    risk = get_risk(risk_id)
    require_edit(current_user, risk)
    form = RiskForm.for_risk(risk)
    answer = submit(form, lambda: followup.update_risk(
        current_user, risk, form.version.data, **form.values()),
        stale=stale_form("risk", form, lambda current: RiskForm.for_risk(current, formdata=None)))
    if answer.done:
        if not wants_fragment():
            flash(_("The risk is saved."), "success")
            return see_other("commissions.detail", key=risk.commission.key,
                             _anchor=f"risk-{risk.id}")
        commission = get_by_key(Commission, risk.commission.key, *DETAIL_OPTIONS)
        return commission_page(commission, "commissions/_risk_row.html", risk=risk,
                               focus=True, message=_("The risk is saved."))
    return respond(render("commissions/risk_edit.html", "commissions/_risk_edit_row.html",
                          risk=risk, form=answer.form, conflict=answer.conflict),
                   answer.status)
