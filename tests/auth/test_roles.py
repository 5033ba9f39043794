"""Roles and per-object permissions, and creating accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.permissions import can_administer, can_edit, can_view
from portal.models import Commission, Decision, Forum, Milestone, User


@pytest.fixture
def world(db, demo):
    """The demo's 2025 commission, LSG, and a forum the forum member is not in."""
    lead_user = db.session.scalar(select(User).where(User.email == "uppdrag@example.org"))
    member_user = db.session.scalar(select(User).where(User.email == "forum@example.org"))
    led = db.session.scalar(
        select(Commission).where(Commission.lead_id == lead_user.person_id)
        .order_by(Commission.starts_on.desc()).limit(1)
    )
    assert led.milestones
    other = db.session.scalar(
        select(Commission).where(Commission.lead_id != lead_user.person_id).limit(1)
    )
    mine = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    assert any(m.person_id == member_user.person_id for m in mine.memberships)
    not_mine = next(
        f for f in db.session.scalars(select(Forum))
        if all(m.person_id != member_user.person_id for m in f.memberships)
    )
    return {"lead": lead_user, "member": member_user, "led": led, "other": other,
            "mine": mine, "not_mine": not_mine}


def _user(db, email):
    return db.session.scalar(select(User).where(User.email == email))


def test_commission_lead_edits_only_their_commissions(world):
    """A commission lead may edit their commission and its milestones, not another one."""
    lead = world["lead"]
    assert can_edit(lead, world["led"])
    assert can_edit(lead, world["led"].milestones[0])
    assert not can_edit(lead, world["other"])
    assert not can_edit(lead, world["mine"])


def test_forum_member_logs_decisions_only_for_their_forums(world):
    """A forum member may act for forums they sit in, and for nothing else."""
    member = world["member"]
    assert can_edit(member, world["mine"])
    assert can_edit(member, Decision(forum=world["mine"]))
    assert not can_edit(member, world["not_mine"])
    assert not can_edit(member, Decision(forum=world["not_mine"]))
    assert not can_edit(member, world["led"])


@pytest.mark.parametrize("email", ["ledning@example.org"])
def test_leadership_reads_everything_and_edits_nothing(db, world, email):
    """Leadership may read every object but change none."""
    leader = _user(db, email)
    for obj in (world["led"], world["other"], world["mine"], world["not_mine"],
                world["led"].milestones[0]):
        assert can_view(leader, obj)
        assert not can_edit(leader, obj)
    assert not can_administer(leader)


def test_admin_may_do_everything(db, world):
    """An admin edits any object and administers the portal."""
    admin = _user(db, "admin@example.org")
    for obj in (world["led"], world["other"], world["mine"], world["not_mine"]):
        assert can_edit(admin, obj)
    assert can_administer(admin)


def test_viewer_edits_nothing(db, world, make_user):
    """A viewer reads but never edits."""
    viewer = make_user("viewer")
    assert can_view(viewer, world["mine"])
    assert not can_edit(viewer, world["mine"])
    assert not can_edit(viewer, Milestone(commission=world["led"]))


def test_create_user_command(runner, db):
    """`flask create-user` creates an account that can sign in, with the rules for passwords."""
    result = runner.invoke(args=["create-user", "--email", "Ny@Region.example", "--role",
                                 "leadership"], input="ett-långt-lösenord\nett-långt-lösenord\n")
    assert result.exit_code == 0, result.output
    user = _user(db, "ny@region.example")
    assert user.role == "leadership"
    assert user.password_hash.startswith("$argon2id$")


@pytest.mark.parametrize(("password", "problem"), [("kort", "too_short"),
                                                   ("password1234", "too_common")])
def test_create_user_refuses_weak_passwords(runner, db, password, problem):
    """A short or common password is refused with the reason."""
    result = runner.invoke(args=["create-user", "--email", "a@b.example"],
                           input=f"{password}\n{password}\n")
    assert result.exit_code != 0
    assert problem in result.output
    assert _user(db, "a@b.example") is None
