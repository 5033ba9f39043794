"""Every write route of the commission lead × every role; CSRF; GET changes nothing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from portal.commissions import followup
from portal.models import Action, AuditEntry, Milestone, Recommendation, Risk, StatusReport
from tests.commissions.conftest import ALLOWED, COMMISSION, ROLES, by_key
from tests.conftest import refusals
from tests.helpers import csrf_token


@pytest.fixture
def risk(db, commission, users) -> Risk:
    """A risk to change."""
    return followup.add_risk(users["admin"], commission, title="Otydligt mandat",
                             likelihood=2, consequence=5)


def _prefixed(prefix: str, token: str, version, **fields) -> dict:
    data = {f"{prefix}{name}": value for name, value in fields.items()}
    data[f"{prefix}csrf_token"] = token
    if version is not None:
        data[f"{prefix}version"] = str(version)
    return data


def _action_fields(**changes) -> dict:
    fields = {"title": "Ta fram en gemensam plan", "status": "in_progress", "progress": "40",
              "due_on": "2025-12-31", "owner_person": "anna-lundmark", "owner_forum": "",
              "recommendation": "r25-resurser", "areas": ["kontinuitet"]}
    return {**fields, **changes}


def write_request(name: str, db, risk: Risk, token: str) -> tuple[str, dict]:
    """The URL and a valid form of each write route."""
    action = by_key(db, Action, "a25-implementeringsplan")
    milestone = by_key(db, Milestone, "fm2025-bp2")
    rec = by_key(db, Recommendation, "r25-resurser")
    requests = {
        "milestone": (f"/milstolpar/{milestone.key}", _prefixed(
            f"ms-{milestone.key}-", token, milestone.version, done_on="2025-10-01")),
        "edit_action": (f"/atgarder/{action.key}/redigera", _prefixed(
            f"action-{action.key}-", token, action.version, **_action_fields())),
        "new_action": (f"/uppdrag/{COMMISSION}/atgarder/ny",
                       _prefixed("", token, None, **_action_fields())),
        "new_recommendation": (f"/uppdrag/{COMMISSION}/rekommendationer/ny", _prefixed(
            "", token, None, text="Säkra resurser för uppföljning", areas=["kompetens"])),
        "edit_recommendation": (f"/rekommendationer/{rec.key}/redigera", _prefixed(
            "", token, rec.version, text=rec.text + " Nu.", areas=["kompetens"])),
        "status_report": (f"/uppdrag/{COMMISSION}/statusrapporter", _prefixed(
            "", token, None, reported_on="2025-10-02", light="at_risk", comment="BP2 är sen.")),
        "add_risk": (f"/uppdrag/{COMMISSION}/risker", _prefixed(
            "risk-new-", token, None, title="Resurser saknas", likelihood="3",
            consequence="4", status="open", owner_person="", mitigation="")),
        "edit_risk": (f"/risker/{risk.id}/redigera", _prefixed(
            f"risk-{risk.id}-", token, risk.version, title=risk.title, likelihood="2",
            consequence="5", status="mitigated", owner_person="", mitigation="Beslut i CLG.")),
    }
    return requests[name]


WRITE_ROUTES = ("milestone", "edit_action", "new_action", "new_recommendation",
                "edit_recommendation", "status_report", "add_risk", "edit_risk")
FORM_PAGES = ("edit_action", "new_action", "new_recommendation", "edit_recommendation",
              "edit_risk")
EXPECTED = {role: 303 if role in ALLOWED else 302 if role == "signed_out" else 403
            for role in ROLES}


def _count(db, model=AuditEntry) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


@pytest.mark.parametrize("route", WRITE_ROUTES)
@pytest.mark.parametrize("role", ROLES)
def test_write_route_answers_each_role(client, db, as_role, users, risk, route, role):
    """Admin and the commission's lead write (303); others get 403, or sign-in when signed out."""
    token, user = as_role(role), users[role]
    url, data = write_request(route, db, risk, token)
    writes = _count(db)
    response = client.post(url, data=data)
    assert response.status_code == EXPECTED[role], response.get_data(as_text=True)[:2000]
    db.session.expire_all()
    if role == "signed_out":
        assert "/login" in response.headers["Location"]
        assert _count(db) == writes
    elif role in ALLOWED:
        assert _count(db) > writes
        last = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc())).first()
        assert last.actor == user.email and last.action in ("create", "update")
    else:
        assert _count(db) == writes
        assert refusals(user.email) == 1


@pytest.mark.parametrize("route", FORM_PAGES)
@pytest.mark.parametrize("role", ROLES)
def test_form_pages_answer_each_role(client, db, as_role, users, risk, route, role):
    """The edit and add forms open for admin and the lead only."""
    as_role(role)
    user = users[role]
    url, _ = write_request(route, db, risk, "unused")
    response = client.get(url)
    expected = {303: 200}.get(EXPECTED[role], EXPECTED[role])
    assert response.status_code == expected
    if user and expected == 200:
        page = response.get_data(as_text=True)
        assert "<h1>" in page and 'name="csrf-token"' in page


@pytest.mark.parametrize("route", WRITE_ROUTES)
def test_posts_without_csrf_token_are_refused(client, db, as_role, risk, route):
    """Without the CSRF token every write answers 400 and changes nothing."""
    as_role("commission_lead")
    url, data = write_request(route, db, risk, "")
    data = {k: v for k, v in data.items() if not k.endswith("csrf_token")}
    writes = _count(db)
    assert client.post(url, data=data).status_code == 400
    assert _count(db) == writes


def test_get_never_changes_anything(client, db, as_role, risk):
    """Reading every page of the commission, forms and exports included, writes nothing."""
    as_role("commission_lead")
    versions = {a.key: a.version for a in db.session.scalars(select(Action))}
    writes = _count(db)
    urls = [f"/uppdrag/{COMMISSION}", f"/uppdrag/{COMMISSION}?status=blocked&sort=-progress",
            "/uppdrag/status", f"/uppdrag/{COMMISSION}/historik",
            f"/uppdrag/{COMMISSION}/atgarder.xlsx",
            "/atgarder/a25-implementeringsplan/historik", "/milstolpar/fm2025-bp2/historik",
            "/rekommendationer/r25-resurser/historik", f"/risker/{risk.id}/historik"]
    urls += [write_request(route, db, risk, "")[0] for route in WRITE_ROUTES]
    for url in urls:
        assert client.get(url).status_code in (200, 405), url
    db.session.expire_all()
    assert _count(db) == writes
    assert {a.key: a.version for a in db.session.scalars(select(Action))} == versions
    assert _count(db, StatusReport) == 0


def test_post_only_routes_refuse_get(client, db, as_role, risk):
    """Marking a milestone, reporting status and adding a risk need a POST."""
    as_role("commission_lead")
    for route in ("milestone", "status_report", "add_risk"):
        assert client.get(write_request(route, db, risk, "")[0]).status_code == 405


def test_status_reports_cannot_be_changed_or_deleted(client, db, as_role, commission, users):
    """No URL edits or removes a status report."""
    report = followup.add_status_report(users["admin"], commission,
                                        reported_on=commission.starts_on, light="on_track",
                                        comment="Start.")
    as_role("admin")
    token = csrf_token(client, "/")
    for url in (f"/statusrapporter/{report.id}", f"/statusrapporter/{report.id}/redigera",
                f"/uppdrag/{COMMISSION}/statusrapporter/{report.id}"):
        assert client.post(url, data={"csrf_token": token}).status_code in (404, 405)
    assert client.delete(f"/uppdrag/{COMMISSION}/statusrapporter",
                         headers={"X-CSRFToken": token}).status_code == 405


def test_unknown_objects_are_404(client, db, as_role):
    """Writes to things that do not exist answer 404."""
    as_role("admin")
    token = csrf_token(client, "/")
    for url in ("/milstolpar/nope", "/atgarder/nope/redigera", "/risker/999999/redigera",
                "/uppdrag/nope/risker", "/rekommendationer/nope/redigera"):
        assert client.post(url, data={"csrf_token": token}).status_code == 404, url


LINK_ELSEWHERE = {"admin": 303, "commission_lead": 422, "signed_out": 302}


@pytest.mark.parametrize("role", ROLES)
def test_linking_an_action_to_another_commissions_recommendation_by_role(client, db, as_role,
                                                                         risk, role):
    """An action of UPPDRAGiL 3.0 made to realise a recommendation of the 2023 commission:
    an admin may (303); the action's lead is told at the field why not (422), because the
    other commission would count it as its progress; everyone else is refused (403), the
    other commission's lead too, since the action is not theirs."""
    from portal.models import Commission

    other = Recommendation(key="r23-annan", text="Följ upp genomlysningen (test).",
                           commission=by_key(db, Commission, "fm2023-genomlysning"))
    db.session.add(other)
    db.session.commit()
    token = as_role(role)
    url, data = write_request("edit_action", db, risk, token)
    action = by_key(db, Action, "a25-implementeringsplan")
    data[f"action-{action.key}-recommendation"] = other.key
    response = client.post(url, data=data)
    assert response.status_code == LINK_ELSEWHERE.get(role, 403)
    db.session.expire_all()
    linked = by_key(db, Action, "a25-implementeringsplan").recommendation
    assert (linked is not None and linked.key == "r23-annan") == (role == "admin")
