"""The register's write pages: who may use them, CSRF, htmx fragments and kept history."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.models import AuditEntry, Forum, ForumMembership, Organisation
from tests.decisions.conftest import ROLES, expected, in_english

ADMINS = {"admin"}
MANAGERS = {"admin", "officer"}  # LSG's coordinator manages LSG; a plain member does not

LSG_FORM = {"name": "Länssamverkansgruppen (LSG)", "kind": "collaboration", "level": "county",
            "apex": "y", "reports_to": "", "areas": ["kontinuitet", "kommun-region"],
            "mandate": "Samverkan mellan region och kommuner.", "meets": "Sex gånger per år",
            "closed_on": ""}
WRITE_ROUTES = {
    "new organisation": ("/organisationer/ny", {"name": "Ny enhet", "kind": "region_unit"},
                         ADMINS),
    "edit organisation": ("/organisationer/umea/redigera",
                          {"name": "Umeå kommun", "kind": "municipality", "principal": "y"},
                          ADMINS),
    "new person": ("/personer/ny", {"name": "Ny Person", "organisation": "umea"}, ADMINS),
    "edit person": ("/personer/helena-ronnqvist/redigera",
                    {"name": "Helena Rönnqvist", "organisation": "umea"}, ADMINS),
    "new area": ("/fokusomraden/ny", {"name": "Digital vård"}, ADMINS),
    "edit area": ("/fokusomraden/kommun-region/redigera", {"name": "Samverkan"}, ADMINS),
    "new forum": ("/forum/ny", {"name": "Ny grupp", "kind": "working_group",
                                "level": "local"}, ADMINS),
    "edit forum": ("/forum/lsg/redigera", LSG_FORM, MANAGERS),
    "add member": ("/forum/lsg/medlemmar", {"person": "emma-holmstrom", "role": "member"},
                   MANAGERS),
    "change role": ("/forum/lsg/medlemmar/helena-ronnqvist/roll", {"role": "secretary"},
                    MANAGERS),
    "end membership": ("/forum/lsg/medlemmar/ronja-holmberg/avsluta", {"ended_on": ""},
                       MANAGERS),
}
FORM_PAGES = {
    "/organisationer/ny": ADMINS, "/organisationer/umea/redigera": ADMINS,
    "/personer/ny": ADMINS, "/personer/helena-ronnqvist/redigera": ADMINS,
    "/fokusomraden/ny": ADMINS, "/fokusomraden/kommun-region/redigera": ADMINS,
    "/forum/ny": ADMINS, "/forum/lsg/redigera": MANAGERS, "/forum/lsg/medlemmar": MANAGERS,
}


def _count(db, model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(WRITE_ROUTES))
def test_write_routes_by_role(client, db, as_role, based_on, route, role):
    """Admins keep the register; a forum's officers keep their forum; others are refused."""
    token = as_role(role)
    url, data, allowed = WRITE_ROUTES[route]
    if url.endswith("/redigera"):
        data = {**data, **based_on(client, url)}
    audit = _count(db, AuditEntry)
    response = client.post(url, data={**data, "csrf_token": token})
    assert response.status_code == expected(role, allowed, 303), response.get_data(as_text=True)
    if response.status_code == 303:
        assert _count(db, AuditEntry) > audit
    elif role == "anonymous":
        assert "/login" in response.headers["Location"]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("url", list(FORM_PAGES))
def test_form_pages_by_role(client, db, as_role, url, role):
    """The forms open for those who may use them, and a GET changes nothing."""
    as_role(role)
    audit = _count(db, AuditEntry)
    response = client.get(url)
    assert response.status_code == expected(role, FORM_PAGES[url], 200)
    assert _count(db, AuditEntry) == audit


@pytest.mark.parametrize("route", list(WRITE_ROUTES))
def test_posts_without_csrf_are_refused(client, db, as_role, route):
    """Every write needs the CSRF token, even for an admin."""
    as_role("admin")
    url, data, _ = WRITE_ROUTES[route]
    audit = _count(db, AuditEntry)
    assert client.post(url, data=data).status_code == 400
    assert _count(db, AuditEntry) == audit


def test_a_refused_entry_shows_errors_next_to_the_fields(client, db, as_role):
    """An unknown reporting line and an empty name are marked at their fields."""
    token = as_role("admin")
    in_english(client, token)
    response = client.post("/organisationer/umea/redigera",
                           data={"name": "", "kind": "municipality", "csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'aria-invalid="true"' in page and 'id="name-error"' in page
    unit = db.session.scalar(select(Organisation).where(Organisation.parent_id.is_not(None)))
    response = client.post(f"/organisationer/{unit.parent.key}/redigera", data={
        "name": unit.parent.name, "kind": unit.parent.kind, "parent": unit.key,
        "csrf_token": token})
    assert response.status_code == 422
    assert "cannot be part of itself" in response.get_data(as_text=True)


def test_ending_a_membership_shows_a_former_member(client, db, as_role):
    """The ended member moves to "former members" on the forum page and is not counted."""
    token = as_role("officer")
    in_english(client, token)
    before = client.get("/forum/lsg").get_data(as_text=True)
    client.post("/forum/lsg/medlemmar/ronja-holmberg/avsluta",
                data={"ended_on": "2025-09-30", "csrf_token": token})
    page = client.get("/forum/lsg").get_data(as_text=True)
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    current = sum(1 for m in lsg.memberships if m.ended_on is None)
    assert f"Members ({current})" in page and f"Members ({current + 1})" in before
    former = page[page.index('id="former-members"'):]
    assert "/personer/ronja-holmberg" in former and "30 Sep 2025" in former
    assert db.session.scalar(select(ForumMembership).join(ForumMembership.person).where(
        ForumMembership.forum_id == lsg.id, ForumMembership.ended_on.is_not(None))) is not None


def test_closed_forum_is_marked(client, db, as_role, based_on):
    """Closing LSG marks it closed on its page and in the list."""
    token = as_role("admin")
    in_english(client, token)
    response = client.post("/forum/lsg/redigera",
                           data={**LSG_FORM, "closed_on": "2025-06-30", "csrf_token": token,
                                 **based_on(client, "/forum/lsg/redigera")})
    assert response.status_code == 303
    assert "The forum was closed on 30 Jun 2025" in client.get("/forum/lsg").get_data(
        as_text=True)
    assert "Closed" in client.get("/forum?q=LSG").get_data(as_text=True)


def test_htmx_member_changes_get_the_panel(client, db, as_role):
    """With htmx, a change of seats answers with the members panel, errors included."""
    token = as_role("officer")
    headers = {"HX-Request": "true"}
    response = client.post("/forum/lsg/medlemmar", headers=headers,
                           data={"person": "emma-holmstrom", "role": "member",
                                 "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and page.lstrip().startswith('<div id="members-panel"')
    assert "<html" not in page and "/personer/emma-holmstrom" in page
    again = client.post("/forum/lsg/medlemmar", headers=headers,
                        data={"person": "emma-holmstrom", "role": "member",
                              "csrf_token": token})
    assert again.status_code == 422 and 'aria-invalid="true"' in again.get_data(as_text=True)
    assert client.get("/forum/lsg/medlemmar", headers=headers).get_data(
        as_text=True).lstrip().startswith('<div id="members-panel"')


def test_htmx_gets_the_form_fragment(client, db, as_role):
    """An htmx request for a form gets the form alone."""
    as_role("admin")
    page = client.get("/organisationer/ny", headers={"HX-Request": "true"}).get_data(
        as_text=True)
    assert page.lstrip().startswith("<form") and "<h1" not in page


MY_PAGES = [
    "/forum/lsg", "/forum/lsg/beslut", "/forum/lsg/beslut/ny", "/beslut/lsg-2024-10-nav",
    "/beslut/lsg-2024-10-nav/rattelse", "/forum/lsg/redigera", "/forum/lsg/medlemmar",
    "/forum/ny", "/organisationer/ny", "/organisationer/umea/redigera", "/personer/ny",
    "/personer/helena-ronnqvist/redigera", "/fokusomraden/ny",
    "/fokusomraden/kommun-region/redigera", "/indikatorer/fast-lakarkontakt-andel",
    "/indikatorer/fast-lakarkontakt-andel/varden", "/sok", "/sok?q=LSG",
]


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_has_a_title_and_a_heading(client, db, as_role, lang):
    """Each page answers 200 with a <title> that contains its <h1>, in both languages."""
    from tests.pages.test_pages import _title_and_h1

    token = as_role("admin")
    if lang == "en":
        in_english(client, token)
    for url in MY_PAGES:
        response = client.get(url)
        assert response.status_code == 200, url
        title, h1 = _title_and_h1(response.get_data(as_text=True))
        assert h1 and h1 in title, (url, title, h1)
