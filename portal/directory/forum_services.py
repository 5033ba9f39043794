"""Keeping forums up to date: mandate, areas, reporting line, closing, members and roles.

Admins create forums; admins and a forum's chair, coordinator or secretary edit it and its
members. Ending a membership or closing a forum keeps its history: an ended seat stays as a
former member with the date it ended, a closed forum keeps its decisions and actions.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from flask_babel import lazy_gettext as _l

from portal.audit.services import record
from portal.audit.snapshot import snapshot
from portal.auth.permissions import can_manage_forum
from portal.concurrency import Conflict, lock_row
from portal.dates import today
from portal.directory.services import Entry, by_key, by_keys, create, require, update
from portal.entries import EntryError, entry_errors
from portal.extensions import db
from portal.forms import date_range_error
from portal.models import Area, Forum, ForumMembership, Organisation, Person

if TYPE_CHECKING:
    from portal.models import User


def create_forum(actor: User, entry: Entry) -> Forum:
    """Add a forum (admins); `entry` has the exchange fields except members.

    :raise PermissionDenied: unless the actor is an admin.
    :raise EntryError: naming each field the import would refuse, e.g. an unknown `reports_to`.
    """
    return create(actor, "forums", Forum, {**entry, "members": []}, _apply_forum)


def update_forum(actor: User, forum: Forum, entry: Entry, closed_on: date | None = None,
                 based_on: str | None = None) -> Forum:
    """Change a forum's description and reporting line, and close or reopen it.

    :raise PermissionDenied: unless the actor is an admin or the forum's chair, coordinator
        or secretary.
    :raise EntryError: naming each field the import would refuse, or a closing date ahead.
    :raise Conflict: when `based_on` (see `services.update`) is no longer what is stored.
    """
    require(can_manage_forum(actor, forum))
    if closed_on is not None and closed_on > today():
        raise EntryError({"closed_on": str(_l("A forum cannot be closed on a day ahead."))})
    if date_range_error(closed_on):
        raise EntryError({"closed_on": date_range_error(closed_on)})
    changes = {k: v for k, v in entry.items() if k != "members"}

    def apply(obj: Forum, full: Entry) -> None:
        _apply_forum(obj, full)
        obj.closed_on = closed_on

    extra = None
    if closed_on != forum.closed_on:
        extra = {"closed_on": closed_on.isoformat() if closed_on else None,
                 "was_closed_on": forum.closed_on.isoformat() if forum.closed_on else None}
    return update(actor, "forums", forum, changes, apply, allowed=True, extra=extra,
                  based_on=based_on)


def add_member(actor: User, forum: Forum, person_key: str | None, role: str | None,
               on_behalf_of: list[str] | None = None):
    """Give a person a seat in the forum; a former member's seat is taken up again.

    :raise EntryError: for an unknown person, a person already seated (at most once per
        forum) or an unknown role.
    """
    require(can_manage_forum(actor, forum))
    before = snapshot(forum)
    seat = {"person": person_key, "role": role, "on_behalf_of": list(on_behalf_of or [])}
    _check_members(forum, [*before["members"], seat])
    person = by_key(Person, person_key)
    former = next((m for m in forum.memberships if m.person_id == person.id), None)
    if former is not None:  # the table keeps one row per person and forum
        former.role, former.ended_on = role, None
    else:
        former = ForumMembership(forum=forum, person=person, role=role)
        db.session.add(former)
    former.on_behalf_of = by_keys(Organisation, seat["on_behalf_of"])
    return _finish(actor, "add_member", forum, before, former)


def change_role(actor: User, membership: ForumMembership, role: str | None) -> ForumMembership:
    """Change a current member's role in the forum.

    :raise EntryError: for an unknown role or a seat that has ended.
    """
    forum = membership.forum
    require(can_manage_forum(actor, forum))
    _refuse_ended(membership)
    before = snapshot(forum)
    members = [m if m["person"] != membership.person.key else {**m, "role": role}
               for m in before["members"]]
    _check_members(forum, members)
    membership.role = role
    return _finish(actor, "change_role", forum, before, membership)


def represents_token(membership: ForumMembership) -> str:
    """What a form changing whom a member represents is based on: the keys it showed."""
    return "v:" + ",".join(sorted(o.key for o in membership.on_behalf_of))


def set_represents(actor: User, membership: ForumMembership,
                   on_behalf_of: list[str] | None, based_on: str | None = None
                   ) -> ForumMembership:
    """Set the organisations a current member represents in the forum besides their own.

    `based_on` is the `represents_token` the form showed; when given, the forum is locked and
    a change based on what someone else has changed since is refused (None: not checked).

    :raise EntryError: for an unknown organisation, one chosen twice, a seat that has ended,
        or a form that does not say what it was based on.
    :raise Conflict: when the member's representation changed after the form was opened.
    """
    forum = membership.forum
    require(can_manage_forum(actor, forum))
    if based_on is not None:
        _claim_represents(forum, membership, based_on)
    _refuse_ended(membership)
    before = snapshot(forum)
    keys = [k for k in (on_behalf_of or []) if k]
    members = [m if m["person"] != membership.person.key else {**m, "on_behalf_of": keys}
               for m in before["members"]]
    _check_members(forum, members)
    membership.on_behalf_of = by_keys(Organisation, keys)
    return _finish(actor, "set_represents", forum, before, membership)


def _claim_represents(forum: Forum, membership: ForumMembership, based_on: str) -> None:
    """Hold the forum's write lock; refuse a change based on an older representation."""
    if not based_on:
        raise EntryError({"": str(_l("The form lacks the version it was opened at. Open it "
                                     "again and make your change."))})
    lock_row(Forum, forum.id)
    db.session.expire_all()  # read the seat again under the lock
    if represents_token(membership) != based_on:
        names = ", ".join(o.name for o in sorted(membership.on_behalf_of, key=lambda o: o.name))
        raise Conflict(
            str(_l("Someone else changed whom %(name)s represents in the meantime; now: "
                   "%(now)s. Check it, then make your change.", name=membership.person.name,
                   now=names or _l("only their own organisation"))),
            ("directory.members", {"key": forum.key}, str(_l("Open the members as they are now"))))


def end_membership(actor: User, membership: ForumMembership,
                   ended_on: date | None = None) -> ForumMembership:
    """End a seat: the person becomes a former member and no longer counts as a member.

    :raise EntryError: for a seat that has already ended or an end date ahead.
    """
    forum = membership.forum
    require(can_manage_forum(actor, forum))
    _refuse_ended(membership)
    ended_on = ended_on or today()
    if ended_on > today():
        raise EntryError({"ended_on": str(_l("A membership cannot end on a day ahead."))})
    if date_range_error(ended_on):
        raise EntryError({"ended_on": date_range_error(ended_on)})
    before = snapshot(forum)
    membership.ended_on = ended_on
    return _finish(actor, "end_membership", forum, before, membership)


def _check_members(forum: Forum, members: list[dict[str, Any]]) -> None:
    """The forum with these current members, checked as the import would check it."""
    errors = entry_errors("forums", {**snapshot(forum), "members": members})
    if errors:
        raise EntryError(errors)


def _refuse_ended(membership: ForumMembership) -> None:
    """An ended seat is history: it is not changed again."""
    if membership.ended_on is not None:
        raise EntryError({"person": str(_l("%(name)s is no longer a member of the forum.",
                                            name=membership.person.name))})


def _finish(actor: User, action: str, forum: Forum, before: Entry,
            membership: ForumMembership) -> ForumMembership:
    """Record a change of seats with the forum before and after, and commit."""
    db.session.flush()
    db.session.refresh(forum, ["memberships"])
    record(actor, action, "forum", forum.key, before=before, after=snapshot(forum), data={
        "person": membership.person.key, "role": membership.role,
        "ended_on": membership.ended_on.isoformat() if membership.ended_on else None,
    })
    db.session.commit()
    return membership


def _apply_forum(forum: Forum, entry: Entry) -> None:
    forum.name, forum.kind, forum.level = entry["name"], entry["kind"], entry["level"]
    forum.is_apex = bool(entry.get("apex"))
    forum.reports_to = by_key(Forum, entry.get("reports_to"))
    forum.areas = by_keys(Area, entry.get("areas"))
    forum.mandate, forum.meets = entry.get("mandate"), entry.get("meets")
    forum.scope = by_keys(Organisation, entry.get("scope"))
