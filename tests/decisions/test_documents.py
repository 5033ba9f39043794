"""The documents a decision adopts or rests on: chosen in the form, shown on its page, kept
by a draft made final and by a correction, and audited."""

from __future__ import annotations

import re

from sqlalchemy import select

from portal.decisions.services import DecisionData, correct_decision, log_decision
from portal.models import AuditEntry, Decision
from tests.decisions.conftest import in_english

FINAL = "lsg-2024-10-nav"  # the demo's LSG decision resting on "Primärvården som nav"


def _form(**changes) -> dict:
    values = {"date": "2025-11-20", "title": "LSG ställer sig bakom planen", "text": "Text.",
              "intent": "final", "new_actions-0-title": "", "new_actions-0-owner_person": "",
              "new_actions-0-owner_forum": "lsg", "new_actions-0-due": ""}
    return {**values, **changes}


def _decision(db, title: str) -> Decision:
    return db.session.scalar(select(Decision).where(Decision.title == title))


def _checked(page: str) -> set[str]:
    """The document keys ticked in the form's documents group."""
    return set(re.findall(r'name="documents" value="([^"]+)" checked', page))


def test_the_form_offers_every_document_as_a_labelled_checkbox(client, db, as_role):
    """The documents are a fieldset with a legend; each box has its title as its label."""
    token = as_role("officer")
    in_english(client, token)
    page = client.get("/forum/lsg/beslut/ny").get_data(as_text=True)
    group = page[page.index('id="documents"'):]
    group = group[:group.index("</fieldset>")]
    assert "<legend>Documents the decision adopts or rests on</legend>" in group
    box = re.search(r'<input type="checkbox" id="(documents-\d+)" name="documents" '
                    r'value="plan-halsa-vard-omsorg">\s*<label for="\1">([^<]+)</label>', group)
    assert box and box.group(2) == "Gemensam plan för hälsa, vård och omsorg i Västerbotten"


def test_the_form_saves_the_documents_and_both_pages_show_the_link(client, db, as_role):
    """Saved through the form, the decision page lists the documents, linked to their pages,
    and the document's page lists the decision; the audit trail has them."""
    token = as_role("officer")
    in_english(client, token)
    response = client.post("/forum/lsg/beslut/ny", data={
        **_form(), "documents": ["plan-halsa-vard-omsorg", "fardplan-2030"],
        "csrf_token": token})
    assert response.status_code == 303
    decision = _decision(db, "LSG ställer sig bakom planen")
    assert sorted(d.key for d in decision.documents) == ["fardplan-2030",
                                                         "plan-halsa-vard-omsorg"]
    page = client.get(f"/beslut/{decision.key}").get_data(as_text=True)
    section = page[page.index('id="documents-h"'):]
    assert "Documents it adopts or rests on" in section
    assert '<a href="/dokument/plan-halsa-vard-omsorg">Gemensam plan för hälsa, vård och ' \
           'omsorg i Västerbotten</a>' in section
    assert '<a href="/dokument/fardplan-2030">' in section
    document_page = client.get("/dokument/plan-halsa-vard-omsorg").get_data(as_text=True)
    assert f'href="/beslut/{decision.key}"' in document_page
    [entry] = db.session.scalars(select(AuditEntry).where(
        AuditEntry.entity_type == "decision", AuditEntry.entity_key == decision.key)).all()
    assert sorted(entry.after["documents"]) == ["fardplan-2030", "plan-halsa-vard-omsorg"]


def test_a_decision_without_documents_says_so(client, db, as_role):
    """The page says the decision names no document rather than leaving a blank."""
    token = as_role("officer")
    in_english(client, token)
    client.post("/forum/lsg/beslut/ny", data={**_form(), "csrf_token": token})
    decision = _decision(db, "LSG ställer sig bakom planen")
    assert "The decision names no document." in client.get(
        f"/beslut/{decision.key}").get_data(as_text=True)


def test_an_unknown_document_is_refused_at_the_field(client, db, as_role):
    """A key that names no document is refused next to the documents, and nothing is saved."""
    token = as_role("officer")
    in_english(client, token)
    response = client.post("/forum/lsg/beslut/ny", data={
        **_form(), "documents": ["finns-inte"], "csrf_token": token})
    assert response.status_code == 422
    page = response.get_data(as_text=True)
    assert 'id="documents-error"' in page and "finns-inte" in page
    assert _decision(db, "LSG ställer sig bakom planen") is None


def test_a_draft_made_final_keeps_its_documents(client, db, as_role):
    """A draft saved with a document shows it ticked when edited, and keeps it once final."""
    token = as_role("officer")
    client.post("/forum/lsg/beslut/ny", data={
        **_form(intent="draft"), "documents": ["plan-halsa-vard-omsorg"], "csrf_token": token})
    draft = _decision(db, "LSG ställer sig bakom planen")
    assert draft.status == "draft"
    edit = client.get(f"/beslut/{draft.key}/redigera").get_data(as_text=True)
    assert _checked(edit) == {"plan-halsa-vard-omsorg"}
    response = client.post(f"/beslut/{draft.key}/redigera", data={
        **_form(intent="final"), "documents": sorted(_checked(edit)), "csrf_token": token})
    assert response.status_code == 303
    db.session.expire_all()
    final = db.session.get(Decision, draft.id)
    assert final.status == "final"
    assert [d.key for d in final.documents] == ["plan-halsa-vard-omsorg"]
    assert f'href="/beslut/{final.key}"' in client.get(
        "/dokument/plan-halsa-vard-omsorg").get_data(as_text=True)


def test_a_correction_keeps_the_documents_of_the_version_it_corrects(client, db, as_role):
    """The correction form starts with the documents ticked; the new version keeps them and
    the document's page names the latest version."""
    token = as_role("officer")
    form = client.get(f"/beslut/{FINAL}/rattelse").get_data(as_text=True)
    assert _checked(form) == {"primarvard-som-nav"}
    response = client.post(f"/beslut/{FINAL}/rattelse", data={
        **_form(title="LSG stöder beskrivningen (rättad)"), "reason": "Fel i titeln",
        "documents": sorted(_checked(form)), "csrf_token": token})
    assert response.status_code == 303
    version = db.session.scalar(select(Decision).where(Decision.key == f"{FINAL}.v2"))
    assert [d.key for d in version.documents] == ["primarvard-som-nav"]
    page = client.get(f"/beslut/{FINAL}.v2").get_data(as_text=True)
    assert '<a href="/dokument/primarvard-som-nav">' in page
    assert f'href="/beslut/{FINAL}.v2"' in client.get(
        "/dokument/primarvard-som-nav").get_data(as_text=True)


def test_the_services_carry_documents_through_log_and_correction(db, lsg, coordinator,
                                                                 final_decision):
    """Through the services too: the documents are stored and the audit trail has them
    before and after a correction."""
    decision = log_decision(coordinator, lsg, DecisionData(
        title="Beslut med underlag", date=final_decision.decided_on,
        documents=["fardplan-2030", "fardplan-2030", ""]))
    assert [d.key for d in decision.documents] == ["fardplan-2030"]
    version = correct_decision(coordinator, final_decision, DecisionData(
        title=final_decision.title, date=final_decision.decided_on,
        documents=["primarvard-som-nav", "plan-halsa-vard-omsorg"]), "Underlaget saknades")
    assert sorted(d.key for d in version.documents) == ["plan-halsa-vard-omsorg",
                                                        "primarvard-som-nav"]
    entry = db.session.scalar(select(AuditEntry).where(
        AuditEntry.entity_key == version.key, AuditEntry.action == "correct"))
    assert entry.before["documents"] == ["primarvard-som-nav"]
    assert sorted(entry.after["documents"]) == ["plan-halsa-vard-omsorg", "primarvard-som-nav"]


def test_in_swedish_the_page_and_the_form_name_the_documents(client, db, as_role):
    """The default language: "Dokument som beslutet antar eller vilar på", on both."""
    as_role("officer")
    page = client.get(f"/beslut/{FINAL}").get_data(as_text=True)
    assert '<h2 id="documents-h">Dokument som beslutet antar eller vilar på</h2>' in page
    assert "(Gemensam definition)" in page
    form = client.get("/forum/lsg/beslut/ny").get_data(as_text=True)
    assert "<legend>Dokument som beslutet antar eller vilar på</legend>" in form
    assert "Beslutet visas då på dokumentets sida." in form
