"""Who may see and change what: the one place that knows the roles."""

from __future__ import annotations

from typing import Any

from portal.models import Action, Commission, Decision, Forum, Milestone, Recommendation, User

READ_ROLES = ("admin", "leadership", "commission_lead", "forum_member", "viewer")


def is_admin(user: Any) -> bool:
    """True for a signed-in administrator."""
    return bool(getattr(user, "is_authenticated", False)) and user.role == "admin"


def can_view(user: Any, obj: Any = None) -> bool:
    """Every signed-in, enabled account may read the collaboration map."""
    return bool(getattr(user, "is_authenticated", False)) and user.role in READ_ROLES


def can_administer(user: Any) -> bool:
    """Import, export administration, accounts and settings are for admins."""
    return is_admin(user)


def _leads(user: User, commission: Commission | None) -> bool:
    """True when the user's person leads the commission."""
    return (
        commission is not None
        and user.person_id is not None
        and commission.lead_id == user.person_id
    )


def _sits_in(user: User, forum: Forum | None) -> bool:
    """True when the user's person is a member of the forum."""
    if forum is None or user.person_id is None:
        return False
    return any(m.person_id == user.person_id for m in forum.memberships)


def can_edit(user: Any, obj: Any) -> bool:
    """Whether the user may change this object (leadership reads but never edits)."""
    if not getattr(user, "is_authenticated", False):
        return False
    if user.role == "admin":
        return True
    if user.role == "commission_lead":
        if isinstance(obj, Commission):
            return _leads(user, obj)
        if isinstance(obj, Milestone | Recommendation | Action):
            return _leads(user, obj.commission)
    if user.role == "forum_member" and isinstance(obj, Forum):
        return _sits_in(user, obj)
    if user.role == "forum_member" and isinstance(obj, Decision):
        return _sits_in(user, obj.forum)
    return False
