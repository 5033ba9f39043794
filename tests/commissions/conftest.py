"""The 2025 commission of the demo, its lead, and clients signed in with every role."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.demo.loader import DEMO_PASSWORD
from portal.models import Action, Commission, Milestone, Person, Recommendation, User

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
def as_role(client, auth, users):
    """Sign the client in with a role (or leave it signed out); returns the user."""

    def sign_in(role: str):
        user = users[role]
        if user is None:
            return None
        password = DEMO_PASSWORD if role in DEMO_EMAILS else None
        response = auth.login(user.email, password) if password else auth.login(user.email)
        assert response.status_code == 302
        return user

    return sign_in


def csrf(client, path: str = "/") -> str:
    """The CSRF token of the client's session, read from a page."""
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


def in_english(client) -> None:
    """Switch the client's pages to English."""
    client.post("/language", data={"lang": "en", "next": "/", "csrf_token": csrf(client)})


@pytest.fixture(autouse=True)
def english(app):
    """Service messages in English, the language of the code, outside any request."""
    from flask_babel import force_locale

    with force_locale("en"):
        yield
