"""The commission lead links a decision point to the final decisions that took it."""

from __future__ import annotations

from flask import abort, flash
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.permissions import can_edit
from portal.commissions import bp, decided
from portal.commissions.forms import DecidedByForm
from portal.commissions.services_decided import set_decided_by
from portal.commissions.web import respond, see_other, stale_form
from portal.i18n import short_date
from portal.models import Commission, Milestone
from portal.views import get_by_key, render, submit


@bp.route("/milstolpar/<key>/beslut", methods=["GET", "POST"])
def milestone_decisions(key: str):
    """Choose the decisions that took the milestone, and mark it reached by them."""
    milestone = get_by_key(Milestone, key, selectinload(Milestone.commission)
                           .selectinload(Commission.co_owners), selectinload(Milestone.decided_by))
    if not can_edit(current_user, milestone):
        abort(403)
    form = DecidedByForm.for_milestone(milestone)
    answer = submit(form, lambda: set_decided_by(
        current_user, milestone, form.version.data, list(form.decisions.data or []),
        reach=bool(form.reach.data)),
        stale=stale_form("milestone", form,
                         lambda current: DecidedByForm.for_milestone(current, formdata=None)))
    if answer.done:
        flash(_("The decisions of %(code)s are saved.", code=milestone.code or milestone.title),
              "success")
        return see_other("commissions.detail", key=milestone.commission.key,
                         _anchor=f"milestone-{key}")
    choices = [(d.key, _("%(forum)s, %(date)s: %(title)s", forum=d.forum.name,
                         date=short_date(d.decided_on), title=d.title))
               for d in decided.candidate_decisions(milestone)]
    return respond(render("commissions/milestone_decisions.html", None, milestone=milestone,
                          form=answer.form, choices=choices, conflict=answer.conflict),
                   answer.status)
