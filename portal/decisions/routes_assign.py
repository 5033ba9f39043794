"""Declining an action that another forum's decision gave: the owner's button on the action.

`routes` adds the view to the blueprint (POST /atgarder/<key>/avboj).
"""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal.commissions.queries import action_detail
from portal.commissions.services import StaleEdit
from portal.dates import today
from portal.decisions import assignments
from portal.entries import EntryError
from portal.models import Action
from portal.views import get_by_key


def decline_action(key: str):
    """The owner declines the action, with a reason; it returns to the deciding forum."""
    action = get_by_key(Action, key)
    assignments.require_decline(current_user, action)
    try:
        decision = assignments.decline_action(current_user, action, request.form.get("version"),
                                              request.form.get("reason"))
    except StaleEdit:
        flash(_("Someone changed the action after you opened it. Read it again, and decline "
                "it if you still want to."), "error")
        return redirect(url_for("commissions.action", key=key), 303)
    except EntryError as exc:
        return render_template(
            "commissions/action.html", action=action, today=today(), **action_detail(action),
            **assignments.page_context(current_user, action), decline_errors=exc.errors,
            reason=request.form.get("reason", "")), 422
    flash(_("You declined the action. It is back with %(forum)s, which gives it to someone "
            "else.", forum=decision.forum.name), "success")
    return redirect(url_for("commissions.action", key=key), 303)
