"""Fixtures of the decision log: the demo's LSG, its people and accounts."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import Decision, Forum, Person, User


@pytest.fixture
def lsg(db, demo) -> Forum:
    """The county collaboration group of the demo."""
    return db.session.scalar(select(Forum).where(Forum.key == "lsg"))


@pytest.fixture
def coordinator(db, demo) -> User:
    """forum@example.org: a forum member who is LSG's coordinator."""
    return db.session.scalar(select(User).where(User.email == "forum@example.org"))


@pytest.fixture
def person(db, demo):
    """Look a person up by key."""
    return lambda key: db.session.scalar(select(Person).where(Person.key == key))


@pytest.fixture
def final_decision(db, demo) -> Decision:
    """A final decision of LSG from the demo (imported decisions are final)."""
    return db.session.scalar(select(Decision).where(Decision.key == "lsg-2024-10-nav"))


@pytest.fixture(autouse=True)
def english(app):
    """Messages in English, the language of the code, whatever the catalogues hold."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield


# The roles of the permission matrices, from the point of view of LSG.
ROLES = ("admin", "leadership", "officer", "member", "other_forum", "commission_lead", "viewer",
         "anonymous")
DEMO_ACCOUNTS = {"admin": "admin@example.org", "leadership": "ledning@example.org",
                 "officer": "forum@example.org", "commission_lead": "uppdrag@example.org"}
MADE_ACCOUNTS = {"member": ("forum_member", "helena-ronnqvist"),  # a plain member of LSG
                 "other_forum": ("forum_member", "emma-holmstrom"),  # an officer elsewhere
                 "viewer": ("viewer", None)}


def expected(role: str, allowed: set[str], ok: int) -> int:
    """What a role gets: `ok` when allowed, the sign-in page when signed out, else 403."""
    if role == "anonymous":
        return 302
    return ok if role in allowed else 403


@pytest.fixture
def role_account(db, make_user, person):
    """The account each of ROLES signs in as (tests.conftest.as_role); nobody for "anonymous"."""

    def account(role: str) -> User | None:
        if role in DEMO_ACCOUNTS:
            return db.session.scalar(select(User).where(User.email == DEMO_ACCOUNTS[role]))
        if role in MADE_ACCOUNTS:
            kind, key = MADE_ACCOUNTS[role]
            return make_user(kind, email=f"{role}@test.example",
                             person=person(key) if key else None)
        return None

    return account


def in_english(client, token: str) -> None:
    """Switch the signed-in client to English, so tests can read the messages."""
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": token})
