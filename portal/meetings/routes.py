"""Pages of the meeting cycle: plan, agenda and notice, attendance, decisions, minutes."""

from __future__ import annotations

from flask import Response, abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload
from wtforms.fields.choices import SelectChoice

from portal.auth.permissions import (
    can_approve_minutes,
    can_plan_meetings,
    can_read_draft_minutes,
)
from portal.dates import in_range, today
from portal.decisions.forms import DecisionForm
from portal.decisions.routes import decision_form
from portal.entries import EntryError
from portal.extensions import db, derived
from portal.meetings import bp, notices, queries, services
from portal.meetings.forms import EmptyForm, ItemForm, MoveForm, OpenForm, PlanForm
from portal.models import Forum, Meeting, Person
from portal.views import flash_refusal, get_by_key, press, render, submit, wants_fragment

__all__ = ["bp", "notices"]


@bp.app_template_global()
def forum_meetings(forum: Forum) -> dict:
    """The forum page's meetings: the next one first (see directory/forum.html)."""
    return queries.forum_meetings(forum, today())


@bp.app_template_global()
def my_meetings() -> queries.MyMeetings:
    """My forums' coming meetings and the minutes waiting for me (My work, My overview)."""
    return queries.my_meetings(current_user, today())


@bp.app_context_processor
def _permissions() -> dict:
    return {"can_plan_meetings": can_plan_meetings,
            "can_read_draft_minutes": can_read_draft_minutes,
            "can_approve_minutes": can_approve_minutes}


def _meeting(key: str) -> Meeting:
    return get_by_key(Meeting, key, *queries.meeting_options())


def _manager(meeting_or_forum) -> None:
    forum = meeting_or_forum if isinstance(meeting_or_forum, Forum) else meeting_or_forum.forum
    if not can_plan_meetings(current_user, forum):
        abort(403)


def _agenda_url(meeting: Meeting) -> str:
    return url_for("meetings.agenda", key=meeting.key) + "#agenda"


def _shown(answer) -> dict:
    """What a meeting form's page shows of how the form went."""
    return {"loose_errors": answer.loose or [], "has_errors": answer.status == 422}


@bp.get("/moten")
def index():
    """Meetings: my forums' coming meetings, agendas to prepare, minutes to approve."""
    return render_template("meetings/index.html", mine=my_meetings(), today=today())


@bp.get("/forum/<key>/moten")
def forum_list(key: str):
    """Every meeting of a forum, newest first."""
    forum = get_by_key(Forum, key)
    return render_template("meetings/forum.html", forum=forum, today=today(),
                           meetings=queries.all_forum_meetings(forum))


@bp.route("/forum/<key>/moten/planera", methods=["GET", "POST"])
def plan(key: str):
    """Plan one meeting or a series from a cadence."""
    forum = get_by_key(Forum, key)
    _manager(forum)
    form = PlanForm()
    answer = submit(form, lambda: services.plan_meetings(current_user, forum, form.plan()))
    if answer.done:
        planned = answer.result
        flash(_("%(n)d meeting(s) planned.", n=len(planned)), "success")
        target = (url_for("meetings.detail", key=planned[0].key) if len(planned) == 1
                  else url_for("meetings.forum_list", key=forum.key))
        return redirect(target, 303)
    return render_template("meetings/plan.html", form=form, forum=forum,
                           **_shown(answer)), answer.status


@bp.get("/moten/<key>")
def detail(key: str):
    """One meeting: when and where, its agenda, attendance, decisions and approval.

    For those who do not plan the forum's meetings the page has no forms: its content is
    rendered once per version of the map, day, language and whether they may read draft
    minutes (portal.derived).
    """
    meeting, day = get_by_key(Meeting, key), today()  # the rest when rendered afresh
    may_read = meeting.is_minutes_approved or can_read_draft_minutes(current_user, meeting.forum)
    may_plan = can_plan_meetings(current_user, meeting.forum)

    def content() -> str:
        full = _meeting(key)
        members = queries.roster(full) if full.status == "planned" and may_plan else []
        return render_template(
            "meetings/_detail.html", meeting=full, today=day, form=EmptyForm(),
            open_form=OpenForm(), members=members,
            decisions=queries.meeting_decisions(full) if may_read else [],
            may_read_minutes=may_read,
            chair_ids={m.person_id for m in full.forum.memberships
                       if m.role == "chair" and m.ended_on is None},
        )

    return render_template("meetings/detail.html", meeting=meeting, content=derived.html(
        "meeting-page", meeting.key, day, may_read, render=content, keep=not may_plan))


@bp.route("/moten/<key>/flytta", methods=["GET", "POST"])
def move(key: str):
    """Move a planned meeting to another date, time or place."""
    meeting = _meeting(key)
    _manager(meeting)
    form = MoveForm()
    if request.method == "GET":
        form.fill_from(meeting)
    answer = submit(form, lambda: services.move_meeting(current_user, meeting, form.plan()))
    if answer.done:
        flash(_("The meeting was moved."), "success")
        return redirect(url_for("meetings.detail", key=meeting.key), 303)
    return render_template("meetings/move.html", form=form, meeting=meeting,
                           **_shown(answer)), answer.status


@bp.post("/moten/<key>/stall-in")
def cancel(key: str):
    """Cancel a planned meeting."""
    meeting = _meeting(key)
    _manager(meeting)
    return press(lambda: services.cancel_meeting(current_user, meeting),
                 _("The meeting was cancelled."), url_for("meetings.detail", key=meeting.key))


# --- Agenda -----------------------------------------------------------------------------------


def _link_choices(needs: dict) -> list[SelectChoice]:
    return [SelectChoice(value, text) for value, text in _link_pairs(needs)]


def _milestone_name(milestone) -> str:
    return " ".join(part for part in (milestone.code, milestone.title) if part)


def _link_pairs(needs: dict) -> list[tuple[str, str]]:
    choices = [("", _("– nothing –"))]
    choices += [(f"action:{a.key}", _("Action: %(t)s", t=a.title)) for a in needs["actions"]]
    choices += [(f"milestone:{m.key}", _("Milestone: %(t)s", t=_milestone_name(m)))
                for m in needs["milestones"]]
    choices += [(f"recommendation:{r.key}", _("Recommendation: %(t)s", t=r.text[:120]))
                for r in needs["recommendations"]]
    commissions = {m.commission.key: m.commission for m in needs["milestones"]}
    choices += [(f"commission:{c.key}", _("Commission: %(t)s", t=c.title))
                for c in commissions.values()]
    return choices


@bp.route("/moten/<key>/dagordning", methods=["GET", "POST"])
def agenda(key: str):
    """Build the agenda: add items, or take them from what needs the forum."""
    meeting = _meeting(key)
    _manager(meeting)
    day = today()
    needs = queries.needs(meeting.forum, day)
    form = ItemForm()
    form.link.choices = _link_choices(needs)
    answer = submit(form, lambda: services.add_item(
        current_user, meeting, form.title.data, form.notes.data, form.link.data))
    if answer.done:
        flash(_("The item was added to the agenda."), "success")
        return redirect(_agenda_url(meeting), 303)
    if answer.status == 422:
        db.session.expire(meeting)
        meeting = _meeting(key)
    on_agenda = {(k, getattr(i, k + "_id")) for i in meeting.agenda
                 for k in services.LINK_KINDS if getattr(i, k + "_id")}
    return render_template(
        "meetings/agenda.html", meeting=meeting, form=form, needs=needs, today=day,
        on_agenda=on_agenda, follow_up=queries.follow_up(meeting.forum, meeting.meets_on),
        titles={i.title for i in meeting.agenda}, button=EmptyForm(),
        **_shown(answer)), answer.status


@bp.post("/moten/<key>/dagordning/forslag")
def add_suggestion(key: str):
    """Add one of the suggested items (an action, a milestone, a finding…) with one click."""
    meeting = _meeting(key)
    _manager(meeting)
    return press(lambda: services.add_item(current_user, meeting, request.form.get("title"),
                                           request.form.get("notes"), request.form.get("link")),
                 _("The item was added to the agenda."), _agenda_url(meeting))


@bp.post("/moten/<key>/dagordning/<int:item_id>/<any(upp,ner,bort):what>")
def change_item(key: str, item_id: int, what: str):
    """Move an item up or down, or remove it."""
    meeting = _meeting(key)
    _manager(meeting)
    if what == "bort":
        return press(lambda: services.remove_item(current_user, meeting, item_id),
                     _("The item was removed."), _agenda_url(meeting))
    return press(lambda: services.move_item(current_user, meeting, item_id,
                                            -1 if what == "upp" else 1),
                 None, _agenda_url(meeting))


@bp.post("/moten/<key>/publicera")
def publish(key: str):
    """Publish the notice with the agenda; the members are told."""
    meeting = _meeting(key)
    _manager(meeting)
    return press(lambda: services.publish_agenda(current_user, meeting),
                 _("The notice was published. The members are told."),
                 url_for("meetings.detail", key=meeting.key))


@bp.get("/moten/<key>/kallelse")
def notice(key: str):
    """The notice (kallelse): time, place and agenda, as the members see it."""
    meeting = _meeting(key)
    return render_template("meetings/notice.html", meeting=meeting, today=today())


@bp.get("/moten/<key>/foredragningslista")
def printable(key: str):
    """The agenda (föredragningslista) for printing."""
    meeting = _meeting(key)
    members = queries.roster(meeting)
    return render_template("meetings/print.html", meeting=meeting, members=members)


# --- Opening and attendance -------------------------------------------------------------------


@bp.post("/moten/<key>/oppna")
def open_meeting(key: str):
    """Open the meeting and choose the approvers of its minutes."""
    meeting = _meeting(key)
    _manager(meeting)
    form = OpenForm()
    return press(lambda: services.open_meeting(current_user, meeting,
                                               list(form.approvers.data or [])),
                 _("The meeting is open. Record who is present."),
                 url_for("meetings.detail", key=meeting.key),
                 then=url_for("meetings.attendance", key=meeting.key))


@bp.route("/moten/<key>/narvaro", methods=["GET", "POST"])
def attendance(key: str):
    """Who is present and who sent apologies; substitutes and guests added by search."""
    meeting = _meeting(key)
    may_record = can_plan_meetings(current_user, meeting.forum) and meeting.status == "held" \
        and not meeting.is_minutes_approved
    if request.method == "POST":
        if not can_plan_meetings(current_user, meeting.forum):
            abort(403)
        return _mark(meeting)
    rows = queries.roster(meeting)
    term = (request.args.get("q") or "").strip()[:100]
    found = queries.find_people(term, {r.person.id for r in rows}) if may_record else []
    return render(
        "meetings/attendance.html", "meetings/_search.html", meeting=meeting, rows=rows,
        may_record=may_record, form=EmptyForm(), q=term, found=found,
        members=[r for r in rows if r.kind == "member"])


def _mark(meeting: Meeting):
    """Mark one person; htmx gets the row back, a plain form the page."""
    person = db.session.scalar(select(Person).where(Person.key == request.form.get("person", "")))
    if person is None:
        abort(400)
    status = request.form.get("status") or None
    substitute_for = request.form.get("stands_in_for") or None
    stands_in_for = db.session.scalar(select(Person).where(Person.key == substitute_for)) \
        if substitute_for else None
    try:
        services.mark_attendance(current_user, meeting, person, status, stands_in_for)
    except EntryError as exc:
        if wants_fragment():
            return "; ".join(exc.errors.values()), 409
        flash_refusal(exc)
        return redirect(url_for("meetings.attendance", key=meeting.key), 303)
    if wants_fragment() and request.form.get("row"):
        meeting = _meeting(meeting.key)
        rows = queries.roster(meeting)
        row = next((r for r in rows if r.person.id == person.id), None)
        summary = render_template("meetings/_summary.html", rows=rows, oob=True)
        if row is None:  # a guest marked absent leaves the list
            return summary
        return render_template("meetings/_attendance_row.html", row=row, meeting=meeting,
                               may_record=True, form=EmptyForm(), members=[]) + summary
    flash(_("Attendance saved: %(name)s.", name=person.name), "success")
    return redirect(url_for("meetings.attendance", key=meeting.key) + "#roster", 303)


# --- Decisions and minutes --------------------------------------------------------------------


@bp.route("/moten/<key>/beslut/ny", methods=["GET", "POST"])
def decide(key: str):
    """Log a decision taken on an agenda item, with the decision form of the log."""
    meeting = _meeting(key)
    _manager(meeting)
    item = next((i for i in meeting.agenda
                 if str(i.id) == (request.values.get("item") or "")), None)
    form = DecisionForm()
    if request.method == "GET":
        form.title.data = item.title if item else None
        form.new_actions[0].form.owner_forum.data = meeting.forum.key
        if item is not None and item.action is not None:
            form.actions.data = [item.action.key]
    form.date.data = meeting.meets_on

    def done(_decision) -> Response:
        flash(_("The decision is in the minutes. It becomes final when the minutes are "
                "approved."), "success")
        return redirect(url_for("meetings.minutes", key=meeting.key), 303)

    # In a meeting every decision is a draft of the minutes until they are approved.
    return decision_form(
        form, meeting.forum, _("Register a decision"),
        lambda data, _final: services.log_decision(current_user, meeting, item, data),
        page="meetings/decide.html", intent="draft", done=done,
        meeting=meeting, item=item, in_meeting=True)


@bp.get("/moten/<key>/protokoll")
def minutes(key: str):
    """The minutes: attendance, the items and the decisions on them, and the approval."""
    meeting = _meeting(key)
    if not (meeting.is_minutes_approved or can_read_draft_minutes(current_user, meeting.forum)):
        abort(403)
    rows = queries.roster(meeting)
    return render_template(
        "meetings/minutes.html", meeting=meeting, rows=rows, today=today(), form=EmptyForm(),
        decisions=queries.meeting_decisions(meeting))


@bp.post("/moten/<key>/justera")
def approve(key: str):
    """An approver approves the minutes; the last one makes them and their decisions final."""
    meeting = get_by_key(Meeting, key, selectinload(Meeting.approvers))

    def said(outcome: str) -> str:
        if outcome == "final":
            return _("The minutes are approved. Their decisions are final records.")
        if outcome == "recorded":
            return _("Your approval is recorded. The other approvers have yet to approve.")
        return _("The minutes were already approved.")

    return press(lambda: services.approve_minutes(current_user, meeting, today()), said,
                 url_for("meetings.minutes", key=meeting.key))


@bp.get("/forum/<key>/deltagande")
def participation(key: str):
    """Who comes: per principal and per member, meetings attended of those recorded in a year."""
    from datetime import date

    from portal.meetings.participation import participation as compute

    forum = get_by_key(Forum, key)
    try:
        as_of = date.fromisoformat(request.args.get("as_of", ""))
    except ValueError:
        as_of = today()
    if not in_range(as_of):  # a year back from it must still be a date
        as_of = today()
    return render_template("meetings/participation.html", forum=forum,
                           **compute(forum, as_of))
