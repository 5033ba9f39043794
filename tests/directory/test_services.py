"""Keeping the register up to date: the import's rules, the audit trail, and kept history."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select

from portal.auth.permissions import PermissionDenied
from portal.directory import forum_services, services
from portal.directory.queries import forum_detail, forums_page
from portal.entries import EntryError
from portal.models import AuditEntry, Forum, ForumMembership, Organisation, User


@pytest.fixture
def admin(db, demo) -> User:
    """The demo's admin."""
    return db.session.scalar(select(User).where(User.email == "admin@example.org"))


def _last_audit(db) -> AuditEntry:
    return db.session.scalar(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1))


def _refused(call, *args) -> dict[str, str]:
    with pytest.raises(EntryError) as info:
        call(*args)
    return info.value.errors


def _org(**changes) -> dict:
    return {"key": "", "name": "Vindelns kommun, socialtjänsten", "kind": "region_unit",
            "parent": None, "principal": False, **changes}


def test_create_an_organisation_with_a_key_made_from_its_name(db, admin):
    """An empty key is made from the name; the audit trail has the new entry."""
    org = services.create_organisation(admin, _org())
    assert org.key == "vindelns-kommun-socialtjansten"
    entry = _last_audit(db)
    assert (entry.action, entry.entity_type, entry.entity_key) == ("create", "organisation",
                                                                   org.key)
    assert entry.before is None and entry.after["name"] == org.name


@pytest.mark.parametrize(("changes", "field", "words"), [
    ({"name": " "}, "name", "required"),
    ({"name": "x" * 501}, "name", "at most 500"),
    ({"kind": "kommun"}, "kind", "listed options"),
    ({"parent": "finns-inte"}, "parent", "no organisation with the key"),
    ({"key": "med mellanslag"}, "key", "no spaces"),
    ({"key": "umea"}, "key", "already used"),
])
def test_organisation_rules(db, admin, changes, field, words):
    """Each rule of the import is refused with a message naming its field."""
    errors = _refused(services.create_organisation, admin, _org(**changes))
    assert words in errors[field], errors


def test_an_organisation_cannot_be_its_own_ancestor(db, admin):
    """Making the region part of one of its own units is refused; nothing changes."""
    unit = db.session.scalar(select(Organisation).where(Organisation.parent_id.is_not(None)))
    top = unit.parent
    errors = _refused(services.update_organisation, admin, top, {"parent": unit.key})
    assert "cannot be part of itself" in errors["parent"]
    db.session.expire_all()
    assert db.session.get(Organisation, top.id).parent_id != unit.id


def test_update_records_before_and_after(db, admin):
    """A change keeps the key and stores the entity before and after."""
    org = db.session.scalar(select(Organisation).where(Organisation.key == "umea"))
    services.update_organisation(admin, org, {"name": "Umeå kommun (ny)", "kind": org.kind})
    entry = _last_audit(db)
    assert entry.before["name"] == "Umeå kommun" and entry.after["name"] == "Umeå kommun (ny)"
    assert entry.after["key"] == "umea" and entry.action == "update"


def test_person_and_area_rules(db, admin):
    """A person needs a known organisation; a focus area needs a name."""
    errors = _refused(services.create_person, admin,
                      {"key": "", "name": "Ny Person", "organisation": "okand"})
    assert "no organisation" in errors["organisation"]
    assert "required" in _refused(services.create_area, admin, {"key": "", "name": ""})["name"]
    person = services.create_person(admin, {"key": "", "name": "Ny Person",
                                            "organisation": "umea", "title": "Strateg"})
    assert (person.key, person.organisation.key) == ("ny-person", "umea")
    area = services.create_area(admin, {"key": "digital", "name": "Digital vård"})
    services.update_area(admin, area, {"name": "Digitala vårdtjänster", "description": "Ny"})
    assert (area.name, area.description) == ("Digitala vårdtjänster", "Ny")


def test_only_admins_keep_organisations_people_and_areas(db, coordinator):
    """A forum's coordinator may not create organisations."""
    with pytest.raises(PermissionDenied):
        services.create_organisation(coordinator, _org())


def test_forum_rules(db, admin, lsg, coordinator):
    """A forum cannot report to an unknown forum; the level must be one of the list."""
    errors = _refused(forum_services.update_forum, coordinator, lsg,
                      {"reports_to": "xyz", "level": "galactic"})
    assert "no forum with the key" in errors["reports_to"]
    assert "listed options" in errors["level"]
    forum = forum_services.create_forum(admin, {
        "key": "", "name": "Arbetsgrupp SIP", "kind": "working_group", "level": "county",
        "apex": False, "reports_to": "lsg", "areas": ["kommun-region"], "mandate": "SIP",
        "meets": None})
    assert (forum.key, forum.reports_to, [a.key for a in forum.areas]) == (
        "arbetsgrupp-sip", lsg, ["kommun-region"])


def test_the_coordinator_edits_and_closes_their_forum(db, lsg, coordinator):
    """Closing keeps the forum with its decisions; a closing date ahead is refused."""
    ahead = date.today() + timedelta(days=30)
    errors = _refused(forum_services.update_forum, coordinator, lsg, {}, ahead)
    assert "ahead" in errors["closed_on"]
    forum_services.update_forum(coordinator, lsg, {"meets": "Varje månad"},
                                closed_on=date(2025, 6, 30))
    assert lsg.is_closed and lsg.meets == "Varje månad"
    entry = _last_audit(db)
    assert entry.data["closed_on"] == "2025-06-30" and entry.after["meets"] == "Varje månad"


def test_a_plain_member_and_leadership_do_not_manage_the_forum(db, lsg, make_user, person):
    """Only admins and the chair, coordinator or secretary edit the forum."""
    member = make_user("forum_member", person=person("helena-ronnqvist"))
    leader = db.session.scalar(select(User).where(User.email == "ledning@example.org"))
    for user in (member, leader):
        with pytest.raises(PermissionDenied):
            forum_services.update_forum(user, lsg, {"meets": "Aldrig"})


def test_a_person_sits_at_most_once_per_forum(db, lsg, coordinator):
    """Adding a current member again, an unknown person or role is refused by field."""
    assert "already a member" in _refused(forum_services.add_member, coordinator, lsg,
                                          "helena-ronnqvist", "member")["person"]
    assert "no person" in _refused(forum_services.add_member, coordinator, lsg,
                                   "ingen", "member")["person"]
    assert "listed options" in _refused(forum_services.add_member, coordinator, lsg,
                                        "emma-holmstrom", "boss")["role"]


def test_ending_a_membership_keeps_it_as_former(db, lsg, coordinator):
    """An ended seat is kept, shown as former, and counted nowhere as a member."""
    count_before = next(n for f, n in forums_page("Länssamverkansgruppen", 1)[0] if f == lsg)
    seat = next(m for m in lsg.memberships if m.person.key == "helena-ronnqvist")
    forum_services.end_membership(coordinator, seat, date(2025, 9, 1))
    db.session.expire_all()
    kept = db.session.scalar(select(ForumMembership).where(ForumMembership.id == seat.id))
    assert kept.ended_on == date(2025, 9, 1)
    detail = forum_detail(lsg)
    assert kept in detail["former_members"] and kept not in detail["members"]
    count_after = next(n for f, n in forums_page("Länssamverkansgruppen", 1)[0] if f == lsg)
    assert count_after == count_before - 1
    entry = _last_audit(db)
    assert entry.action == "end_membership" and entry.data["person"] == "helena-ronnqvist"
    assert any(m["person"] == "helena-ronnqvist" for m in entry.before["members"])
    assert all(m["person"] != "helena-ronnqvist" for m in entry.after["members"])
    assert "no longer a member" in _refused(forum_services.change_role, coordinator, kept,
                                            "chair")["person"]


def test_a_former_member_takes_up_the_seat_again(db, lsg, coordinator):
    """Adding a former member reopens their seat with the new role."""
    seat = next(m for m in lsg.memberships if m.person.key == "helena-ronnqvist")
    forum_services.end_membership(coordinator, seat)
    forum_services.add_member(coordinator, lsg, "helena-ronnqvist", "secretary")
    assert (seat.ended_on, seat.role) == (None, "secretary")
    assert db.session.scalar(select(ForumMembership).where(
        ForumMembership.forum_id == lsg.id, ForumMembership.person_id == seat.person_id)) is seat


def test_an_ended_member_loses_the_rights_of_the_seat(db, lsg, coordinator):
    """Once the coordinator's seat ends, they can neither log decisions nor manage LSG."""
    from portal.auth.permissions import can_log_decision, can_manage_forum

    seat = next(m for m in lsg.memberships if m.person_id == coordinator.person_id)
    forum_services.end_membership(coordinator, seat)
    assert not can_log_decision(coordinator, lsg)
    assert not can_manage_forum(coordinator, lsg)


def test_change_role_is_audited(db, lsg, coordinator):
    """A new role is recorded with the forum's members before and after."""
    seat = next(m for m in lsg.memberships if m.person.key == "helena-ronnqvist")
    forum_services.change_role(coordinator, seat, "secretary")
    entry = _last_audit(db)
    seat_after = {"person": "helena-ronnqvist", "role": "secretary", "on_behalf_of": []}
    assert seat_after in entry.after["members"]
    assert {**seat_after, "role": "member"} in entry.before["members"]


def test_closed_forums_are_not_offered_as_new_owners(db, lsg, coordinator):
    """Closed forums stay in the register but are not offered when choosing an owner."""
    from portal.directory.queries import forum_choices

    forum_services.update_forum(coordinator, lsg, {}, closed_on=date(2025, 1, 1))
    assert "lsg" not in dict(forum_choices())
    assert "lsg" in dict(forum_choices(include_closed=True))
    assert db.session.get(Forum, lsg.id) is not None
