"""What the commission page, the history and the status overview show."""

from __future__ import annotations

import re
from datetime import date

from sqlalchemy import select

from portal.commissions import followup, queries, services
from portal.exchange import services as exchange
from portal.exchange.exporter import export_document
from portal.exchange.validator import dump_document
from portal.models import Commission
from tests.commissions.conftest import COMMISSION, by_key, in_english
from tests.helpers import csrf_token


def _page(client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return response.get_data(as_text=True)


def test_the_commission_page_answers_first(client, as_role):
    """The glance names the next milestone, overdue work and the missing risk register."""
    as_role("leadership")
    in_english(client)
    page = _page(client, f"/uppdrag/{COMMISSION}")
    glance = page.split('id="summary"')[1].split("</section>")[0]
    assert "MS1 Avstämning status delaktiviteter" in glance and "(overdue)" in glance
    assert "No risks are recorded" in glance and "No status report yet" in glance
    assert re.search(r'<li id="milestone-fm2025-ms1" class=" late next">', page)
    assert '<strong class="next-label">Next</strong>' in page
    risks = page.split('id="risks"')[1].split("</section>")[0]
    assert "No risks are recorded" in risks


def _fact(page: str, term: str) -> str:
    """The text of one entry of the page's facts (`<dt>term</dt><dd>…</dd>`), tags stripped."""
    found = re.search(rf"<dt>{term}</dt><dd>(.*?)</dd>", page, re.S)
    assert found, term
    return re.sub(r"<[^>]+>", "", found.group(1))


def test_the_commission_page_names_its_co_owners_and_its_directive(client, as_role):
    """The 2025 directive went to HSN and RS: the page, in Swedish, says "HSN och RS" with a
    link to each forum, and links the directive's own page with its date."""
    as_role("leadership")
    page = _page(client, f"/uppdrag/{COMMISSION}")
    assert _fact(page, "Ägare") == ("Hälso- och sjukvårdsnämnden (HSN) och "
                                    "Regionstyrelsen (RS)")
    owners = re.search(r"<dt>Ägare</dt><dd>(.*?)</dd>", page).group(1)
    assert re.findall(r'href="([^"]+)"', owners) == ["/forum/hsn", "/forum/rs"]
    directive = re.search(r"<dt>Direktiv</dt><dd>(.*?)</dd>", page).group(1)
    assert 'href="/dokument/direktiv-uppdragil3"' in directive
    assert _fact(page, "Direktiv").startswith("Uppdragsdirektiv UPPDRAGiL 3.0")
    assert _fact(page, "Direktiv").endswith("(18 nov 2024)")
    directive_page = _page(client, "/dokument/direktiv-uppdragil3")
    assert f'href="/uppdrag/{COMMISSION}"' in directive_page


def test_a_commission_without_co_owner_or_directive_says_so(client, as_role):
    """The 2024 commission was given by RF alone and names no directive: one owner, a dash."""
    as_role("leadership")
    page = _page(client, "/uppdrag/fm2024-samspel")
    owners = re.search(r"<dt>Ägare</dt><dd>(.*?)</dd>", page).group(1)
    assert re.findall(r'href="([^"]+)"', owners) == ["/forum/rf"]
    assert _fact(page, "Direktiv") == "–"


def test_readers_see_no_controls_to_change_things(client, as_role):
    """Leadership reads the page without forms or change buttons."""
    as_role("leadership")
    in_english(client)
    page = _page(client, f"/uppdrag/{COMMISSION}")
    assert 'method="post"' not in page.split("<main")[1]
    assert "Add an action" not in page and "/redigera" not in page


def test_the_lead_sees_the_controls(client, as_role):
    """The commission lead gets the forms: milestones, actions, risks, status reports."""
    as_role("commission_lead")
    in_english(client)
    page = _page(client, f"/uppdrag/{COMMISSION}")
    for text in ("Mark as reached", "Add an action", "Add a risk", "Add a status report",
                 "/atgarder/a25-implementeringsplan/redigera", "Add a recommendation"):
        assert text in page, text
    for label in re.findall(r'<label for="([^"]+)"', page):
        assert f'id="{label}"' in page, label  # every label names a field on the page
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), "ids on the page must be unique"


def test_progress_rolls_up_per_recommendation_and_commission(db, commission):
    """The commission's mean leaves out cancelled actions; recommendations count all theirs."""
    detail = queries.commission_detail(commission, date(2025, 10, 15))
    assert detail["progress"] == 67  # (100 + 0 + 100) / 3
    rows = {row["rec"].key: row for row in detail["recommendations"]}
    assert rows["r24-samverkansstruktur"]["count"] == 1
    assert rows["r24-samverkansstruktur"]["progress"] == 0  # planned, no progress reported
    assert not rows["r24-samverkansstruktur"]["is_own"]
    assert rows["r25-resurser"]["count"] == 0 and rows["r25-resurser"]["is_own"]
    assert detail["overdue_count"] == 1  # the implementation plan, due 2025-09-30


def test_a_milestone_form_error_is_shown_next_to_the_field(client, as_role, milestone):
    """Without JavaScript a wrong date re-renders the page (422) with the error by the field."""
    as_role("commission_lead")
    in_english(client)
    prefix = f"ms-{milestone.key}-"
    response = client.post(f"/milstolpar/{milestone.key}", data={
        f"{prefix}csrf_token": csrf_token(client, "/"), f"{prefix}version": milestone.version,
        f"{prefix}done_on": "2025-02-30"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<h1>" in page
    field = re.search(rf'<input[^>]*id="{prefix}done_on"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in field and f'aria-describedby="{prefix}done_on-error"' in field
    assert "Enter a real date, such as 2025-10-31." in page


def test_a_stale_milestone_form_shows_the_conflict(client, as_role, users, milestone):
    """Without JavaScript a stale form answers 409 with the stored value, not an overwrite."""
    as_role("commission_lead")
    in_english(client)
    opened_at = milestone.version
    services.set_milestone_reached(users["admin"], milestone, opened_at, date(2025, 9, 29))
    prefix = f"ms-{milestone.key}-"
    response = client.post(f"/milstolpar/{milestone.key}", data={
        f"{prefix}csrf_token": csrf_token(client, "/"), f"{prefix}version": opened_at,
        f"{prefix}done_on": "2025-10-01"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert "Someone else saved a change while you were editing" in page
    assert "<td>29 Sep 2025</td><td>1 Oct 2025</td>" in page
    assert milestone.done_on == date(2025, 9, 29)


def test_an_edit_without_its_version_is_refused(client, as_role, action):
    """Leaving the version field out cannot skip the check against lost edits: 422."""
    as_role("commission_lead")
    prefix = f"action-{action.key}-"
    response = client.post(f"/atgarder/{action.key}/redigera", data={
        prefix + "csrf_token": csrf_token(client, "/"), prefix + "title": "Utan version",
        prefix + "status": "planned", prefix + "progress": "10", prefix + "due_on": "",
        prefix + "owner_person": "", prefix + "owner_forum": "lsg",
        prefix + "recommendation": ""})
    assert response.status_code == 422
    assert action.title != "Utan version"


def test_the_history_shows_changes_in_words(client, as_role, users, action):
    """Who changed what: labels for statuses, names for keys, before and after."""
    services.update_action(users["commission_lead"], action, action.version, status="blocked",
                           owner_forum="lsg")
    as_role("viewer")
    in_english(client)
    page = _page(client, f"/atgarder/{action.key}/historik")
    assert "<h1>History: Gemensam implementeringsplan" in page
    assert "Emma Holmström" in page
    assert ('<th scope="row">Status</th><td>Planned</td><td aria-hidden="true">→</td>'
            "<td>Blocked</td>") in page
    assert "Länssamverkansgruppen" in page  # the forum by name, not its key
    assert "imported from the demo" in page  # how the action came in


def test_the_history_shows_import_changes(db, client, as_role, users, commission):
    """A change that came by import is in the commission's history, marked as imported."""
    doc = export_document(db.session)
    for entry in doc["milestones"]:
        if entry["key"] == "fm2025-bp3":
            entry["done_on"] = date(2025, 11, 3)
    exchange.import_text(dump_document(doc), users["admin"])
    as_role("viewer")
    in_english(client)
    page = _page(client, f"/uppdrag/{COMMISSION}/historik")
    first = page.split('<ol class="history">')[1].split("</li>")[0]
    assert "BP3" in first and "by import" in first and "3 Nov 2025" in first


def test_the_status_overview_puts_trouble_first(db, client, as_role, users):
    """Leadership sees each running commission's latest light in words, worst first."""
    lead = users["admin"]
    commission = by_key(db, Commission, COMMISSION)
    followup.add_status_report(lead, commission, reported_on=date(2025, 9, 1),
                               light="on_track", comment="Enligt plan.")
    followup.add_status_report(lead, commission, reported_on=date(2025, 10, 2),
                               light="off_track", comment="BP2 missades.")
    as_role("leadership")
    in_english(client)
    page = _page(client, "/uppdrag/status")
    assert "<h1>Status of the commissions</h1>" in page
    card = page.split('class="status-cards"')[1].split("</li>")[0]
    assert "Off track" in card and "BP2 missades." in card and "2 Oct 2025" in card
    assert "Enligt plan." not in page  # only the latest report
    assert "Finished commissions" in page
    rows = queries.commissions()
    assert len(rows) == len(db.session.scalars(select(Commission)).all())


def test_every_new_page_has_a_title_naming_its_heading(client, as_role, users, commission):
    """Forms, histories and the overview each have a <h1> that the <title> repeats."""
    risk = followup.add_risk(users["admin"], commission, title="Risk", likelihood=1,
                             consequence=1)
    as_role("commission_lead")
    in_english(client)
    for url in ("/uppdrag/status", f"/uppdrag/{COMMISSION}/historik",
                "/atgarder/a25-implementeringsplan/historik", "/milstolpar/fm2025-bp2/historik",
                "/rekommendationer/r25-resurser/historik", f"/risker/{risk.id}/historik",
                "/atgarder/a25-implementeringsplan/redigera", f"/uppdrag/{COMMISSION}/atgarder/ny",
                f"/uppdrag/{COMMISSION}/rekommendationer/ny",
                "/rekommendationer/r25-resurser/redigera", f"/risker/{risk.id}/redigera"):
        page = _page(client, url)
        title = re.search(r"<title>(.*?)</title>", page, re.S)[1].strip()
        h1 = re.search(r"<h1>(.*?)</h1>", page, re.S)[1].strip()
        assert h1 and h1 in title, url


def test_a_status_report_without_a_comment_is_refused_next_to_the_field(client, as_role):
    """Without JavaScript the page comes back (422) with the report form open and marked."""
    as_role("commission_lead")
    in_english(client)
    response = client.post(f"/uppdrag/{COMMISSION}/statusrapporter", data={
        "csrf_token": csrf_token(client, "/"), "reported_on": "2025-10-02", "light": "at_risk",
        "comment": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 422 and "<h1>" in page
    assert '<details class="add-form" open>' in page
    field = re.search(r'<textarea[^>]*id="comment"[^>]*>', page)[0]
    assert 'aria-invalid="true"' in field and "comment-error" in field


def test_a_stale_risk_form_shows_the_conflict(client, as_role, users, commission):
    """Two people change one risk: the second sees the first one's values, nothing is lost."""
    risk = followup.add_risk(users["admin"], commission, title="Mandat", likelihood=2,
                             consequence=3)
    opened_at = risk.version
    followup.update_risk(users["admin"], risk, opened_at, status="mitigated")
    as_role("commission_lead")
    in_english(client)
    prefix = f"risk-{risk.id}-"
    response = client.post(f"/risker/{risk.id}/redigera", data={
        f"{prefix}csrf_token": csrf_token(client, "/"), f"{prefix}version": opened_at,
        f"{prefix}title": "Mandat", f"{prefix}likelihood": "2", f"{prefix}consequence": "3",
        f"{prefix}status": "closed"})
    page = response.get_data(as_text=True)
    assert response.status_code == 409
    assert '<th scope="row">Status</th><td>Mitigated</td><td>Closed</td>' in page
    assert risk.status == "mitigated"
