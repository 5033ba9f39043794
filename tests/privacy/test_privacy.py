"""GDPR: the privacy notice, the accessibility statement, data export and pseudonymisation."""

from __future__ import annotations

import json
import re

import pytest
from sqlalchemy import func, select

from portal.demo.loader import DEMO_PASSWORD
from portal.models import AuditEntry, Decision, ForumMembership, Person, User, UserSession
from portal.privacy.services import PrivacyError, pseudonymise
from tests.conftest import refusals
from tests.helpers import AuthActions, csrf_token

PUBLIC_PAGES = ("/integritet", "/tillganglighet")

@pytest.mark.parametrize("lang", ["sv", "en"])
@pytest.mark.parametrize("path", PUBLIC_PAGES)
def test_privacy_and_accessibility_pages_are_public(client, path, lang):
    """Signed out, both pages answer in the chosen language, with a title naming the heading."""
    if lang == "en":
        client.post("/language",
                    data={"lang": "en", "next": path, "csrf_token": csrf_token(client, "/login")})
    response = client.get(path)
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert f'<html lang="{lang}">' in page
    h1 = re.search(r"<h1>(.*?)</h1>", page).group(1)
    assert h1 in re.search(r"<title>(.*?)</title>", page, re.S).group(1)
    assert not re.search(r"<script(?![^>]*\bsrc=)|<style|\sstyle=", page)  # the strict CSP


def test_the_pages_say_what_the_law_asks(client):
    """The notice names the legal basis, retention, rights and contact; the statement names
    the WCAG level, known gaps, how to report and Digg as supervisory authority."""
    notice = client.get("/integritet").get_data(as_text=True)
    for text in ("6.1 e", "Hur länge", "rättigheter", "IMY", "dataskyddsombud", "mailto:"):
        assert text in notice
    statement = client.get("/tillganglighet").get_data(as_text=True)
    for text in ("WCAG 2.1", "delvis förenlig", "Innehåll som inte är tillgängligt",
                 "Digg", "2018:1937", "mailto:"):
        assert text in statement


def test_footer_links_to_both_pages(client):
    """Every page, the sign-in page included, links to both in its footer."""
    page = client.get("/login").get_data(as_text=True)
    footer = page[page.index("<footer"):]
    assert 'href="/integritet"' in footer and 'href="/tillganglighet"' in footer


@pytest.fixture
def leaver(db, demo):
    """The demo forum member: a person with an account, seats, and a sign-in behind them."""
    user = db.session.scalar(select(User).where(User.email == "forum@example.org"))
    return user.person, user


def _admin(client):
    auth = AuthActions(client)
    assert auth.login("admin@example.org", DEMO_PASSWORD).status_code == 302
    return auth


def test_admin_downloads_everything_about_a_person(app, db, leaver, client):
    """The export holds the person, seats, commissions, actions, account and audit entries,
    and never a password hash or session token; the export itself is recorded."""
    person, user = leaver
    member = app.test_client()
    AuthActions(member).login(user.email, DEMO_PASSWORD)
    _admin(client)
    response = client.get(f"/personer/{person.key}/data.json")
    assert response.status_code == 200
    assert "attachment" in response.headers["Content-Disposition"]
    data = response.get_json()
    assert data["person"]["name"] == person.name and data["person"]["email"] == person.email
    seats = db.session.scalar(select(func.count()).select_from(ForumMembership)
                              .where(ForumMembership.person_id == person.id))
    assert len(data["forum_memberships"]) == seats > 0
    assert [a["email"] for a in data["user_accounts"]] == [user.email]
    assert data["user_accounts"][0]["sessions"]
    assert "login" in {e["action"] for e in data["audit_entries"]}
    assert any(e["entity_type"] == "person" for e in data["audit_entries"])
    text = json.dumps(data)
    assert "password" not in text and "argon2" not in text and "token" not in text
    assert db.session.scalar(select(AuditEntry).where(
        AuditEntry.action == "export_personal_data", AuditEntry.entity_key == person.key))


@pytest.mark.parametrize("role", ["leadership", "commission_lead", "forum_member", "viewer"])
def test_only_admins_handle_personal_data(db, leaver, client, signed_in, role):
    """Other roles get 403 for the export and the pseudonymisation, and it is recorded."""
    person, _ = leaver
    user = signed_in(role)
    assert client.get(f"/personer/{person.key}/data.json").status_code == 403
    assert client.get(f"/personer/{person.key}/pseudonymisera").status_code == 403
    response = client.post(f"/personer/{person.key}/pseudonymisera",
                           data={"confirm": "y", "csrf_token": AuthActions(client).csrf_token("/")})
    assert response.status_code == 403
    assert db.session.get(Person, person.id).name == person.name
    assert refusals(user.email) == 3


def test_pseudonymisation_needs_confirmation(db, leaver, client):
    """Without the box ticked nothing happens and the form says why."""
    person, _ = leaver
    auth = _admin(client)
    page = client.get(f"/personer/{person.key}/pseudonymisera")
    assert page.status_code == 200 and 'type="checkbox"' in page.get_data(as_text=True)
    response = client.post(f"/personer/{person.key}/pseudonymisera",
                           data={"csrf_token": auth.csrf_token("/")})
    assert response.status_code == 400
    assert 'aria-invalid="true"' in response.get_data(as_text=True) or "field-error" in (
        response.get_data(as_text=True))
    assert db.session.get(Person, person.id).name == person.name


def _all_audit_text(db) -> str:
    """Every before/after/data of the audit trail as one text, as JSON would escape it too."""
    rows = db.session.execute(select(AuditEntry.before, AuditEntry.after, AuditEntry.data,
                                     AuditEntry.entity_key)).all()
    return json.dumps([list(r) for r in rows], ensure_ascii=False)


def test_pseudonymising_a_person_who_leaves(app, db, leaver, client):
    """Name, title, e-mail and key go, everywhere, also in earlier audit entries; the account
    is disabled and detached; seats end but stay as history; decisions stay; the act is
    audited without the old identity."""
    person, user = leaver
    old = {"key": person.key, "name": person.name, "email": person.email}
    member = app.test_client()
    AuthActions(member).login(user.email, DEMO_PASSWORD)
    assert member.get("/").status_code == 200
    seats = db.session.scalar(select(func.count()).select_from(ForumMembership)
                              .where(ForumMembership.person_id == person.id))
    decisions = db.session.scalar(select(func.count()).select_from(Decision))
    assert old["name"] in _all_audit_text(db)
    auth = _admin(client)
    response = client.post(f"/personer/{old['key']}/pseudonymisera",
                           data={"confirm": "y", "csrf_token": auth.csrf_token("/")})
    assert response.status_code == 303
    assert response.headers["Location"] == "/personer/pseudonymiserad-1"
    db.session.expire_all()
    person = db.session.get(Person, person.id)
    assert (person.key, person.name, person.title, person.email) == (
        "pseudonymiserad-1", "Pseudonymiserad person 1", None, None)
    memberships = db.session.scalars(select(ForumMembership)
                                     .where(ForumMembership.person_id == person.id)).all()
    assert len(memberships) == seats and all(m.ended_on for m in memberships)
    assert db.session.scalar(select(func.count()).select_from(Decision)) == decisions
    account = db.session.get(User, user.id)
    assert not account.is_enabled and account.person_id is None
    assert db.session.scalar(select(func.count()).select_from(UserSession).where(
        UserSession.user_id == user.id, UserSession.ended_at.is_(None))) == 0
    assert member.get("/").status_code == 302  # signed out on the server
    trail = _all_audit_text(db)
    for value in old.values():
        assert value not in trail
    act = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "pseudonymise"))
    assert act.actor == "admin@example.org" and act.entity_key == "pseudonymiserad-1"
    assert act.before is None and act.after is None
    page = client.get("/personer/pseudonymiserad-1").get_data(as_text=True)
    assert "Pseudonymiserad person 1" in page and old["name"] not in page


def test_a_person_is_pseudonymised_only_once(db, leaver, client):
    """A second pseudonymisation is refused; the numbers go on for the next person."""
    person, _ = leaver
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    pseudonymise(admin, person)
    with pytest.raises(PrivacyError):
        pseudonymise(admin, person)
    other = db.session.scalar(select(Person).where(Person.id != person.id).limit(1))
    assert pseudonymise(admin, other).name == "Pseudonymiserad person 2"
    _admin(client)
    assert client.get("/personer/pseudonymiserad-1/pseudonymisera").status_code == 409


def test_saved_snapshots_lose_the_name_too(db, leaver):
    """Structure snapshots (working copies of the map) are scrubbed of the person."""
    from portal.map.services import save_snapshot
    from portal.models.snapshot import StructureSnapshot

    person, _ = leaver
    name = person.name
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    snapshot = save_snapshot(admin, "Före", "sv")
    assert name in json.dumps(snapshot.document, ensure_ascii=False)
    pseudonymise(admin, person)
    stored = db.session.get(StructureSnapshot, snapshot.id)
    text = json.dumps([stored.document, stored.findings], ensure_ascii=False)
    assert name not in text and "Pseudonymiserad person 1" in text
