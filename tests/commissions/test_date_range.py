"""One date range for every date: commission dates outside 1900-01-01..2199-12-31 are refused."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.commissions import followup, services
from portal.entries import EntryError
from portal.models import Action, StatusReport
from tests.commissions.conftest import COMMISSION, in_english
from tests.helpers import csrf_token

HX = {"HX-Request": "true"}
RANGE = "Give a date from 1900-01-01 to 2199-12-31."


@pytest.fixture
def lead_client(client, as_role):
    """The commission lead, signed in, reading English."""
    as_role("commission_lead")
    in_english(client)
    return client


def _action_form(action, token, prefix=None, **changes):
    prefix = f"action-{action.key}-" if prefix is None else prefix
    fields = {"title": action.title, "status": action.status, "progress": action.progress,
              "due_on": action.due_on.isoformat(), "owner_person": "anna-lundmark",
              "owner_forum": "", "recommendation": "r25-resurser", "areas": ["kontinuitet"],
              "version": action.version, "csrf_token": token, **changes}
    return {prefix + k: v for k, v in fields.items()}


@pytest.mark.parametrize("day", ["9999-12-31", "2200-01-01", "1899-12-31"])
def test_an_action_edited_in_place_with_a_date_outside_is_refused(lead_client, db, action, day):
    """The htmx edit row comes back (422) with the range next to the due date; nothing saved."""
    due, version = action.due_on, action.version
    response = lead_client.post(f"/atgarder/{action.key}/redigera", headers=HX,
                                data=_action_form(action, csrf_token(lead_client, "/"), due_on=day))
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert f'id="action-{action.key}-due_on-error"' in page and RANGE in page
    db.session.expire_all()
    assert (action.due_on, action.version) == (due, version)


def test_the_edges_of_the_range_are_accepted(lead_client, db, action):
    """1900-01-01 and 2199-12-31 are inside."""
    for day in (date(2199, 12, 31), date(1900, 1, 1)):
        db.session.expire_all()
        response = lead_client.post(f"/atgarder/{action.key}/redigera",
                                    data=_action_form(action, csrf_token(lead_client, "/"),
                                                      due_on=day.isoformat()))
        assert response.status_code == 303
        db.session.expire_all()
        assert action.due_on == day


def test_a_new_action_due_after_the_range_is_not_created(lead_client, db, commission):
    before = db.session.scalar(select(func.count()).select_from(Action))
    data = {"csrf_token": csrf_token(lead_client, "/"), "title": "Långt fram", "status": "planned",
            "progress": "0", "due_on": "9999-12-31", "owner_person": "anna-lundmark",
            "owner_forum": "", "recommendation": "", "areas": []}
    response = lead_client.post(f"/uppdrag/{COMMISSION}/atgarder/ny", data=data)
    assert response.status_code == 422 and RANGE in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(Action)) == before


def test_a_milestone_reached_before_1900_is_refused(lead_client, db, milestone):
    prefix = f"ms-{milestone.key}-"
    response = lead_client.post(f"/milstolpar/{milestone.key}", headers=HX, data={
        f"{prefix}csrf_token": csrf_token(lead_client, "/"), f"{prefix}version": milestone.version,
        f"{prefix}done_on": "1899-12-31"})
    assert response.status_code == 422 and RANGE in response.get_data(as_text=True)
    db.session.expire_all()
    assert milestone.done_on is None


def test_a_status_report_before_1900_is_refused(lead_client, db, commission):
    response = lead_client.post(f"/uppdrag/{COMMISSION}/statusrapporter", data={
        "csrf_token": csrf_token(lead_client, "/"), "reported_on": "1899-12-31", "light": "at_risk",
        "comment": "Gammalt."})
    assert response.status_code == 422 and RANGE in response.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(StatusReport)) == 0


def test_the_services_refuse_what_a_form_never_checked(db, users, commission, action, milestone):
    """Dates that reach the services without a form (htmx, JSON, scripts) meet the same range."""
    lead = users["commission_lead"]
    with pytest.raises(EntryError) as caught:
        services.update_action(lead, action, action.version, due_on=date(9999, 12, 31))
    assert str(caught.value.errors["due_on"]) == RANGE
    with pytest.raises(EntryError) as caught:
        services.set_milestone_reached(lead, milestone, milestone.version, date(1, 1, 1))
    assert str(caught.value.errors["done_on"]) == RANGE
    with pytest.raises(EntryError) as caught:
        followup.add_status_report(lead, commission, reported_on=date(1899, 12, 31),
                                   light="on_track", comment="")
    assert str(caught.value.errors["reported_on"]) == RANGE
