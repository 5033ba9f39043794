"""Indicator values kept up to date by admins, with the import's rules and the audit trail."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from portal.auth.permissions import PermissionDenied
from portal.entries import EntryError
from portal.indicators import services
from portal.models import AuditEntry, Indicator, User
from tests.decisions.conftest import ROLES, expected, in_english

KEY = "fast-lakarkontakt-andel"


@pytest.fixture
def indicator(db, demo) -> Indicator:
    """Share of residents with a named GP: 10 % in Jan 2024, 20 % in Apr 2026, target 20 %."""
    return db.session.scalar(select(Indicator).where(Indicator.key == KEY))


@pytest.fixture
def admin(db, demo) -> User:
    """The demo's admin."""
    return db.session.scalar(select(User).where(User.email == "admin@example.org"))


def test_add_change_and_remove_values_with_the_audit_trail(db, admin, indicator):
    """Each change stores the indicator before and after."""
    services.add_value(admin, indicator, date(2025, 6, 30), 15.5)
    row = next(v for v in indicator.values if v.measured_on == date(2025, 6, 30))
    services.change_value(admin, row, 16.0)
    services.remove_value(admin, row)
    entries = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_key == KEY).order_by(AuditEntry.id)).all()
    assert [e.action for e in entries[-3:]] == ["add_value", "change_value", "remove_value"]
    region = {"date": "2025-06-30", "organisation": None}
    assert {**region, "value": 15.5} in entries[-3].after["values"]
    assert {**region, "value": 16.0} in entries[-1].before["values"]
    assert [v.measured_on for v in indicator.values] == [date(2024, 1, 31), date(2026, 4, 30)]


def test_one_value_per_date(db, admin, indicator):
    """A second value on a measured date is refused, naming the date field."""
    with pytest.raises(EntryError) as info:
        services.add_value(admin, indicator, date(2024, 1, 31), 11)
    assert "already a value" in info.value.errors["date"]


def test_a_value_must_be_a_number_and_a_date_is_required(db, admin, indicator):
    """A missing date or value is refused by field."""
    with pytest.raises(EntryError) as info:
        services.add_value(admin, indicator, None, None)
    assert set(info.value.errors) == {"date", "value"}


def test_only_admins_enter_values(db, indicator):
    """Leadership and forum members read values but do not enter them."""
    for email in ("ledning@example.org", "forum@example.org"):
        user = db.session.scalar(select(User).where(User.email == email))
        with pytest.raises(PermissionDenied):
            services.add_value(user, indicator, date(2025, 1, 1), 1)


ROUTES = {
    "add": (f"/indikatorer/{KEY}/varden", {"date": "2025-06-30", "value": "15,5"}),
    "change": (f"/indikatorer/{KEY}/varden/2024-01-31", {"value": "10,5"}),
    "remove": (f"/indikatorer/{KEY}/varden/2024-01-31/ta-bort", {}),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("route", list(ROUTES))
def test_value_routes_by_role(client, db, as_role, indicator, route, role):
    """Only admins change values; the values page opens only for them."""
    token = as_role(role)
    url, data = ROUTES[route]
    response = client.post(url, data={**data, "csrf_token": token})
    assert response.status_code == expected(role, {"admin"}, 303)
    assert client.get(f"/indikatorer/{KEY}/varden").status_code == expected(
        role, {"admin"}, 200)


@pytest.mark.parametrize("route", list(ROUTES))
def test_value_posts_without_csrf_are_refused(client, db, as_role, indicator, route):
    """Every write needs the CSRF token."""
    as_role("admin")
    url, data = ROUTES[route]
    audit = db.session.scalar(select(func.count()).select_from(AuditEntry))
    assert client.post(url, data=data).status_code == 400
    assert db.session.scalar(select(func.count()).select_from(AuditEntry)) == audit


def test_swedish_numbers_are_read(client, db, as_role, indicator):
    """`56 470` and `4,5` typed in Swedish are stored as numbers."""
    token = as_role("admin")
    client.post(f"/indikatorer/{KEY}/varden", data={"date": "2025-01-31", "value": "4,5",
                                                    "csrf_token": token})
    client.post(f"/indikatorer/{KEY}/varden", data={"date": "2025-02-28", "value": "56 470",
                                                    "csrf_token": token})
    db.session.expire_all()
    values = {v.measured_on: v.value for v in indicator.values}
    assert values[date(2025, 1, 31)] == 4.5 and values[date(2025, 2, 28)] == 56470


def test_htmx_value_changes_get_the_panel(client, db, as_role, indicator):
    """With htmx, a refused value comes back as the panel with the error."""
    token = as_role("admin")
    response = client.post(f"/indikatorer/{KEY}/varden", headers={"HX-Request": "true"},
                           data={"date": "2024-01-31", "value": "3", "csrf_token": token})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and page.lstrip().startswith('<div id="values-panel"')
    assert 'aria-invalid="true"' in page


def test_unknown_value_date_is_404(client, db, as_role, indicator):
    """A value that does not exist, or a date that is not one, answers 404."""
    token = as_role("admin")
    for on in ("2023-01-01", "inte-ett-datum"):
        response = client.post(f"/indikatorer/{KEY}/varden/{on}",
                               data={"value": "1", "csrf_token": token})
        assert response.status_code == 404


@pytest.mark.parametrize("day", ["1800-01-31", "2200-01-01"])
def test_a_value_dated_outside_the_portals_range_is_refused(client, db, as_role, indicator, day):
    token = as_role("admin")
    in_english(client, token)
    count = len(indicator.values)
    response = client.post(f"/indikatorer/{KEY}/varden", data={"date": day, "value": "12",
                                                               "csrf_token": token})
    assert response.status_code == 422
    assert "Give a date from 1900-01-01 to 2199-12-31." in response.get_data(as_text=True)
    db.session.expire_all()
    assert len(indicator.values) == count

# --- Values per organisation ----------------------------------------------------------------


def _values(indicator) -> dict:
    return {(v.measured_on.isoformat(), v.organisation.key if v.organisation else None): v.value
            for v in indicator.values}


def test_a_value_by_hand_names_its_organisation(client, db, as_role, indicator):
    """The form offers the whole region and each organisation; a value for Umeå on a date the
    region already has is its own value, listed with the organisation's name and audited."""
    token = as_role("admin")
    page = client.get(f"/indikatorer/{KEY}/varden").get_data(as_text=True)
    form = page[page.index('id="organisation"'):].split("</select>")[0]
    assert '<option selected value="">Hela regionen</option>' in form
    assert 'value="umea">Umeå kommun</option>' in form
    response = client.post(f"/indikatorer/{KEY}/varden", data={
        "organisation": "umea", "date": "2024-01-31", "value": "9,5", "csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    assert _values(indicator)[("2024-01-31", "umea")] == 9.5
    assert _values(indicator)[("2024-01-31", None)] == 10
    listed = client.get(f"/indikatorer/{KEY}/varden").get_data(as_text=True)
    row = listed[listed.index("<td>Umeå kommun</td>"):].split("</tr>")[0]
    assert "31 jan 2024" in row and 'value="9,5"' in row
    assert listed.index("<td>hela regionen</td>") < listed.index("<td>Umeå kommun</td>")
    entry = db.session.scalars(select(AuditEntry).where(
        AuditEntry.action == "add_value").order_by(AuditEntry.id)).all()[-1]
    assert entry.data == {"date": "2024-01-31", "organisation": "umea"}


def test_values_by_hand_are_refused_at_their_field_in_swedish(client, db, as_role, indicator):
    """A second value for the same organisation and date, and an unknown organisation, are
    refused next to the field they concern (422), in the user's language; nothing is stored."""
    token = as_role("admin")
    path = f"/indikatorer/{KEY}/varden"
    client.post(path, data={"organisation": "umea", "date": "2024-01-31", "value": "9",
                            "csrf_token": token})
    again = client.post(path, data={"organisation": "umea", "date": "2024-01-31", "value": "8",
                                    "csrf_token": token})
    page = again.get_data(as_text=True)
    assert again.status_code == 422
    error = page[page.index('id="organisation-error"'):].split("</p>")[0]
    assert "Det finns redan ett värde för 2024-01-31 och den här organisationen" in error
    unknown = client.post(path, data={"organisation": "ingenstans", "date": "2024-02-29",
                                      "value": "8", "csrf_token": token})
    page = unknown.get_data(as_text=True)
    assert unknown.status_code == 422 and 'id="organisation-error"' in page
    db.session.expire_all()
    assert _values(indicator)[("2024-01-31", "umea")] == 9
    assert ("2024-02-29", "ingenstans") not in _values(indicator)


def test_correcting_and_removing_touch_only_that_organisations_value(client, db, as_role,
                                                                      indicator):
    """The region and Umeå both have a value on 2024-01-31: the address names which one."""
    token = as_role("admin")
    client.post(f"/indikatorer/{KEY}/varden", data={
        "organisation": "umea", "date": "2024-01-31", "value": "9", "csrf_token": token})
    base = f"/indikatorer/{KEY}/varden/2024-01-31"
    assert client.post(f"{base}?organisation=umea", data={
        "value": "9,25", "csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert _values(indicator)[("2024-01-31", "umea")] == 9.25
    assert _values(indicator)[("2024-01-31", None)] == 10
    assert client.post(f"{base}/ta-bort?organisation=umea",
                       data={"csrf_token": token}).status_code == 303
    db.session.expire_all()
    assert ("2024-01-31", "umea") not in _values(indicator)
    assert _values(indicator)[("2024-01-31", None)] == 10
    assert client.post(f"{base}?organisation=vannas", data={
        "value": "1", "csrf_token": token}).status_code == 404
