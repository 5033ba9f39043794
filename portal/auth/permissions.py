"""Who may see and change what: the one place that knows the roles."""

from __future__ import annotations

from typing import Any

from werkzeug.exceptions import Forbidden

from portal.models import (
    Action,
    Commission,
    Decision,
    Forum,
    Milestone,
    Recommendation,
    Risk,
    StatusReport,
    User,
)

READ_ROLES = ("admin", "leadership", "commission_lead", "forum_member", "viewer")


class PermissionDenied(Forbidden):
    """The acting user may not make this change; answers 403 like any refusal."""


def is_admin(user: Any) -> bool:
    """True for a signed-in administrator."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == "admin"


def can_view(user: Any, obj: Any = None) -> bool:
    """Every signed-in, enabled account may read the collaboration map."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in READ_ROLES


def can_administer(user: Any) -> bool:
    """Import, export administration, accounts and settings are for admins."""
    return is_admin(user)


def can_view_map(user: Any) -> bool:
    """The map, the coverage matrix, the report and the snapshots: every signed-in role."""
    return can_view(user)


SNAPSHOT_ROLES = ("admin", "leadership")


def can_save_snapshot(user: Any) -> bool:
    """Saving the structure as a named snapshot: admins and leadership."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in SNAPSHOT_ROLES


def _leads(user: User, commission: Commission | None) -> bool:
    """True when the user's person leads the commission."""
    return (
        commission is not None
        and user.person_id is not None
        and commission.lead_id == user.person_id
    )


def _sits_in(user: User, forum: Forum | None) -> bool:
    """True when the user's person is a current member of the forum (ended seats do not count)."""
    return _seat(user, forum) is not None


# Roles that may act for a forum they sit in; leadership and viewers only read.
FORUM_ACTING_ROLES = ("forum_member", "commission_lead")
FORUM_MANAGER_SEATS = ("chair", "coordinator", "secretary")


def _seat(user: Any, forum: Forum | None):
    """The user's person's current membership of the forum, or None."""
    if forum is None or getattr(user, "person_id", None) is None:
        return None
    return next(
        (m for m in forum.memberships if m.person_id == user.person_id and m.ended_on is None),
        None,
    )


def _acts_in(user: Any, forum: Forum | None) -> bool:
    """A forum member or commission lead with a current seat in the forum."""
    return (
        bool(getattr(user, "is_authenticated", False))
        and user.role in FORUM_ACTING_ROLES
        and _seat(user, forum) is not None
    )


def can_log_decision(user: Any, forum: Forum | None) -> bool:
    """Admins, and members of the forum while it is open, log its decisions."""
    if is_admin(user):
        return forum is not None
    return _acts_in(user, forum) and forum.closed_on is None


def can_read_drafts(user: Any, forum: Forum | None) -> bool:
    """A forum's draft decisions are its working material: its members and admins read them."""
    return is_admin(user) or _acts_in(user, forum)


def can_edit_decision(user: Any, decision: Decision) -> bool:
    """Only a draft can be edited, by those who log the forum's decisions."""
    return decision.status == "draft" and can_log_decision(user, decision.forum)


def can_correct_decision(user: Any, decision: Decision) -> bool:
    """A final decision is corrected (by a new version) by those who log the forum's decisions."""
    return decision.status == "final" and can_log_decision(user, decision.forum)


def can_link_commission_action(user: Any, forum: Forum, commission: Commission | None) -> bool:
    """A forum's decision may link an action of a commission when the forum owns or co-owns
    the commission, or when the decider leads it (admins: any); actions outside a commission
    may be linked by any decision."""
    if commission is None or is_admin(user):
        return True
    if commission.owner_forum_id == forum.id or any(f.id == forum.id
                                                    for f in commission.co_owners):
        return True
    return bool(getattr(user, "is_authenticated", False)) and _leads(user, commission)


def can_decline_action(user: Any, action: Action, decision: Decision | None) -> bool:
    """The owner of an open action that another forum's decision gave them may decline it:
    the owner person (when not sitting in the deciding forum), or those who manage the owner
    forum (its chair, coordinator or secretary; admins)."""
    if decision is None or not action.is_open:
        return False
    person_id = getattr(user, "person_id", None)
    if (person_id is not None and action.owner_person_id == person_id
            and _seat(user, decision.forum) is None):
        return True
    owner = action.owner_forum
    return owner is not None and owner.id != decision.forum_id and can_manage_forum(user, owner)


def can_manage_forum(user: Any, forum: Forum | None) -> bool:
    """Admins, and the forum's chair, coordinator or secretary, edit it and its members."""
    if is_admin(user):
        return forum is not None
    seat = _seat(user, forum) if _acts_in(user, forum) else None
    return seat is not None and seat.role in FORUM_MANAGER_SEATS


def can_edit_register(user: Any) -> bool:
    """Organisations, people, focus areas, new forums and indicator values: admins only."""
    return is_admin(user)


def may_edit_some_commission(user: Any) -> bool:
    """Whether `can_edit` may say yes to any commission, or anything in one, for this user.

    When not, a commission page is the same for every such user (pages cache it so).
    """
    return bool(getattr(user, "is_authenticated", False)) and user.role in (
        "admin", "commission_lead")


def can_edit(user: Any, obj: Any) -> bool:
    """Whether the user may change this object (leadership reads but never edits)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    if user.role == "commission_lead":
        if isinstance(obj, Commission):
            return _leads(user, obj)
        if isinstance(obj, Milestone | Recommendation | Action | Risk | StatusReport):
            return _leads(user, obj.commission)
    if user.role == "forum_member" and isinstance(obj, Forum):
        return _sits_in(user, obj)
    if user.role == "forum_member" and isinstance(obj, Decision):
        return _sits_in(user, obj.forum)
    return False


# --- Meetings -----------------------------------------------------------------------------------


def can_plan_meetings(user: Any, forum: Forum | None) -> bool:
    """The forum's chair, secretary and coordinator (and admins) plan and run its meetings.

    They plan, move and cancel meetings, edit and publish the agenda, record attendance,
    open the meeting with its approvers and log decisions in it. A closed forum meets no more.
    """
    return can_manage_forum(user, forum) and forum.closed_on is None


def can_read_draft_minutes(user: Any, forum: Forum | None) -> bool:
    """Minutes not yet approved are read by the forum's members and admins only."""
    if is_admin(user):
        return forum is not None
    return bool(getattr(user, "is_authenticated", False)) and _seat(user, forum) is not None


def can_approve_minutes(user: Any, meeting: Any) -> bool:
    """A chosen approver (justerare) who has not yet approved the held meeting's minutes."""
    person_id = getattr(user, "person_id", None)
    if not getattr(user, "is_authenticated", False) or person_id is None:
        return False
    if meeting.status != "held" or meeting.minutes_approved_on is not None:
        return False
    return any(a.person_id == person_id and a.approved_on is None for a in meeting.approvers)
