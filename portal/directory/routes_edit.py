"""Keeping the register up to date: organisations, people, focus areas, forums and members.

Each view checks the permission, parses the form, calls one service and redirects (303) or,
for htmx, answers with the updated panel. A refused form comes back with 422 and the errors
next to the fields.
"""

from __future__ import annotations

from flask import abort, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm import selectinload

from portal.audit.snapshot import snapshot
from portal.auth.permissions import can_edit_register, can_manage_forum
from portal.concurrency import Conflict
from portal.dates import today
from portal.directory import bp, forum_services, queries, services
from portal.directory.forms import (
    AreaForm,
    EndMembershipForm,
    ForumForm,
    MemberForm,
    OrganisationForm,
    PersonForm,
    RepresentsForm,
    RoleForm,
)
from portal.extensions import db
from portal.models import Area, Forum, Organisation, Person
from portal.views import based_on_of, entry_page, get_by_key, render, table_change


@bp.route("/organisationer/ny", methods=["GET", "POST"])
def organisation_new():
    """Add an organisation (admins)."""
    _allow(can_edit_register(current_user))
    form = OrganisationForm()
    form.set_choices(queries.organisation_choices())
    return entry_page(
        form, lambda entry: services.create_organisation(current_user, entry),
        lambda org: url_for("directory.organisation", key=org.key),
        _("New organisation"), url_for("directory.organisations"),
    )


@bp.route("/organisationer/<key>/redigera", methods=["GET", "POST"])
def organisation_edit(key: str):
    """Change an organisation (admins)."""
    _allow(can_edit_register(current_user))
    org = get_by_key(Organisation, key)
    form = OrganisationForm(data=snapshot(org)).without_key()
    form.set_choices([c for c in queries.organisation_choices() if c[0] != org.key])
    return entry_page(
        form, lambda entry: services.update_organisation(current_user, org, entry),
        lambda org: url_for("directory.organisation", key=org.key),
        _("Edit %(name)s", name=org.name), url_for("directory.organisation", key=org.key),
    )


@bp.route("/personer/ny", methods=["GET", "POST"])
def person_new():
    """Add a person (admins)."""
    _allow(can_edit_register(current_user))
    form = PersonForm()
    form.set_choices(queries.organisation_choices())
    return entry_page(
        form, lambda entry: services.create_person(current_user, entry),
        lambda person: url_for("directory.person", key=person.key),
        _("New person"), url_for("directory.people"),
    )


@bp.route("/personer/<key>/redigera", methods=["GET", "POST"])
def person_edit(key: str):
    """Change a person (admins)."""
    _allow(can_edit_register(current_user))
    person = get_by_key(Person, key)
    form = PersonForm(data=snapshot(person)).without_key()
    form.set_choices(queries.organisation_choices())
    return entry_page(
        form, lambda entry: services.update_person(current_user, person, entry),
        lambda person: url_for("directory.person", key=person.key),
        _("Edit %(name)s", name=person.name), url_for("directory.person", key=person.key),
    )


@bp.route("/fokusomraden/ny", methods=["GET", "POST"])
def area_new():
    """Add a focus area (admins)."""
    _allow(can_edit_register(current_user))
    return entry_page(
        AreaForm(), lambda entry: services.create_area(current_user, entry),
        lambda area: url_for("directory.area", key=area.key),
        _("New focus area"), url_for("directory.areas"),
    )


@bp.route("/fokusomraden/<key>/redigera", methods=["GET", "POST"])
def area_edit(key: str):
    """Change a focus area (admins)."""
    _allow(can_edit_register(current_user))
    area = get_by_key(Area, key)
    return entry_page(
        AreaForm(data=snapshot(area)).without_key(),
        lambda entry: services.update_area(current_user, area, entry),
        lambda area: url_for("directory.area", key=area.key),
        _("Edit %(name)s", name=area.name), url_for("directory.area", key=area.key),
    )


@bp.route("/forum/ny", methods=["GET", "POST"])
def forum_new():
    """Add a forum (admins)."""
    _allow(can_edit_register(current_user))
    form = ForumForm()
    del form.closed_on
    form.set_choices(queries.forum_choices(include_closed=True), queries.organisation_choices())
    return entry_page(
        form, lambda entry: forum_services.create_forum(current_user, entry),
        lambda forum: url_for("directory.forum", key=forum.key),
        _("New forum"), url_for("directory.forums"), areas=queries.area_choices(),
    )


@bp.route("/forum/<key>/redigera", methods=["GET", "POST"])
def forum_edit(key: str):
    """Change a forum's mandate, areas, reporting line, or close it (admins and its officers)."""
    forum = get_by_key(Forum, key, selectinload(Forum.areas))
    _allow(can_manage_forum(current_user, forum))
    form = ForumForm(data={**snapshot(forum), "closed_on": forum.closed_on}).without_key()
    form.set_choices(queries.forum_choices(include_closed=True), queries.organisation_choices())
    based_on = based_on_of(forum, form)
    return entry_page(
        form, lambda entry: forum_services.update_forum(
            current_user, forum, entry, closed_on=form.closed_on.data, based_on=based_on),
        lambda forum: url_for("directory.forum", key=forum.key),
        _("Edit %(name)s", name=forum.name), url_for("directory.forum", key=forum.key),
        areas=queries.area_choices(), based_on=based_on,
    )


@bp.get("/forum/<key>/medlemmar")
def members(key: str):
    """Members and roles of a forum, to add, change and end seats (admins and its officers)."""
    forum = get_by_key(Forum, key)
    _allow(can_manage_forum(current_user, forum))
    return _members_page(forum, MemberForm())


@bp.post("/forum/<key>/medlemmar")
def member_add(key: str):
    """Give a person a seat in the forum."""
    forum = get_by_key(Forum, key)
    _allow(can_manage_forum(current_user, forum))
    form = MemberForm()
    form.set_choices(queries.person_choices(), queries.organisation_choices())
    return _member_change(forum, form, lambda: forum_services.add_member(
        current_user, forum, form.person.data, form.role.data, form.on_behalf_of.data))


@bp.post("/forum/<key>/medlemmar/<person>/roll")
def member_role(key: str, person: str):
    """Change a member's role."""
    forum, seat = _seat(key, person)
    form = RoleForm()
    return _member_change(forum, form, lambda: forum_services.change_role(
        current_user, seat, form.role.data), row=seat.person.name)


@bp.post("/forum/<key>/medlemmar/<person>/foretrader")
def member_represents(key: str, person: str):
    """Set the organisations a member represents besides their own."""
    forum, seat = _seat(key, person)
    form = RepresentsForm()
    based_on = request.form.get("based_on", "")[:4000]
    try:
        return _member_change(forum, form, lambda: forum_services.set_represents(
            current_user, seat, form.on_behalf_of.data, based_on), row=seat.person.name)
    except Conflict as lost:
        # Someone else changed it first: the members as they are now, the message above them.
        db.session.rollback()
        return _members_page(forum, MemberForm(formdata=None),
                             loose_errors=[f"{seat.person.name}: {lost.message}"]), 409


@bp.post("/forum/<key>/medlemmar/<person>/avsluta")
def member_end(key: str, person: str):
    """End a seat: the person is kept as a former member."""
    forum, seat = _seat(key, person)
    form = EndMembershipForm()
    return _member_change(forum, form, lambda: forum_services.end_membership(
        current_user, seat, form.ended_on.data), row=seat.person.name)


def _allow(allowed: bool) -> None:
    """Answer 403 unless the permission module says yes."""
    if not allowed:
        abort(403)



def _seat(key: str, person_key: str):
    """The forum and the person's seat in it.

    :raise 404: when the person has never had a seat there.
    """
    forum = get_by_key(Forum, key)
    _allow(can_manage_forum(current_user, forum))
    seat = next((m for m in forum.memberships if m.person.key == person_key), None)
    if seat is None:
        abort(404)
    return forum, seat


def _member_change(forum: Forum, form, change, row: str | None = None):
    """Apply a change of seats; answer with the members page, or htmx with its panel."""
    return table_change(
        form, change, row, blank_form=lambda: MemberForm(formdata=None),
        page=lambda add_form, **context: _members_page(forum, add_form, **context),
        done=_("The members were updated."),
        target=url_for("directory.members", key=forum.key),
    )


def _members_page(forum: Forum, form: MemberForm, **context):
    """The members page (or its panel for htmx)."""
    organisations = queries.organisation_choices()
    form.set_choices(queries.person_choices(), organisations)
    detail = queries.forum_detail(forum)
    return render(
        "directory/members.html", "directory/_members.html", forum=forum, form=form,
        members=detail["members"], former_members=detail["former_members"],
        role_choices=RoleForm().role.choices, today=today(),
        principal_choices=queries.principal_choices(), **context,
    )
