"""Small things that cost trust: a record's edit page, the log's count, Enter in the title."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from portal.models import AuditEntry, Decision
from tests.decisions.conftest import in_english

FINAL = "lsg-2024-10-nav"


def _form(**changes) -> dict:
    values = {"date": "2025-11-20", "title": "Gemensam SIP-utbildning", "text": "Text.",
              "intent": "final", "new_actions-0-title": "", "new_actions-0-owner_person": "",
              "new_actions-0-owner_forum": "lsg", "new_actions-0-due": ""}
    return {**values, **changes}


def test_the_edit_page_of_a_final_decision_explains_and_offers_the_correction(
        client, db, as_role):
    """Not "no access": the page says the decision is a record and links to "Correct"."""
    in_english(client, as_role("officer"))
    response = client.get(f"/beslut/{FINAL}/redigera")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    assert "<h1>The decision is a record</h1>" in page
    assert "only corrected by a new version" in page
    assert re.search(rf'<a class="button" href="/beslut/{FINAL}/rattelse">Correct the decision</a>',
                     page)


def test_a_reader_sees_the_explanation_without_the_correction(client, db, as_role):
    """Leadership reads every decision but does not log LSG's: no button, a pointer instead."""
    in_english(client, as_role("leadership"))
    page = client.get(f"/beslut/{FINAL}/redigera").get_data(as_text=True)
    assert "The decision is a record" in page
    assert "/rattelse" not in page and "who log its decisions can correct it" in page


def test_posting_to_the_edit_page_of_a_record_changes_nothing(client, db, as_role):
    """A stale form sent to a final decision is refused with the explanation, not saved."""
    token = as_role("officer")
    in_english(client, token)
    audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
    response = client.post(f"/beslut/{FINAL}/redigera",
                           data={**_form(title="Ändrad"), "csrf_token": token})
    assert response.status_code == 409
    assert "The decision is a record" in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit
    assert db.session.scalar(select(Decision.title).where(Decision.key == FINAL)) != "Ändrad"


def test_an_old_version_points_to_the_latest_for_its_correction(client, db, as_role):
    """Once corrected, the old version's edit page links to the latest version's correction."""
    token = as_role("officer")
    in_english(client, token)
    client.post(f"/beslut/{FINAL}/rattelse",
                data={**_form(title="Rättad"), "reason": "Fel datum", "csrf_token": token})
    page = client.get(f"/beslut/{FINAL}/redigera").get_data(as_text=True)
    assert "already been corrected" in page
    assert f"/beslut/{FINAL}.v2/rattelse" in page


def test_the_decision_log_counts_decisions_not_versions(client, db, as_role, lsg):
    """A corrected decision is one decision with two versions, in the log and the list."""
    token = as_role("officer")
    in_english(client, token)
    before = client.get("/forum/lsg/beslut").get_data(as_text=True)
    count = int(re.search(r"(\d+) decisions?</p>|(\d+) decisions?\s", before).group(1)
                or 0)
    client.post(f"/beslut/{FINAL}/rattelse",
                data={**_form(title="Rättad"), "reason": "Fel datum", "csrf_token": token})
    after = client.get("/forum/lsg/beslut").get_data(as_text=True)
    assert f"{count} decisions" in after or f"{count} decision" in after
    assert f"({count + 1} versions listed, corrections included)" in after
    listing = client.get("/beslut").get_data(as_text=True)
    total = db.session.scalar(
        select(func.count()).select_from(Decision).where(Decision.status == "final"))
    assert f"{total - 1} decisions" in listing
    assert f"({total} versions listed, corrections included)" in listing


@pytest.mark.parametrize("typed", ["", "plan"])
def test_enter_in_the_title_shows_the_form_again_without_searching(client, db, as_role, typed):
    """Without JavaScript, Enter submits with the form's first button: it saves nothing and
    keeps the suggestions that were shown, whatever is typed in the search field."""
    token = as_role("officer")
    in_english(client, token)
    page = client.get("/forum/lsg/beslut/ny").get_data(as_text=True)
    first = re.search(r'<button type="submit" name="intent" value="(\w+)"', page).group(1)
    assert first == "stay"
    decisions = db.session.scalar(select(func.count()).select_from(Decision))
    response = client.post("/forum/lsg/beslut/ny", data={
        **_form(intent="stay", title="Halvskriven titel"), "action_q": typed,
        "action_q_shown": "", "csrf_token": token})
    assert response.status_code == 200
    again = response.get_data(as_text=True)
    assert 'value="Halvskriven titel"' in again
    assert "match “" not in again  # no search ran
    assert db.session.scalar(select(func.count()).select_from(Decision)) == decisions
