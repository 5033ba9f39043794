"""The 2025 commission of the demo, its lead, and clients signed in with every role."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.models import Action, Commission, Milestone, Person, Recommendation, User
from tests.helpers import csrf_token

COMMISSION = "fm2025-uppdragil3"
DEMO_EMAILS = {
    "admin": "admin@example.org",
    "leadership": "ledning@example.org",
    "commission_lead": "uppdrag@example.org",
    "forum_member": "forum@example.org",
}
# Every role a write route must answer, with or without the right to change the commission.
ROLES = ("admin", "leadership", "commission_lead", "other_lead", "forum_member", "viewer",
         "signed_out")
ALLOWED = ("admin", "commission_lead")


def by_key(db, model, key):
    """The entity with this key."""
    return db.session.scalar(select(model).where(model.key == key))


@pytest.fixture
def commission(db, demo) -> Commission:
    """UPPDRAGiL 3.0, led by the demo's commission lead.

    The directive makes no recommendations of its own (its five prerequisites are not
    recommendations), so the tests add one that no action realises: `r25-resurser`.
    """
    commission = by_key(db, Commission, COMMISSION)
    db.session.add(Recommendation(key="r25-resurser", commission=commission,
                                  text="Säkra organisatoriskt stöd och resurser (test)."))
    db.session.commit()
    return commission


@pytest.fixture
def users(db, demo, make_user) -> dict[str, User | None]:
    """One account per role; `other_lead` leads the 2023 commission, not this one.

    The documents name no lead for 2023, so the fixture appoints one (a strategist of the
    ordering unit) for the test only.
    """
    accounts = {role: db.session.scalar(select(User).where(User.email == email))
                for role, email in DEMO_EMAILS.items()}
    other = by_key(db, Commission, "fm2023-genomlysning")
    other.lead = by_key(db, Person, "lena-ohman")
    db.session.commit()
    accounts["other_lead"] = make_user("commission_lead", "other-lead@test.example",
                                       person=db.session.get(Person, other.lead_id))
    accounts["viewer"] = make_user("viewer")
    accounts["signed_out"] = None
    return accounts


@pytest.fixture
def action(db, commission) -> Action:
    """An open action of the commission (planned: no document reports its progress)."""
    return by_key(db, Action, "a25-implementeringsplan")


@pytest.fixture
def milestone(db, commission) -> Milestone:
    """BP2, not reached yet."""
    return by_key(db, Milestone, "fm2025-bp2")


@pytest.fixture
def recommendation(db, commission) -> Recommendation:
    """A recommendation of the commission that no action realises."""
    return by_key(db, Recommendation, "r25-resurser")


@pytest.fixture
def role_account(users):
    """The account each of ROLES signs in as (tests.conftest.as_role); nobody when signed out."""
    return lambda role: users[role]


def in_english(client) -> None:
    """Switch the client's pages to English."""
    client.post("/language",
                data={"lang": "en", "next": "/", "csrf_token": csrf_token(client, "/")})


@pytest.fixture(autouse=True)
def english(app):
    """Service messages in English, the language of the code, outside any request."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield
