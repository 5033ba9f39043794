"""Pages of forum decisions: the log, a decision and its versions, logging and correcting."""

from __future__ import annotations

from flask import Blueprint, Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.auth.permissions import (
    can_correct_decision,
    can_edit_decision,
    can_log_decision,
    can_read_drafts,
)
from portal.dates import today
from portal.decisions import assignments, queries, routes_assign, services
from portal.decisions.forms import MAX_NEW_ACTIONS, CorrectionForm, DecisionForm
from portal.directory.queries import area_choices, forum_choices, person_choices
from portal.documents.services import document_choices
from portal.extensions import derived
from portal.models import Action, Decision, Forum
from portal.views import (
    CACHED_PAGES,
    Answer,
    get_by_key,
    page_number,
    plain_query,
    render,
    submit,
)

bp = Blueprint("decisions", __name__)
bp.add_url_rule("/atgarder/<key>/avboj", view_func=routes_assign.decline_action,
                methods=["POST"])


@bp.get("/beslut")
def index():
    """List the final decisions of all forums, newest first.

    The same for everyone: the first pages are rendered once per version of the map and
    language (portal.derived).
    """
    asked = page_number()

    def content() -> str:
        decisions, total, page = queries.all_decisions(asked)
        return render_template(
            "decisions/_index.html", decisions=decisions, total=total, page=page,
            per_page=queries.PER_PAGE, superseded_by=queries.superseded_by(decisions),
            count=queries.decision_count())

    return render_template("decisions/index.html", content=derived.html(
        "decision-log", asked, render=content,
        keep=asked <= CACHED_PAGES and plain_query(page=str(asked) if asked > 1 else None)))


@bp.get("/beslut/<key>")
def detail(key: str):
    """Show one decision, its versions and the actions it created or changed."""
    obj = get_by_key(
        Decision, key, selectinload(Decision.forum), selectinload(Decision.created_by),
        selectinload(Decision.actions).selectinload(Action.owner_person),
        selectinload(Decision.actions).selectinload(Action.owner_forum),
        selectinload(Decision.documents),
    )
    if obj.status != "final" and not can_read_drafts(current_user, obj.forum):
        abort(404)  # a draft is its forum's working material: not even its existence shows
    versions = queries.versions(obj)
    newer = queries.superseded_by([obj]).get(obj.id)
    return render_template(
        "decisions/detail.html", decision=obj, versions=versions, superseded_by=newer,
        latest=versions[-1], today=today(),
        declined=assignments.declines(a.key for a in obj.actions),
    )


@bp.get("/forum/<key>/beslut")
def log(key: str):
    """A forum's decision log: its final decisions, corrections marked, and its drafts."""
    forum = get_by_key(Forum, key)
    return render(
        "decisions/log.html", "decisions/_log.html",
        forum=forum, per_page=queries.PER_PAGE,
        **queries.forum_log(forum, page_number(), drafts=can_read_drafts(current_user, forum)),
    )


@bp.get("/forum/<key>/beslut/atgarder")
def action_choices(key: str):
    """The actions to link to a decision, as the search field asks (an htmx fragment)."""
    forum = get_by_key(Forum, key)
    chosen = request.args.getlist("actions")
    return render_template(
        "decisions/_action_choices.html", forum=forum,
        **queries.action_choices(forum, _action_term(), chosen),
    )


@bp.route("/forum/<key>/beslut/ny", methods=["GET", "POST"])
def new(key: str):
    """Register a decision of the forum, and the actions it creates."""
    forum = get_by_key(Forum, key)
    if not can_log_decision(current_user, forum):
        abort(403)
    form = DecisionForm()
    if request.method == "GET":
        form.date.data = today()
        form.new_actions[0].form.owner_forum.data = forum.key
    return decision_form(
        form, forum, _("Register a decision"),
        lambda data, final: services.log_decision(current_user, forum, data, final=final),
    )


@bp.route("/beslut/<key>/redigera", methods=["GET", "POST"])
def edit(key: str):
    """Change a draft decision, or make it final."""
    decision = get_by_key(Decision, key, selectinload(Decision.forum))
    if decision.status == "final":
        # A record is not edited: say so and point to the correction instead of "no access".
        newer = queries.superseded_by([decision]).get(decision.id)
        return render_template(
            "decisions/record.html", decision=decision, superseded_by=newer,
            latest=queries.versions(decision)[-1] if newer else decision,
        ), 200 if request.method == "GET" else 409
    if not can_edit_decision(current_user, decision):
        abort(403)
    form = DecisionForm()
    if request.method == "GET":
        form.fill_from(decision)
        if not decision.proposed_actions:
            form.new_actions[0].form.owner_forum.data = decision.forum.key
    return decision_form(
        form, decision.forum, _("Edit the draft decision"),
        lambda data, final: services.update_draft(current_user, decision, data, final=final),
        decision=decision,
    )


@bp.route("/beslut/<key>/rattelse", methods=["GET", "POST"])
def correct(key: str):
    """Correct a final decision with a new version that says who, when and why."""
    decision = get_by_key(Decision, key, selectinload(Decision.forum))
    if not can_correct_decision(current_user, decision):
        abort(403)
    if request.method == "POST":
        services.refuse_corrected(decision)  # 409 naming the newer version, before any form
    form = CorrectionForm()
    if request.method == "GET":
        form.fill_from(decision)
        form.new_actions[0].form.owner_forum.data = decision.forum.key
    return decision_form(
        form, decision.forum, _("Correct the decision"),
        lambda data, final: services.correct_decision(
            current_user, decision, data, form.reason.data),
        decision=decision, correcting=True,
    )


@bp.get("/beslut/<key>/kassera")
def confirm_discard(key: str):
    """Ask before a draft is discarded: what goes with it (its proposed actions) is listed."""
    decision = get_by_key(Decision, key, selectinload(Decision.forum),
                          selectinload(Decision.proposed_actions))
    if decision.status == "final":
        return redirect(url_for("decisions.detail", key=decision.key), 303)
    if not can_edit_decision(current_user, decision):
        abort(403)
    return render_template("decisions/discard.html", decision=decision)


@bp.post("/beslut/<key>/ta-bort")
def discard(key: str):
    """Discard a draft decision (a final decision is never deleted)."""
    decision = get_by_key(Decision, key, selectinload(Decision.forum))
    if decision.status == "final" and can_log_decision(current_user, decision.forum):
        raise services.Conflict(
            _("The decision is final. A final decision is never deleted."),
            link=("decisions.detail", {"key": decision.key}, decision.title))
    if not can_edit_decision(current_user, decision):
        abort(403)
    forum_key = decision.forum.key
    services.discard_draft(current_user, decision)
    flash(_("The draft was discarded."), "success")
    return redirect(url_for("decisions.log", key=forum_key), 303)


def _action_term() -> str:
    """The action search text, from the query string (htmx) or the form (no JavaScript)."""
    return (request.values.get("action_q") or "").strip()[:200]


def decision_form(form: DecisionForm, forum: Forum, heading: str, save, *,
                  page: str = "decisions/form.html", intent: str = "final", done=None,
                  **context):
    """Show and handle a decision form (logging, editing, correcting, in a meeting too): save
    it, add an action row, or find actions.

    `save(data, final)` stores it; `done(saved)` answers once it is saved (by default the
    decision's page); `intent` is what a post without one means.
    """
    intent = request.form.get("intent", intent)
    people, forums = person_choices(), forum_choices()
    form.set_choices(people, forums)
    answer = Answer(form)
    if request.method == "POST" and intent == "more":
        if len(form.new_actions) < MAX_NEW_ACTIONS:
            form.new_actions.append_entry()
            form.set_choices(people, forums)
    elif intent in ("final", "draft"):
        answer = submit(form, lambda: save(form.data_for_service(), intent == "final"))
        if answer.done:
            return (done or _saved)(answer.result)
    # The action search runs when asked for (the search field, its button, htmx); Enter in
    # another field ("stay") shows the form again with the suggestions it had.
    term = _action_term() if intent != "stay" else (request.form.get("action_q_shown") or "")
    choices = queries.action_choices(forum, term[:200], list(form.actions.data or []))
    return render(
        page, "decisions/_form.html", form=form, forum=forum, heading=heading,
        loose_errors=answer.loose or [], has_errors=answer.status == 422, **choices,
        areas=area_choices(), document_choices=document_choices(), **context,
    ), answer.status


def _saved(decision: Decision) -> Response:
    flash(_("The decision was saved as a draft.") if decision.status == "draft"
          else _("The decision was saved."), "success")
    return redirect(url_for("decisions.detail", key=decision.key), 303)
