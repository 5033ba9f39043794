"""The meeting cycle: plan, agenda, notice, attendance, decisions in the minutes, approval.

Every write checks the permission module, records an audit entry and commits. Writes that two
people may make at once on one meeting (attendance, approving the minutes, the agenda) first
take the meeting's row lock (`_lock`), so that they happen one after the other.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from portal.audit.services import record
from portal.auth.permissions import (
    PermissionDenied,
    can_approve_minutes,
    can_plan_meetings,
)
from portal.decisions import services as decisions
from portal.entries import EntryError, unique_key
from portal.exchange.schema import SHORT_TEXT
from portal.extensions import db
from portal.forms import date_range_error, empty_to_none
from portal.meetings.cadence import MAX_MEETINGS, occurrences
from portal.models import (
    Action,
    AgendaItem,
    Attendance,
    Commission,
    Decision,
    Forum,
    Meeting,
    MeetingSeries,
    Milestone,
    MinutesApprover,
    Person,
    Recommendation,
)
from portal.models.base import utcnow

if TYPE_CHECKING:
    from portal.models import User

LINK_KINDS = {"commission": Commission, "milestone": Milestone, "action": Action,
              "recommendation": Recommendation}
MAX_DURATION = 1440


@dataclass
class Plan:
    """One meeting or a series: when, how often, for how long, where."""

    first: date | None
    cadence: str = "once"  # once, weekly, monthly_weekday, quarterly
    interval: int = 1
    nth: int | None = None
    until: date | None = None
    count: int | None = None
    start: time | None = None
    duration: int | None = None
    place: str | None = None
    title: str | None = None


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied()


def snapshot(meeting: Meeting) -> dict[str, Any]:
    """A meeting as its exchange entry (what the audit trail keeps before and after)."""
    held = meeting.status == "held"
    entry = {
        "key": meeting.key, "forum": meeting.forum.key, "date": meeting.meets_on.isoformat(),
        "start": meeting.start_time.strftime("%H:%M") if meeting.start_time else None,
        "duration": meeting.duration, "status": meeting.status, "title": meeting.title,
        "place": meeting.place,
        "agenda": [{"title": i.title, **{k: getattr(i, k).key for k in LINK_KINDS
                                          if getattr(i, k) is not None}}
                   for i in meeting.agenda],
    }
    if held and meeting.is_attendance_recorded:
        entry["present"] = sorted(a.person.key for a in meeting.attendance
                                  if a.status == "present")
        entry["apologies"] = sorted(a.person.key for a in meeting.attendance
                                    if a.status == "apologies")
    if meeting.minutes_approved_on:
        entry["minutes_approved_on"] = meeting.minutes_approved_on.isoformat()
        entry["minutes_approved_by"] = sorted(a.person.key for a in meeting.approvers)
    return entry


def _save(actor: User, action: str, meeting: Meeting, before: dict | None = None,
          data: dict | None = None) -> Meeting:
    """Write the change, record it in the audit trail (the meeting as it is now) and commit."""
    db.session.flush()
    record(actor, action, "meeting", meeting.key, before=before, after=snapshot(meeting),
           data=data)
    db.session.commit()
    return meeting


def _lock(meeting: Meeting) -> None:
    """Take the meeting's row for this transaction; a second writer waits, then reads afresh.

    The first statement of the transaction is this write, so SQLite takes its write lock here
    and PostgreSQL its row lock; the ORM's copy is then reloaded with what the other committed.
    """
    table = Meeting.__table__
    db.session.execute(update(table).where(table.c.id == meeting.id)
                       .values(version=table.c.version + 1))
    db.session.refresh(meeting)
    for name in ("agenda", "attendance", "approvers"):
        db.session.expire(meeting, [name])


# --- Planning ---------------------------------------------------------------------------------


def plan_errors(plan: Plan) -> dict[str, str]:
    """What is wrong with a plan, by form field."""
    errors: dict[str, str] = {}
    if plan.first is None:
        errors["first"] = str(_l("Give the date of the (first) meeting."))
    elif date_range_error(plan.first):
        errors["first"] = date_range_error(plan.first)
    if date_range_error(plan.until):
        errors["until"] = date_range_error(plan.until)
    if plan.cadence != "once":
        if plan.until is None and not plan.count:
            errors["until"] = str(_l("Say until when, or how many meetings."))
        if plan.until is not None and plan.first is not None and plan.until < plan.first:
            errors["until"] = str(_l("The last date is before the first meeting."))
        if plan.count is not None and not 1 <= plan.count <= MAX_MEETINGS:
            errors["count"] = str(_l("Between 1 and %(max)d meetings.", max=MAX_MEETINGS))
        if not 1 <= (plan.interval or 0) <= 52:
            errors["interval"] = str(_l("Between 1 and 52."))
    if plan.duration is not None and not 1 <= plan.duration <= MAX_DURATION:
        errors["duration"] = str(_l("Between 1 and 1440 minutes."))
    for name in ("place", "title"):
        value = getattr(plan, name)
        if value is not None and len(value) > SHORT_TEXT:
            errors[name] = str(_l("Too long: at most %(limit)s characters.", limit=SHORT_TEXT))
    return errors


def plan_dates(plan: Plan) -> list[date]:
    """The dates the plan gives."""
    return occurrences(plan.cadence, plan.first, interval=plan.interval or 1, nth=plan.nth,
                       ends_on=plan.until, count=plan.count)


def plan_meetings(actor: User, forum: Forum, plan: Plan) -> list[Meeting]:
    """Plan one meeting, or a series from its cadence.

    :raise PermissionDenied: unless the actor plans the forum's meetings.
    :raise EntryError: naming each field that is wrong; nothing is saved then.
    """
    _require(can_plan_meetings(actor, forum))
    plan.place, plan.title = empty_to_none(plan.place), empty_to_none(plan.title)
    errors = plan_errors(plan)
    if errors:
        raise EntryError(errors)
    dates = plan_dates(plan)
    if not dates:
        raise EntryError({"until": str(_l("No meeting falls in this period."))})
    if date_range_error(dates[-1]):  # a series may run past the portal's last date
        raise EntryError({"count": date_range_error(dates[-1])})
    series = None
    if plan.cadence != "once":
        series = MeetingSeries(
            forum=forum, title=plan.title, cadence=plan.cadence, interval=plan.interval,
            weekday=plan.first.weekday() if plan.cadence != "weekly" else None,
            nth=plan.nth, starts_on=plan.first, ends_on=plan.until or dates[-1],
            start_time=plan.start, duration=plan.duration, place=plan.place)
        db.session.add(series)
    meetings = []
    for day in dates:
        meeting = Meeting(
            key=unique_key(Meeting, f"{forum.key}-{day.isoformat()}"), forum=forum,
            series=series, meets_on=day, start_time=plan.start, duration=plan.duration,
            status="planned", title=plan.title, place=plan.place)
        db.session.add(meeting)
        db.session.flush()  # the next key sees this one
        record(actor, "create", "meeting", meeting.key, after=snapshot(meeting),
               data={"series": series.id if series else None})
        meetings.append(meeting)
    db.session.commit()
    return meetings


def move_meeting(actor: User, meeting: Meeting, plan: Plan) -> Meeting:
    """Move a planned meeting to another date, time or place.

    :raise EntryError: when the meeting is no longer planned, or a field is wrong.
    """
    _require(can_plan_meetings(actor, meeting.forum))
    _lock(meeting)
    if meeting.status != "planned":
        raise EntryError({"first": str(_l("Only a planned meeting can be moved."))})
    plan.place, plan.title = empty_to_none(plan.place), empty_to_none(plan.title)
    errors = plan_errors(Plan(first=plan.first, duration=plan.duration, place=plan.place,
                              title=plan.title))
    if errors:
        raise EntryError(errors)
    before = snapshot(meeting)
    meeting.meets_on, meeting.start_time, meeting.duration = plan.first, plan.start, plan.duration
    meeting.place, meeting.title = plan.place, plan.title
    return _save(actor, "update", meeting, before)


def cancel_meeting(actor: User, meeting: Meeting) -> Meeting:
    """Cancel a planned meeting; it stays in the list as cancelled."""
    _require(can_plan_meetings(actor, meeting.forum))
    _lock(meeting)
    if meeting.status != "planned":
        raise EntryError({"status": str(_l("Only a planned meeting can be cancelled."))})
    before = snapshot(meeting)
    meeting.status = "cancelled"
    return _save(actor, "cancel", meeting, before)


# --- Agenda -----------------------------------------------------------------------------------


def _link(link: str | None) -> tuple[str, Any] | None:
    """`action:a-12` as ("action", the action), or None."""
    if not link or ":" not in link:
        return None
    kind, key = link.split(":", 1)
    model = LINK_KINDS.get(kind)
    if model is None:
        return None
    obj = db.session.scalar(select(model).where(model.key == key))
    return (kind, obj) if obj is not None else None


def _editable_agenda(actor: User, meeting: Meeting) -> None:
    _require(can_plan_meetings(actor, meeting.forum))
    _lock(meeting)
    if meeting.status == "cancelled" or meeting.is_minutes_approved:
        raise EntryError({"title": str(_l(
            "The agenda of a cancelled meeting or of approved minutes cannot change."))})


def add_item(actor: User, meeting: Meeting, title: str | None, notes: str | None = None,
             link: str | None = None) -> AgendaItem:
    """Add an item at the end of the agenda, about a thing in the map if `link` names one.

    :raise EntryError: without a title (one is made from the linked thing) or when too long.
    """
    _editable_agenda(actor, meeting)
    linked = _link(link)
    title = empty_to_none(title)
    if title is None and linked is not None:
        obj = linked[1]
        title = getattr(obj, "title", None) or getattr(obj, "text", "")
        title = title[:SHORT_TEXT]
    if title is None:
        raise EntryError({"title": str(_l("Give the item a title."))})
    if len(title) > SHORT_TEXT:
        raise EntryError({"title": str(_l("Too long: at most %(limit)s characters.",
                                          limit=SHORT_TEXT))})
    before = snapshot(meeting)
    item = AgendaItem(meeting=meeting, position=len(meeting.agenda) + 1, title=title,
                      notes=empty_to_none(notes))
    if linked is not None:
        setattr(item, linked[0], linked[1])
    db.session.add(item)
    db.session.flush()
    db.session.expire(meeting, ["agenda"])
    _save(actor, "update", meeting, before, {"agenda": "add", "title": title})
    return item


def remove_item(actor: User, meeting: Meeting, item_id: int) -> None:
    """Remove an item no decision was taken on; the items after it move up."""
    _editable_agenda(actor, meeting)
    item = next((i for i in meeting.agenda if i.id == item_id), None)
    if item is None:
        raise EntryError({"item": str(_l("The item is no longer on the agenda."))})
    if db.session.scalar(select(Decision.id).where(Decision.agenda_item_id == item.id).limit(1)):
        raise EntryError({"item": str(_l("A decision was taken on this item; it stays."))})
    before = snapshot(meeting)
    meeting.agenda.remove(item)
    _renumber(meeting)
    _save(actor, "update", meeting, before, {"agenda": "remove", "title": item.title})


def move_item(actor: User, meeting: Meeting, item_id: int, step: int) -> None:
    """Move an item one place up (-1) or down (+1)."""
    _editable_agenda(actor, meeting)
    items = list(meeting.agenda)
    index = next((n for n, i in enumerate(items) if i.id == item_id), None)
    if index is None:
        raise EntryError({"item": str(_l("The item is no longer on the agenda."))})
    other = index + (1 if step > 0 else -1)
    if not 0 <= other < len(items):
        return
    before = snapshot(meeting)
    items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        item.position = -position  # two passes: no clash while positions swap
    db.session.flush()
    for position, item in enumerate(items, start=1):
        item.position = position
    db.session.flush()
    db.session.expire(meeting, ["agenda"])
    _save(actor, "update", meeting, before, {"agenda": "move"})


def _renumber(meeting: Meeting) -> None:
    for position, item in enumerate(meeting.agenda, start=1):
        item.position = position
    db.session.flush()


def publish_agenda(actor: User, meeting: Meeting) -> Meeting:
    """Publish the notice (kallelse) with the agenda: the members are told (notifications)."""
    _require(can_plan_meetings(actor, meeting.forum))
    _lock(meeting)
    if meeting.status != "planned":
        raise EntryError({"status": str(_l("Only the agenda of a planned meeting is published."))})
    if not meeting.agenda:
        raise EntryError({"title": str(_l("Add at least one item before publishing."))})
    meeting.agenda_published_at = utcnow()
    return _save(actor, "publish", meeting,
                 data={"agenda_published_at": meeting.agenda_published_at.isoformat()})


# --- Opening, attendance ----------------------------------------------------------------------


def open_meeting(actor: User, meeting: Meeting, approver_keys: list[str]) -> Meeting:
    """Open the meeting: it is held, and the approvers (justerare) of its minutes are chosen.

    :raise EntryError: without an approver, or when the meeting is not planned.
    """
    _require(can_plan_meetings(actor, meeting.forum))
    _lock(meeting)
    if meeting.status != "planned":
        raise EntryError({"approvers": str(_l("The meeting is already opened or cancelled."))})
    people = list(db.session.scalars(select(Person).where(Person.key.in_(approver_keys or []))))
    if not people:
        raise EntryError({"approvers": str(_l("Choose at least one approver of the minutes."))})
    before = snapshot(meeting)
    meeting.status = "held"
    meeting.approvers = [MinutesApprover(person=p) for p in people]
    return _save(actor, "open", meeting, before, {"approvers": sorted(p.key for p in people)})


def _recordable(actor: User, meeting: Meeting) -> None:
    _require(can_plan_meetings(actor, meeting.forum))
    _lock(meeting)
    if meeting.status != "held":
        raise EntryError({"status": str(_l("Open the meeting before recording attendance."))})
    if meeting.is_minutes_approved:
        raise EntryError({"status": str(_l("The minutes are approved; attendance is final."))})


def mark_attendance(actor: User, meeting: Meeting, person: Person, status: str | None,
                    stands_in_for: Person | None = None) -> Attendance | None:
    """Mark a person present or with apologies, or (status None) absent, at a held meeting.

    A substitute names the member they stand in for. Marking anyone records the attendance.
    """
    _recordable(actor, meeting)
    if status not in (None, "present", "apologies"):
        raise EntryError({"status": str(_l("Unknown attendance."))})
    row = next((a for a in meeting.attendance if a.person_id == person.id), None)
    before = row.status if row else None
    if status is None:
        if row is not None:
            meeting.attendance.remove(row)
    elif row is None:
        row = Attendance(person=person, status=status, stands_in_for=stands_in_for)
        meeting.attendance.append(row)
    else:
        row.status = status
        if stands_in_for is not None:
            row.stands_in_for = stands_in_for
    meeting.is_attendance_recorded = True
    db.session.flush()
    record(actor, "attendance", "meeting", meeting.key,
           data={"person": person.key, "before": before, "after": status,
                 "stands_in_for": stands_in_for.key if stands_in_for else None})
    db.session.commit()
    return row if status else None


def log_decision(actor: User, meeting: Meeting, item: AgendaItem | None,
                 data: decisions.DecisionData) -> Decision:
    """A decision taken in the meeting on an agenda item: a draft of the minutes until approval.

    :raise EntryError: when the meeting is not held or its minutes are approved, or a field
        is wrong.
    """
    _require(can_plan_meetings(actor, meeting.forum))
    if meeting.status != "held":
        raise EntryError({"meeting": str(_l("Open the meeting before logging its decisions."))})
    if meeting.is_minutes_approved:
        raise EntryError({"meeting": str(_l("The minutes are approved; correct a decision "
                                            "with a new version instead."))})
    data.date = meeting.meets_on
    data.meeting = meeting.key
    data.agenda_item_id = item.id if item is not None else None
    return decisions.log_decision(actor, meeting.forum, data, final=False)


# --- Approval ---------------------------------------------------------------------------------


def approve_minutes(actor: User, meeting: Meeting, on: date) -> str:
    """An approver approves the minutes; when the last one has, they are final.

    The meeting's draft decisions then become final records. Returns "final" when this
    approval made the minutes final, "recorded" when others have yet to approve, "already"
    when this person (or everyone) had approved: approving twice changes nothing.

    :raise PermissionDenied: unless the actor is a chosen approver who has not yet approved.
    :raise EntryError: before the day of the meeting (the format requires it).
    """
    _lock(meeting)
    if not can_approve_minutes(actor, meeting):
        if meeting.is_minutes_approved or any(
                a.person_id == actor.person_id for a in meeting.approvers):
            db.session.rollback()
            return "already"
        db.session.rollback()
        raise PermissionDenied()
    if on < meeting.meets_on:
        db.session.rollback()
        raise EntryError({"minutes_approved_on": str(_l(
            "The minutes can be approved on the day of the meeting or later."))})
    for approver in meeting.approvers:
        if approver.person_id == actor.person_id:
            approver.approved_on = on
    db.session.flush()
    record(actor, "approve", "meeting", meeting.key, data={"person": actor.person.key,
                                                            "on": on.isoformat()})
    final = all(a.approved_on is not None for a in meeting.approvers)
    if final:
        before = snapshot(meeting)
        meeting.minutes_approved_on = on
        drafts = _claim_drafts(meeting)
        created = {d.key: [a.key for a in decisions.finalise_proposals(actor, d)]
                   for d in drafts}
        for decision in drafts:
            decision.status = "final"
        db.session.flush()
        record(actor, "approve_minutes", "meeting", meeting.key, before=before,
               after=snapshot(meeting), data={"decisions": sorted(d.key for d in drafts)})
        for decision in drafts:
            record(actor, "finalise", "decision", decision.key,
                   data={"meeting": meeting.key, "reason": "minutes approved",
                         "created_actions": created[decision.key]})
    db.session.commit()
    return "final" if final else "recorded"


def _claim_drafts(meeting: Meeting) -> list[Decision]:
    """The meeting's draft decisions, their rows taken for this transaction and read afresh.

    An edit of a draft saving at this moment either finished first (its proposals are read
    here) or waits and then finds the decision final (409): the actions made are those the
    draft holds when the minutes become final, never a mix of two versions.
    """
    table = Decision.__table__
    db.session.execute(update(table).where(table.c.meeting_id == meeting.id,
                                           table.c.status == "draft").values(status="draft"))
    drafts = list(db.session.scalars(
        select(Decision).where(Decision.meeting_id == meeting.id, Decision.status == "draft")
        .order_by(Decision.id).execution_options(populate_existing=True)))
    for decision in drafts:
        db.session.expire(decision, ["actions", "proposed_actions"])
    return drafts
