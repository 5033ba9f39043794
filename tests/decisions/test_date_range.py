"""One date range for every date: a decision and the actions it gives, 1900-01-01..2199-12-31."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.decisions.services import DecisionData, NewAction, log_decision
from portal.entries import EntryError
from portal.models import Action, Decision
from tests.decisions.conftest import in_english

RANGE = "Give a date from 1900-01-01 to 2199-12-31."
SWEDISH = "Ange ett datum från 1900-01-01 till 2199-12-31."


def _counts(db) -> tuple[int, int]:
    return (db.session.scalar(select(func.count()).select_from(Decision)),
            db.session.scalar(select(func.count()).select_from(Action)))


def _form(token: str, **changes) -> dict:
    return {"date": "2025-11-20", "title": "Gemensam SIP-utbildning", "text": "Text.",
            "intent": "final", "new_actions-0-title": "Ta fram en SIP-mall",
            "new_actions-0-owner_person": "", "new_actions-0-owner_forum": "lsg",
            "new_actions-0-due": "2026-03-31", "csrf_token": token, **changes}


def test_a_decision_giving_an_action_due_9999_is_refused_at_the_action(client, db, as_role):
    """The issue's case: a forum member's decision with an action due 9999-12-31 saves nothing."""
    token = as_role("member")
    in_english(client, token)
    before = _counts(db)
    response = client.post("/forum/lsg/beslut/ny", data=_form(token, **{
        "new_actions-0-due": "9999-12-31"}))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="new_actions-0-due-error"' in page and RANGE in page
    assert _counts(db) == before


def test_a_decision_dated_before_1900_is_refused_in_swedish(client, db, as_role):
    token = as_role("member")
    before = _counts(db)
    response = client.post("/forum/lsg/beslut/ny", data=_form(token, date="1899-12-31"))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="date-error"' in page and SWEDISH in page
    assert _counts(db) == before


def test_the_service_refuses_a_new_action_outside_the_range(db, lsg, coordinator):
    """What reaches the service without the form meets the same range."""
    data = DecisionData(title="Beslut", date=date(2025, 11, 20), actions=[], new_actions=[
        NewAction(title="Långt fram", owner_forum="lsg", due=date(2200, 1, 1))])
    with pytest.raises(EntryError) as caught:
        log_decision(coordinator, lsg, data, final=True)
    assert RANGE in caught.value.errors.values()
