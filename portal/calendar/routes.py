"""The calendar page and the token-protected feed that calendar apps subscribe to."""

from __future__ import annotations

from flask import Blueprint, Response, abort, render_template
from flask_login import current_user

from portal.calendar import services
from portal.calendar.feed import Entry, build, entries_of, uid
from portal.calendar.meetings import meeting_entry
from portal.dashboard import work
from portal.dates import today
from portal.links import external_url
from portal.meetings.queries import calendar_meetings
from portal.models import Action, Milestone

bp = Blueprint("calendar", __name__)


@bp.get("/kalender")
def index():
    """Explain the calendar feed and offer a new link."""
    return render_template("calendar/index.html", feed_url=None,
                           has_link=current_user.calendar_token_hash is not None)


@bp.post("/kalender")
def renew():
    """Create a new link, ending the old one; the URL is shown on this response only."""
    had_link = current_user.calendar_token_hash is not None
    token = services.renew_token(current_user)
    feed_url = external_url("calendar.feed", token=token)
    # Rendered, not redirected: the secret must not travel through a session or a URL again.
    return render_template("calendar/index.html", has_link=True, had_link=had_link,
                           feed_url=feed_url, webcal_url=webcal(feed_url))


def webcal(url: str) -> str:
    """The same address for calendar apps that subscribe through webcal: links."""
    return "webcal://" + url.split("://", 1)[1]


@bp.get("/kalender/<token>.ics")
def feed(token: str):
    """The user's milestones and action deadlines as iCalendar, for whoever holds the link.

    :raise 404: when no user has this token.
    """
    user = services.user_by_token(token)
    if user is None:
        abort(404)
    mine = work.milestones_of(work.commission_ids_of(user))
    actions = [a for a in work.actions_of(user) if a.is_open and a.due_on is not None]
    entries = entries_of(mine, _milestone_entry) + entries_of(actions, _action_entry)
    entries += entries_of(calendar_meetings(user, today()), meeting_entry)
    body = build(entries, "Samverkansportalen")
    response = Response(body, content_type="text/calendar; charset=utf-8")
    response.headers["Cache-Control"] = "no-store"
    return response


def _milestone_entry(milestone: Milestone) -> Entry:
    """A milestone as an all-day event; the feed is in Swedish, as the portal's users are."""
    name = f"{milestone.code} {milestone.title}" if milestone.code else milestone.title
    done = f" (uppnådd {milestone.done_on.isoformat()})" if milestone.done_on else ""
    return Entry(
        uid=uid("milestone", milestone.key),
        day=milestone.due_on,
        summary=f"Milstolpe: {name}{done}",
        description=f"Uppdrag: {milestone.commission.title}",
        url=external_url("commissions.detail", key=milestone.commission.key,
                         _anchor=f"milestone-{milestone.key}"),
    )


def _action_entry(action: Action) -> Entry:
    """An open action's deadline as an all-day event."""
    owner = action.owner_forum.name if action.owner_forum else (
        action.owner_person.name if action.owner_person else "")
    lines = [f"Uppdrag: {action.commission.title}" if action.commission else "Uppdrag: –"]
    if owner:
        lines.append(f"Ägare: {owner}")
    return Entry(
        uid=uid("action", action.key),
        day=action.due_on,
        summary=f"Deadline åtgärd: {action.title}",
        description="\n".join(lines),
        url=external_url("commissions.action", key=action.key),
    )
