"""Snapshots of the structure: saved (audited) and compared over time."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.audit.services import record
from portal.map import services
from portal.map.compare import compare_documents
from portal.models import AuditEntry, Forum, ForumMembership, Person, StructureSnapshot
from tests.helpers import csrf_token
from tests.map.helpers import forum, small_map

SNAPSHOTS = "/karta/ogonblicksbilder"


def test_compare_documents_names_forums_seats_and_findings():
    """Added and removed forums and seats are listed; findings resolved and new by identity."""
    old = small_map()
    new = small_map()
    new["forums"] = [f for f in new["forums"] if f["key"] != "lonely"]
    new["forums"].append(forum("fresh", ["p4"], ["digi"], reports_to="top"))
    new["forums"][1]["members"] = new["forums"][1]["members"][:1]  # a keeps only p1
    old_findings = [{"kind": "orphan_forum", "forum": "lonely"}]
    new_findings = [{"kind": "uncovered_area", "area": "x"}]
    result = compare_documents(old, new, old_findings, new_findings)
    assert [f["key"] for f in result["forums_added"]] == ["fresh"]
    assert [f["key"] for f in result["forums_removed"]] == ["lonely"]
    assert [(s["forum"], s["person"]) for s in result["memberships_added"]] == [("fresh", "p4")]
    assert [(s["forum"], s["person"]) for s in result["memberships_removed"]] == [
        ("a", "p2"), ("a", "p3"), ("lonely", "p4")]
    assert result["memberships_removed"][0]["person_name"] == "Bo"
    assert [f["kind"] for f in result["findings_resolved"]] == ["orphan_forum"]
    assert [f["kind"] for f in result["findings_new"]] == ["uncovered_area"]


def _change(db) -> None:
    """End one seat of the demo and add a forum without a reporting line (audited)."""
    seat = db.session.scalars(
        select(ForumMembership).join(Forum).where(Forum.key == "lpo-rehab")).first()
    db.session.delete(seat)
    db.session.add(Forum(key="ny", name="Ny arbetsgrupp", kind="working_group",
                         level="regional"))
    record(None, "update", "forum", "ny")
    db.session.commit()


@pytest.mark.parametrize("role", ["leadership", "admin"])
def test_leadership_and_admins_save_a_snapshot(client, db, demo, signed_in, role):
    """Saving stores the document and its findings and writes the audit trail."""
    user = signed_in(role)
    response = client.post(SNAPSHOTS,
                           data={"name": "Hösten 2025",
                                 "csrf_token": csrf_token(client, SNAPSHOTS)})
    assert response.status_code == 303
    snapshot = db.session.scalars(select(StructureSnapshot)).one()
    assert snapshot.name == "Hösten 2025"
    assert snapshot.created_by_id == user.id
    assert {f["key"] for f in snapshot.document["forums"]} >= {"lsg", "rsg-nv"}
    assert snapshot.findings["format"] == "samverkan-findings/1"
    assert snapshot.summary["forums"] == 29
    entry = db.session.scalars(
        select(AuditEntry).where(AuditEntry.entity_type == "structure_snapshot")).one()
    assert (entry.action, entry.entity_key, entry.user_id) == (
        "save_snapshot", str(snapshot.id), user.id)
    assert "Hösten 2025" in client.get(response.headers["Location"]).get_data(as_text=True)


@pytest.mark.parametrize("role", ["viewer", "forum_member", "commission_lead"])
def test_other_roles_may_not_save(client, db, demo, signed_in, role):
    """Other roles see the snapshots but saving one is refused."""
    signed_in(role)
    page = client.get("/karta/ogonblicksbilder").get_data(as_text=True)
    assert 'name="name"' not in page
    response = client.post("/karta/ogonblicksbilder",
                           data={"name": "x", "csrf_token": csrf_token(client, SNAPSHOTS)})
    assert response.status_code == 403
    assert db.session.scalars(select(StructureSnapshot)).first() is None


def test_a_snapshot_needs_a_name(client, db, demo, signed_in):
    """An empty name is refused next to the field."""
    signed_in("leadership")
    response = client.post("/karta/ogonblicksbilder",
                           data={"name": " ", "csrf_token": csrf_token(client, SNAPSHOTS)})
    assert response.status_code == 400
    assert 'id="name-error"' in response.get_data(as_text=True)


def test_compare_two_snapshots_and_with_today(client, db, demo, signed_in):
    """Between two snapshots the new forum, the ended seat and their findings show up."""
    user = signed_in("leadership")
    first = services.save_snapshot(user, "Före", "sv")
    _change(db)
    second = services.save_snapshot(user, "Efter", "sv")
    result = services.compare(str(first.id), str(second.id), None, "en")
    assert [f["key"] for f in result["forums_added"]] == ["ny"]
    assert len(result["memberships_removed"]) == 1
    assert result["memberships_removed"][0]["forum"] == "lpo-rehab"
    assert any(f["kind"] == "orphan_forum" and f["forum"] == "ny"
               for f in result["findings_new"])
    assert services.compare(str(second.id), services.CURRENT, None, "en")["forums_added"] == []
    page = client.get(f"/karta/ogonblicksbilder/jamfor?from={first.id}&to={second.id}")
    text = page.get_data(as_text=True)
    assert page.status_code == 200
    assert "Ny arbetsgrupp" in text
    person = db.session.get(Person, db.session.scalar(
        select(Person.id).where(Person.key == result["memberships_removed"][0]["person"])))
    assert person.name in text


def test_compare_unknown_snapshot_is_404(client, db, demo, signed_in):
    """A snapshot that does not exist answers 404."""
    signed_in("viewer")
    assert client.get("/karta/ogonblicksbilder/jamfor?from=999&to=current").status_code == 404
    assert client.get("/karta/ogonblicksbilder/jamfor?from=x&to=current").status_code == 404
    assert client.get("/karta/ogonblicksbilder/jamfor").status_code == 200


def test_saving_a_snapshot_keeps_the_cached_map(client, db, demo, signed_in):
    """A snapshot does not change the map, so the cached analysis stays valid."""
    from portal.findings.services import state_token

    user = signed_in("admin")
    token = state_token()
    services.save_snapshot(user, "x", "sv")
    assert state_token() == token
