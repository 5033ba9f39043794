"""The decision log's pages: who may write, CSRF, htmx fragments, and the whole journey."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.decisions.services import DecisionData, log_decision
from portal.models import Action, AuditEntry, Decision, User
from tests.decisions.conftest import ROLES, expected, in_english

LOGGERS = {"admin", "officer", "member"}
FINAL = "lsg-2024-10-nav"


def _form(**changes) -> dict:
    values = {"date": "2025-11-20", "title": "Gemensam SIP-utbildning", "text": "Text.",
              "intent": "final", "new_actions-0-title": "", "new_actions-0-owner_person": "",
              "new_actions-0-owner_forum": "lsg", "new_actions-0-due": ""}
    return {**values, **changes}


@pytest.fixture
def draft(db, lsg) -> Decision:
    """A draft of LSG, written by the admin."""
    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    return log_decision(admin, lsg, DecisionData(title="Utkast", date=lsg_date()), final=False)


def lsg_date():
    from datetime import date

    return date(2025, 10, 1)


WRITE_ROUTES = {
    "log": ("/forum/lsg/beslut/ny", _form()),
    "edit draft": ("/beslut/{draft}/redigera", _form(intent="draft")),
    "make final": ("/beslut/{draft}/redigera", _form(intent="final")),
    "discard draft": ("/beslut/{draft}/ta-bort", {}),
    "correct": (f"/beslut/{FINAL}/rattelse", _form(reason="Fel i protokollet")),
}
FORM_PAGES = ["/forum/lsg/beslut/ny", "/beslut/{draft}/redigera", f"/beslut/{FINAL}/rattelse"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(WRITE_ROUTES))
def test_write_routes_by_role(client, db, draft, as_role, route, role):
    """Admins and LSG's members (officers or not) write; everyone else is refused."""
    token = as_role(role)
    url, data = WRITE_ROUTES[route]
    response = client.post(url.format(draft=draft.key), data={**data, "csrf_token": token})
    assert response.status_code == expected(role, LOGGERS, 303), response.get_data(as_text=True)
    if role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", FORM_PAGES)
def test_form_pages_by_role(client, db, draft, as_role, url, role):
    """The forms open for those who may use them, and change nothing."""
    as_role(role)
    audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = client.get(url.format(draft=draft.key))
    assert response.status_code == expected(role, LOGGERS, 200)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit


@pytest.mark.parametrize("route", list(WRITE_ROUTES))
def test_posts_without_csrf_are_refused(client, db, draft, as_role, route):
    """Every write needs the CSRF token, even for an admin."""
    as_role("admin")
    url, data = WRITE_ROUTES[route]
    decisions = db.session.scalar(select(func.count()).select_from(Decision))
    assert client.post(url.format(draft=draft.key), data=data).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Decision)) == decisions


def test_discard_is_post_only(client, draft, as_role):
    """A GET never discards a draft."""
    as_role("admin")
    assert client.get(f"/beslut/{draft.key}/ta-bort").status_code == 405


def test_a_commission_lead_who_sits_in_a_forum_logs_its_decisions(client, db, as_role):
    """The commission lead coordinates LSO Södra Lappland, so they log its decisions."""
    token = as_role("commission_lead")
    response = client.post("/forum/lsam-sodra-lappland/beslut/ny",
                           data={**_form(), "new_actions-0-owner_forum": "",
                                 "csrf_token": token})
    assert response.status_code == 303


def test_log_a_decision_with_a_new_action_end_to_end(client, db, as_role):
    """The member logs a decision that creates an action; forum and decision pages show both."""
    token = as_role("member")
    response = client.post("/forum/lsg/beslut/ny", data={
        **_form(title="LSG inför gemensam SIP-mall"), "actions": "a-lifecare-utskrivning",
        "new_actions-0-title": "Ta fram en gemensam SIP-mall",
        "new_actions-0-owner_person": "jenny-sandberg", "new_actions-0-due": "2026-03-31",
        "new_actions-0-areas": ["kommun-region", "personcentrering"], "csrf_token": token})
    assert response.status_code == 303
    decision = db.session.scalar(select(Decision).where(Decision.title == "LSG inför gemensam "
                                                                           "SIP-mall"))
    assert response.headers["Location"].endswith(f"/beslut/{decision.key}")
    action = db.session.scalar(select(Action).where(Action.title == "Ta fram en gemensam SIP-mall"))
    assert action.owner_forum.key == "lsg" and action.owner_person.key == "jenny-sandberg"
    assert sorted(a.key for a in action.areas) == ["kommun-region", "personcentrering"]
    page = client.get(f"/beslut/{decision.key}").get_data(as_text=True)
    assert "Ta fram en gemensam SIP-mall" in page and "a-lifecare-utskrivning" in page
    forum_page = client.get("/forum/lsg").get_data(as_text=True)
    assert f"/beslut/{decision.key}" in forum_page and f"/atgarder/{action.key}" in forum_page


def test_errors_are_shown_next_to_the_fields(client, db, as_role):
    """A missing title and an action without owner are marked at their fields."""
    token = as_role("officer")
    in_english(client, token)
    response = client.post("/forum/lsg/beslut/ny", data={
        **_form(title=""), "new_actions-0-title": "Utan ägare", "new_actions-0-owner_forum": "",
        "csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert re.search(r'id="title"[^>]*aria-invalid="true"|aria-invalid="true"[^>]*id="title"',
                     page)
    assert 'id="title-error"' in page
    assert 'aria-describedby="new_actions-0-owner_person-error"' in page
    assert "Choose who owns the action" in page
    assert 'value="Utan ägare"' in page  # what was typed is kept


def test_add_another_action_row_and_find_actions_without_javascript(client, db, as_role):
    """The form's own buttons add a row and search actions, keeping what was typed."""
    token = as_role("officer")
    more = client.post("/forum/lsg/beslut/ny", data={**_form(intent="more"),
                                                      "csrf_token": token})
    assert more.status_code == 200
    assert 'name="new_actions-1-title"' in more.get_data(as_text=True)
    found = client.post("/forum/lsg/beslut/ny", data={
        **_form(intent="find", title="Behåll mig"), "action_q": "kartlägg",
        "actions": "a24-nav-definition", "csrf_token": token})
    page = found.get_data(as_text=True)
    assert 'value="a24-kartlaggning"' in page
    assert re.search(r'value="a24-nav-definition"[^>]*checked', page)
    assert 'value="Behåll mig"' in page
    assert db.session.scalar(select(Decision).where(Decision.title == "Behåll mig")) is None


def test_htmx_gets_fragments(client, db, draft, as_role):
    """The log, the form and the action search answer htmx with fragments only."""
    as_role("officer")
    headers = {"HX-Request": "true"}
    for url in ("/forum/lsg/beslut", "/forum/lsg/beslut/ny",
                "/forum/lsg/beslut/atgarder?action_q=nav&actions=a25-gemensam-plan"):
        response = client.get(url, headers=headers)
        page = response.get_data(as_text=True)
        assert response.status_code == 200, url
        assert "<html" not in page and "<h1" not in page, url
        assert "HX-Request" in response.headers.get("Vary", ""), url
    search = client.get("/forum/lsg/beslut/atgarder?action_q=nav&actions=a25-gemensam-plan",
                        headers=headers).get_data(as_text=True)
    assert re.search(r'value="a25-gemensam-plan"[^>]*checked', search)
    assert 'value="a24-nav-definition"' in search


def test_forum_page_offers_register_decision_only_to_those_allowed(client, db, auth, as_role):
    """The button is there for a member of LSG, not for leadership."""
    as_role("member")
    assert "/forum/lsg/beslut/ny" in client.get("/forum/lsg").get_data(as_text=True)
    auth.logout()
    as_role("leadership")
    page = client.get("/forum/lsg").get_data(as_text=True)
    assert "/forum/lsg/beslut/ny" not in page and "/forum/lsg/beslut" in page


def test_corrected_decision_shows_superseded_and_history(client, db, as_role):
    """After a correction, the old version says it is superseded and both list the history."""
    token = as_role("officer")
    in_english(client, token)
    client.post(f"/beslut/{FINAL}/rattelse",
                data={**_form(title="Rättad"), "reason": "Fel datum", "csrf_token": token})
    old = client.get(f"/beslut/{FINAL}").get_data(as_text=True)
    assert "Superseded." in old and f"/beslut/{FINAL}.v2" in old
    assert f"/beslut/{FINAL}/rattelse" not in old  # only the latest version is corrected
    new = client.get(f"/beslut/{FINAL}.v2").get_data(as_text=True)
    assert "Correction of version 1" in new and "Fel datum" in new
    assert "History of the decision" in new
    log = client.get("/forum/lsg/beslut").get_data(as_text=True)
    assert "Superseded by version 2" in log


def test_drafts_are_not_decisions_yet(client, db, draft, as_role):
    """A draft is not in the list of decisions, but its forum's members see it in the log."""
    as_role("member")
    assert draft.title not in client.get("/beslut").get_data(as_text=True)
    assert f"/beslut/{draft.key}" in client.get("/forum/lsg/beslut").get_data(as_text=True)


@pytest.mark.parametrize("url", ["/beslut", "/personer", "/organisationer", "/forum",
                                 "/forum/lsg/beslut"])
def test_an_absurd_page_number_is_no_server_error(client, db, as_role, url):
    """?page=922337203685477580 used to overflow the database's OFFSET (500)."""
    as_role("leadership")
    response = client.get(f"{url}?page=922337203685477580")
    assert response.status_code == 200


@pytest.mark.parametrize("url", ["/beslut", "/forum/lsg/beslut"])
def test_a_page_past_the_end_shows_the_last_page(client, db, as_role, url):
    """The decision lists show their last page (with its decisions) for a page past it."""
    as_role("leadership")
    page = client.get(f"{url}?page=99").get_data(as_text=True)
    assert "lsg-2024-10-nav" in page


DRAFT_READERS = {"admin", "officer", "member"}


@pytest.mark.parametrize("role", ROLES)
def test_drafts_are_read_only_by_the_forums_members_and_admins(client, db, draft, as_role,
                                                               role):
    """A draft is working material: others get 404 for it and do not see it in the log."""
    as_role(role)
    response = client.get(f"/beslut/{draft.key}")
    log = client.get("/forum/lsg/beslut").get_data(as_text=True)
    if role == "anonymous":
        assert response.status_code == 302
    elif role in DRAFT_READERS:
        assert response.status_code == 200
        assert f"/beslut/{draft.key}" in log
    else:
        assert response.status_code == 404
        assert f"/beslut/{draft.key}" not in log and draft.title not in log
