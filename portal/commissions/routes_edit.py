"""The commission lead's changes: milestones, actions and recommendations.

Each view parses the form, calls one service and then redirects (303) or, for htmx, answers
with the updated fragment. A refused change re-renders the form: 422 with the errors next to
the fields, or 409 with the values someone else saved in the meantime.
"""

from __future__ import annotations

from flask import flash
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.commissions import bp, services
from portal.commissions.forms import ActionForm, MilestoneForm, RecommendationForm
from portal.commissions.queries import DETAIL_OPTIONS
from portal.commissions.web import (
    commission_page,
    respond,
    see_other,
    stale_form,
)
from portal.dates import today
from portal.models import Action, Commission, Milestone, Recommendation
from portal.views import get_by_key, render, submit, wants_fragment

ACTION_OPTIONS = (
    selectinload(Action.owner_person), selectinload(Action.owner_forum),
    selectinload(Action.commission), selectinload(Action.recommendation),
    selectinload(Action.areas),
)


@bp.post("/milstolpar/<key>")
def milestone_update(key: str):
    """Mark a milestone reached on a date, or not reached."""
    milestone = get_by_key(Milestone, key, selectinload(Milestone.commission))
    commission = get_by_key(Commission, milestone.commission.key, *DETAIL_OPTIONS)
    form = MilestoneForm.for_milestone(milestone)
    answer = submit(form, lambda: services.set_milestone_reached(
        current_user, milestone, form.version.data, form.done_on.data),
        stale=stale_form("milestone", form,
                         lambda current: MilestoneForm.for_milestone(current, formdata=None)))
    if answer.done:
        message = (_("%(code)s is marked as reached.", code=milestone.code or milestone.title)
                   if milestone.done_on else
                   _("%(code)s is marked as not reached.",
                     code=milestone.code or milestone.title))
        if not wants_fragment():
            flash(message, "success")
            return see_other("commissions.detail", key=commission.key,
                             _anchor=f"milestone-{key}")
        return commission_page(commission, "commissions/_timeline_saved.html",
                               saved=key, message=message)
    return respond(commission_page(
        commission, "commissions/_timeline_saved.html",
        forms={"milestone_forms": {key: answer.form}},
        conflict={key: answer.conflict} if answer.conflict else {}, failed=key), answer.status)


@bp.route("/atgarder/<key>/redigera", methods=["GET", "POST"])
def edit_action(key: str):
    """Change an action; htmx swaps the edit form into the table row and back."""
    action = get_by_key(Action, key, *ACTION_OPTIONS)
    services.require_edit(current_user, action)
    form = ActionForm.for_action(action)
    answer = submit(form, lambda: services.update_action(
        current_user, action, form.version.data, **form.values()),
        stale=stale_form("action", form,
                         lambda current: ActionForm.for_action(current, formdata=None)))
    if answer.done:
        return _action_saved(action)
    return respond(render("commissions/action_edit.html", "commissions/_action_edit_row.html",
                          action=action, form=answer.form, conflict=answer.conflict,
                          today=today()), answer.status)


def _action_saved(action: Action):
    """After saving: the row and the roll-ups for htmx, else back to where the action lives."""
    message = _("The action is saved.")
    if action.commission is None:  # only its own page shows it: no row to swap
        flash(message, "success")
        return see_other("commissions.action", key=action.key)
    if not wants_fragment():
        flash(message, "success")
        return see_other("commissions.detail", key=action.commission.key,
                         _anchor=f"action-{action.key}")
    commission = get_by_key(Commission, action.commission.key, *DETAIL_OPTIONS)
    return commission_page(commission, "commissions/_action_saved.html", action=action,
                           message=message, focus=True)


@bp.route("/uppdrag/<key>/atgarder/ny", methods=["GET", "POST"])
def new_action(key: str):
    """Add an action to a commission."""
    commission = get_by_key(Commission, key)
    services.require_edit(current_user, commission)
    form = ActionForm(data={"status": "planned", "progress": 0})
    answer = submit(form, lambda: services.create_action(current_user, commission,
                                                         **form.values()))
    if answer.done:
        flash(_("The action is added."), "success")
        return see_other("commissions.detail", key=key, _anchor=f"action-{answer.result.key}")
    return respond(render("commissions/action_new.html", commission=commission, form=form),
                   answer.status)


@bp.route("/uppdrag/<key>/rekommendationer/ny", methods=["GET", "POST"])
def new_recommendation(key: str):
    """Add a recommendation to a commission."""
    commission = get_by_key(Commission, key)
    services.require_edit(current_user, commission)
    form = RecommendationForm()
    answer = submit(form, lambda: services.create_recommendation(current_user, commission,
                                                                 **form.values()))
    if answer.done:
        flash(_("The recommendation is added."), "success")
        return see_other("commissions.detail", key=key, _anchor=f"rec-{answer.result.key}")
    return respond(render("commissions/recommendation_form.html", commission=commission,
                          recommendation=None, form=form, conflict=None), answer.status)


@bp.route("/rekommendationer/<key>/redigera", methods=["GET", "POST"])
def edit_recommendation(key: str):
    """Change a recommendation's text or focus areas."""
    rec = get_by_key(Recommendation, key, selectinload(Recommendation.commission))
    services.require_edit(current_user, rec)
    form = RecommendationForm.for_recommendation(rec)
    answer = submit(form, lambda: services.update_recommendation(
        current_user, rec, form.version.data, **form.values()),
        stale=stale_form("recommendation", form,
                         lambda current: RecommendationForm.for_recommendation(
                             current, formdata=None)))
    if answer.done:
        flash(_("The recommendation is saved."), "success")
        if rec.commission is None:
            return see_other("commissions.index")
        return see_other("commissions.detail", key=rec.commission.key,
                         _anchor=f"rec-{rec.key}")
    return respond(render("commissions/recommendation_form.html", commission=rec.commission,
                          recommendation=rec, form=answer.form, conflict=answer.conflict),
                   answer.status)
