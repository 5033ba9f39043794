"""The documents pages: the hierarchy, one document and what surrounds it, admin edits."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from portal.auth.permissions import PermissionDenied
from portal.documents import services
from portal.entries import EntryError
from portal.models import AuditEntry, Document
from tests.helpers import csrf_token


def _doc(db, key) -> Document:
    return db.session.scalar(select(Document).where(Document.key == key))


def test_the_hierarchy_places_the_joint_plans_under_the_road_map(client, db, demo, signed_in):
    """The road map is at the top; the joint plans are nested inside its item."""
    signed_in("viewer")
    page = client.get("/dokument").get_data(as_text=True)
    assert "<h1>Dokument</h1>" in page
    road_map = page.index('href="/dokument/fardplan-2030"')
    nested = page[road_map:].split("</li>\n</ul>", 1)[0]
    assert 'href="/dokument/plan-halsa-vard-omsorg"' in nested
    assert 'href="/dokument/gemensam-plan-pv"' in nested
    strategy = page.index('href="/dokument/strategi-folkhalsa-funktionsratt"')
    assert 'href="/dokument/handlingsplan-folkhalsa-funktionsratt"' in page[strategy:]


def test_the_directive_page_shows_decisions_commission_and_forums(client, db, demo, signed_in):
    """BP0 and BP1 rest on the directive; the 2025 commission works from it; HSN, RS, CLG."""
    signed_in("viewer")
    page = client.get("/dokument/direktiv-uppdragil3").get_data(as_text=True)
    for key in ("clg-2024-11-bp0", "hsn-2024-12-direktiv", "rs-2024-12-direktiv"):
        assert f'href="/beslut/{key}"' in page, key
    assert 'href="/uppdrag/fm2025-uppdragil3"' in page
    forums = page.split('id="forums-h"')[1].split("</section>")[0]
    for key in ("hsn", "rs", "clg"):
        assert f'href="/forum/{key}"' in forums, key
    assert "BP1" in page and "BP0" in page  # the decision points those decisions took


def test_the_report_page_shows_the_councils_approval(client, db, demo, signed_in):
    """RF's "Rapporten godkänns" rests on the 2024 report."""
    signed_in("viewer")
    page = client.get("/dokument/rapport-fm2024").get_data(as_text=True)
    assert "Rapporten godkänns" in page and 'href="/forum/rf"' in page


def test_unknown_document_is_404(client, db, demo, signed_in):
    signed_in("viewer")
    assert client.get("/dokument/nope").status_code == 404


def test_only_admins_get_the_forms(client, db, demo, signed_in):
    """Others get 403 on the forms; a reader sees no edit button."""
    signed_in("leadership")
    assert client.get("/dokument/ny").status_code == 403
    assert client.get("/dokument/fardplan-2030/redigera").status_code == 403
    assert "/dokument/fardplan-2030/redigera" not in client.get(
        "/dokument/fardplan-2030").get_data(as_text=True)


def test_an_admin_adds_an_action_plan_under_the_joint_plan(client, db, demo, signed_in):
    """A new document is checked, saved, placed in the hierarchy and audited."""
    signed_in("admin")
    token = csrf_token(client, "/dokument/ny")
    response = client.post("/dokument/ny", data={
        "csrf_token": token, "title": "Handlingsplan för fasta vårdkontakter", "kind": "plan",
        "date": "2026-02-01", "owner": "lsg", "parent": "plan-halsa-vard-omsorg",
        "areas": ["kontinuitet"], "summary": "", "url": ""})
    assert response.status_code == 303
    created = _doc(db, "handlingsplan-for-fasta-vardkontakter")
    assert created.parent.key == "plan-halsa-vard-omsorg"
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity_type == "document", AuditEntry.entity_key == created.key))
    assert entry.action == "create" and entry.after["parent"] == "plan-halsa-vard-omsorg"
    page = client.get("/dokument").get_data(as_text=True)
    joint = page.index('href="/dokument/plan-halsa-vard-omsorg"')
    assert 'href="/dokument/handlingsplan-for-fasta-vardkontakter"' in page[joint:]


def test_a_form_without_csrf_is_refused(client, db, demo, signed_in):
    signed_in("admin")
    response = client.post("/dokument/ny", data={"title": "X", "kind": "plan"})
    assert response.status_code in (400, 422)
    assert _doc(db, "x") is None


def test_a_cycle_and_a_bad_address_come_back_next_to_their_fields(client, db, demo, signed_in,
                                                                  based_on):
    """Placing the road map under its own child, or an http: address, re-renders with 422."""
    signed_in("admin")
    token = csrf_token(client, "/dokument/fardplan-2030/redigera")
    response = client.post("/dokument/fardplan-2030/redigera", data={
        **based_on(client, "/dokument/fardplan-2030/redigera"),
        "csrf_token": token, "title": "Färdplan Nära vård i Västerbotten 2030", "kind": "plan",
        "owner": "rf", "parent": "plan-halsa-vard-omsorg", "url": "http://example.org"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="parent-error"' in page or "parent" in page.split('class="error')[1]
    assert _doc(db, "fardplan-2030").parent is None


def test_services_refuse_non_admins_and_cycles(db, demo, make_user):
    """The service is the gate: a reader cannot write; a cycle is an entry error on parent."""
    reader, admin = make_user("leadership"), make_user("admin", "a@test.example")
    road_map = _doc(db, "fardplan-2030")
    with pytest.raises(PermissionDenied):
        services.update_document(reader, road_map, {"title": "Ny titel"})
    with pytest.raises(EntryError) as refused:
        services.update_document(admin, road_map, {"parent": "gemensam-plan-pv"})
    assert "parent" in refused.value.errors
    changed = services.update_document(admin, road_map, {"date": None, "areas": ["kontinuitet"]})
    assert [a.key for a in changed.areas] == ["kontinuitet"]


def test_search_finds_a_document_and_links_to_its_page(client, db, demo, signed_in):
    """The header search lists the road map and leads to the document page."""
    signed_in("viewer")
    page = client.get("/sok?q=Färdplan").get_data(as_text=True)
    assert 'href="/dokument/fardplan-2030"' in page
    assert client.get("/dokument/fardplan-2030").status_code == 200


@pytest.mark.parametrize("day", ["9999-12-31", "1899-12-31"])
def test_a_document_dated_outside_the_portals_range_is_refused(client, db, demo, signed_in, day):
    """The date comes back with the range, in Swedish, next to its field; nothing is saved."""
    signed_in("admin")
    token = csrf_token(client, "/dokument/ny")
    response = client.post("/dokument/ny", data={
        "csrf_token": token, "title": "Plan för år 9999", "kind": "plan", "date": day,
        "owner": "lsg", "parent": "", "areas": [], "summary": "", "url": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert 'id="date-error"' in page
    assert "Ange ett datum från 1900-01-01 till 2199-12-31." in page
    assert _doc(db, "plan-for-ar-9999") is None
