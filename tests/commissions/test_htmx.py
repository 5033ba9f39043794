"""htmx asks for fragments: the same URLs answer with just the part of the page that changed."""

from __future__ import annotations

import re

import pytest

from portal.commissions import services
from tests.commissions.conftest import COMMISSION, in_english
from tests.helpers import csrf_token

HX = {"HX-Request": "true"}
PROGRESS = "action-a25-implementeringsplan-progress"


@pytest.fixture
def lead_client(client, as_role):
    """The commission lead, signed in, reading English."""
    as_role("commission_lead")
    in_english(client)
    return client


def _is_fragment(page: str) -> bool:
    return "<html" not in page and "<title>" not in page


def test_marking_a_milestone_returns_the_timeline(lead_client, milestone):
    """An htmx POST gets the timeline back, with the glance and the live message out of band."""
    token = csrf_token(lead_client, "/")
    prefix = f"ms-{milestone.key}-"
    response = lead_client.post(f"/milstolpar/{milestone.key}", headers=HX, data={
        f"{prefix}csrf_token": token, f"{prefix}version": milestone.version,
        f"{prefix}done_on": "2025-10-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _is_fragment(page)
    assert page.lstrip().startswith('<section id="timeline-section"')
    glance = re.search(r'<section id="summary"[^>]*>', page)[0]
    assert 'hx-swap-oob="true"' in glance
    assert "BP2 is marked as reached." in page
    assert "reached 1 Oct 2025" in page
    assert "HX-Request" in response.headers["Vary"]


def test_the_same_post_without_htmx_redirects(lead_client, milestone):
    """Without JavaScript the form posts and is redirected (303) to the commission page."""
    token = csrf_token(lead_client, "/")
    prefix = f"ms-{milestone.key}-"
    response = lead_client.post(f"/milstolpar/{milestone.key}", data={
        f"{prefix}csrf_token": token, f"{prefix}version": milestone.version,
        f"{prefix}done_on": "2025-10-01"})
    assert response.status_code == 303
    assert response.headers["Location"].endswith(f"/uppdrag/{COMMISSION}#milestone-{milestone.key}")
    page = lead_client.get(f"/uppdrag/{COMMISSION}").get_data(as_text=True)
    assert "BP2 is marked as reached." in page


def _action_form(action, token, **changes):
    prefix = f"action-{action.key}-"
    fields = {"title": action.title, "status": action.status, "progress": action.progress,
              "due_on": action.due_on.isoformat(), "owner_person": "anna-lundmark",
              "owner_forum": "", "recommendation": "r24-samverkansstruktur",
              "areas": ["kontinuitet"], "version": action.version, "csrf_token": token,
              **changes}
    return {prefix + k: v for k, v in fields.items()}


def test_editing_an_action_in_place(lead_client, action):
    """The edit form replaces the row; saving puts the updated row back with the roll-ups."""
    form = lead_client.get(f"/atgarder/{action.key}/redigera", headers=HX)
    page = form.get_data(as_text=True)
    assert _is_fragment(page)
    assert page.lstrip().startswith(f'<tr id="action-{action.key}" class="edit-row">')
    token = csrf_token(lead_client, "/")
    response = lead_client.post(f"/atgarder/{action.key}/redigera", headers=HX,
                                data=_action_form(action, token, status="done"))
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _is_fragment(page)
    assert page.lstrip().startswith(f'<tr id="action-{action.key}">')
    assert "Done" in page and "100 %" in page and "Saved" in page
    assert '<section id="recommendations"' in page and 'hx-swap-oob="true"' in page


def test_an_invalid_htmx_edit_returns_the_form_with_errors(lead_client, action):
    """422: the edit row again, the error next to the field and the field marked invalid."""
    token = csrf_token(lead_client, "/")
    response = lead_client.post(f"/atgarder/{action.key}/redigera", headers=HX,
                                data=_action_form(action, token, progress="150"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and _is_fragment(page)
    field = re.search(rf'<input[^>]*id="{PROGRESS}"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in field
    described = re.search(r'aria-describedby="([^"]+)"', field)[1].split()
    assert described == [f"{PROGRESS}-hint", f"{PROGRESS}-error"]
    assert f'id="{PROGRESS}-error"' in page


def test_a_stale_htmx_edit_shows_the_conflict(lead_client, action, users):
    """409: the row shows what someone else saved, and the form holds the current values."""
    token = csrf_token(lead_client, "/")
    stale = _action_form(action, token, progress="90")
    services.update_action(users["admin"], action, action.version, progress=70)
    response = lead_client.post(f"/atgarder/{action.key}/redigera", headers=HX, data=stale)
    page = response.get_data(as_text=True)
    assert response.status_code == 409 and _is_fragment(page)
    assert "Someone else saved a change while you were editing" in page
    assert '<th scope="row">Progress</th><td>70 %</td><td>90 %</td>' in page
    assert f'name="action-{action.key}-version" type="hidden" value="{action.version}"' in page
    assert 'value="70"' in page


def test_filtering_returns_only_the_table(lead_client):
    """Filtering and sorting with htmx swap the table fragment, which the full page includes."""
    url = f"/uppdrag/{COMMISSION}?status=planned"
    fragment = lead_client.get(url, headers=HX).get_data(as_text=True)
    full = lead_client.get(url).get_data(as_text=True)
    assert fragment.lstrip().startswith('<div id="action-table">') and _is_fragment(fragment)
    assert fragment.strip() in full
    assert "Showing 1 of 3 actions." in fragment


def test_a_status_report_returns_its_section(lead_client):
    """Adding a report with htmx answers with the status section and the updated glance."""
    token = csrf_token(lead_client, "/")
    response = lead_client.post(f"/uppdrag/{COMMISSION}/statusrapporter", headers=HX, data={
        "csrf_token": token, "reported_on": "2025-10-02", "light": "off_track",
        "comment": "BP2 missades."})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _is_fragment(page)
    assert page.lstrip().startswith('<section id="status"')
    assert "Off track" in page and "BP2 missades." in page
    assert 'hx-swap-oob="true"' in page


def test_a_risk_returns_the_register(lead_client):
    """Adding a risk with htmx answers with the register, no longer empty."""
    token = csrf_token(lead_client, "/")
    response = lead_client.post(f"/uppdrag/{COMMISSION}/risker", headers=HX, data={
        "risk-new-csrf_token": token, "risk-new-title": "Resurser saknas",
        "risk-new-likelihood": "4", "risk-new-consequence": "3", "risk-new-status": "open"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200 and _is_fragment(page)
    assert page.lstrip().startswith('<section id="risks"')
    assert "Resurser saknas" in page and "12 – High" in page
    assert "No risks are recorded" not in page.split("</section>")[0]
