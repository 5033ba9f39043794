"""The findings in the portal: CLI, API, page, settings and the cache."""

from __future__ import annotations

import json
import re

import pytest

from portal.analysis.core import DEFAULT_SETTINGS, analyze
from portal.exchange.exporter import export_document
from portal.exchange.services import import_text
from tests.helpers import csrf_token

AS_OF = "2026-11-23"
# A forum for the one focus area of the demo that no forum has (an uncovered_area finding).
ACCESSIBILITY_FORUM = {
    "format": "samverkan/1",
    "forums": [{"key": "ny-tillganglighet", "name": "Tillgänglighetsgruppen",
                "kind": "working_group", "level": "county", "reports_to": "lsg",
                "areas": ["tillganglighet"]}],
}


def _thresholds(**changed) -> dict:
    """The settings form's fields: the defaults, with some changed."""
    return {**{name: str(value) for name, value in DEFAULT_SETTINGS.items()}, **changed}

def test_cli_json_is_the_spec_document(runner, db, demo):
    """`flask analyze --json --as-of` prints the samverkan-findings/1 document."""
    result = runner.invoke(args=["analyze", "--json", "--as-of", AS_OF])
    assert result.exit_code == 0, result.output
    doc = json.loads(result.output)
    assert doc["format"] == "samverkan-findings/1"
    assert doc["as_of"] == AS_OF
    assert doc["settings"] == DEFAULT_SETTINGS
    from datetime import date

    assert doc == analyze(export_document(db.session), date(2026, 11, 23))


def test_cli_thresholds_and_language(runner, db, demo):
    """--overload-min-forums and --lang change the result as asked."""
    strict = json.loads(runner.invoke(args=[
        "analyze", "--json", "--as-of", AS_OF, "--overload-min-forums", "3", "--lang", "en",
    ]).output)
    default = json.loads(runner.invoke(args=["analyze", "--json", "--as-of", AS_OF]).output)
    count = lambda d: sum(f["kind"] == "overloaded_person" for f in d["findings"])  # noqa: E731
    assert count(strict) > count(default)
    assert strict["settings"]["overload_min_forums"] == 3
    assert "Läs" not in strict["findings"][0]["message"]


def test_cli_summary_table(runner, db, demo):
    """Without --json the command prints a table of counts per kind."""
    result = runner.invoke(args=["analyze", "--as-of", AS_OF])
    assert result.exit_code == 0
    assert re.search(r"parallel_structure\s+2", result.output)
    assert "total" in result.output


def test_cli_refuses_a_bad_threshold(runner, db, demo):
    """An overlap outside (0, 1] is refused with the setting's name."""
    result = runner.invoke(args=["analyze", "--parallel-min-overlap", "1.5"])
    assert result.exit_code != 0
    assert "parallel_min_overlap" in result.output


def test_api_findings(client, db, demo, signed_in):
    """The API returns the same document to a signed-in user."""
    signed_in("viewer")
    response = client.get(f"/api/v1/findings?as_of={AS_OF}")
    assert response.status_code == 200
    doc = response.get_json()
    assert doc["format"] == "samverkan-findings/1"
    kinds = {f["kind"] for f in doc["findings"]}
    assert {"parallel_structure", "orphan_forum", "uncovered_area"} <= kinds


@pytest.mark.parametrize("value", ["2026-13-01", "23/11/2026", "2026-1-1", "x"])
def test_api_findings_malformed_date_is_400_json(client, db, signed_in, value):
    """A malformed as_of answers 400 with a JSON error that names the parameter."""
    signed_in("viewer")
    response = client.get(f"/api/v1/findings?as_of={value}")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("as_of:")


@pytest.mark.parametrize("value", ["9999-12-31", "1899-12-31", "0001-01-01"])
def test_api_findings_as_of_outside_the_portals_range_is_400_json(client, db, signed_in, value):
    """A real date outside 1900-01-01..2199-12-31 is refused with the range, in Swedish."""
    signed_in("viewer")
    response = client.get(f"/api/v1/findings?as_of={value}")
    assert response.status_code == 400
    assert response.get_json()["error"] == (
        "as_of: Ange ett datum från 1900-01-01 till 2199-12-31.")
    page = client.get(f"/analys?as_of={value}")
    assert page.status_code == 400
    assert "Ange ett datum från 1900-01-01 till 2199-12-31." in page.get_data(as_text=True)


def test_api_findings_follow_the_users_language(client, db, demo, signed_in):
    """Messages are Swedish by default and English after switching language."""
    signed_in("viewer")
    sv = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    en = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    assert sv["findings"][0]["message"] != en["findings"][0]["message"]
    assert [f["kind"] for f in sv["findings"]] == [f["kind"] for f in en["findings"]]


def test_api_findings_needs_sign_in(client):
    """Signed out, the findings API answers 401."""
    assert client.get("/api/v1/findings").status_code == 401


def test_findings_page_groups_explains_and_links(client, db, demo, signed_in):
    """The page groups findings by kind, says why each matters, and links to the entities."""
    signed_in("leadership")
    page = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert "<h1>Analys</h1>" in page and "Ingen har ansvaret" in page
    assert 'id="parallel_structure"' in page
    assert "/forum/rlg-nv" in page and "/forum/rsg-nv" in page
    assert "/forum/ag-kompetensplan" in page
    assert "/fokusomraden/tillganglighet" in page


def test_findings_page_filters(client, db, demo, signed_in):
    """Filtering by kind, area or organisation narrows the findings shown."""
    # a forum for accessibility with no municipality in it: every principal is missing there
    import_text(json.dumps(ACCESSIBILITY_FORUM), None)
    signed_in("leadership")
    only_parallel = client.get(f"/analys?as_of={AS_OF}&kind=parallel_structure").get_data(
        as_text=True)
    assert 'id="parallel_structure"' in only_parallel
    assert 'id="missing_principal"' not in only_parallel
    asele = client.get(f"/analys?as_of={AS_OF}&organisation=asele").get_data(as_text=True)
    assert 'id="missing_principal"' in asele
    assert "/organisationer/asele" in asele
    assert "/organisationer/mala" not in asele.split('id="findings-results"')[1]
    access = client.get(
        f"/analys?as_of={AS_OF}&area=tillganglighet&kind=missing_principal").get_data(as_text=True)
    results = access.split('id="findings-results"')[1]
    assert "/fokusomraden/tillganglighet" in results and "/fokusomraden/rehab" not in results


def test_findings_page_htmx_gets_the_results_only(client, db, demo, signed_in):
    """An htmx filter request gets the results fragment."""
    signed_in("viewer")
    response = client.get("/analys?kind=uncovered_area", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert "<html" not in page and "tillganglighet" in page


def test_findings_are_recomputed_after_a_write(client, db, demo, signed_in):
    """After an import that fixes a gap, the cached findings change."""
    signed_in("viewer")
    before = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    assert any(f["kind"] == "uncovered_area" for f in before["findings"])
    import_text(json.dumps(ACCESSIBILITY_FORUM), None)
    after = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    assert not any(f["kind"] == "uncovered_area" for f in after["findings"])


def test_admin_changes_thresholds(client, db, demo, signed_in):
    """An admin lowers the overload threshold; findings follow; the change is audited."""
    from sqlalchemy import select

    from portal.models import AuditEntry

    signed_in("admin")
    response = client.post("/admin/installningar", data={
        **_thresholds(parallel_min_overlap="0,5", overload_min_forums="3"),
        "csrf_token": csrf_token(client, "/admin/installningar")})
    assert response.status_code == 303
    doc = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    assert doc["settings"]["overload_min_forums"] == 3
    entry = db.session.scalar(select(AuditEntry).where(AuditEntry.entity_type == "setting"))
    assert entry.before["overload_min_forums"] == 6 and entry.after["overload_min_forums"] == 3


def test_bad_threshold_is_shown_next_to_the_field(client, db, signed_in):
    """An overlap above 1 re-renders the form with the error next to the field."""
    signed_in("admin")
    response = client.post("/admin/installningar", data={
        **_thresholds(parallel_min_overlap="1.5"),
        "csrf_token": csrf_token(client, "/admin/installningar")})
    assert response.status_code == 400
    assert 'id="parallel_min_overlap-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["leadership", "commission_lead", "forum_member", "viewer"])
def test_only_admins_change_thresholds(client, db, signed_in, role):
    """Other roles are refused the settings page and its form."""
    signed_in(role)
    assert client.get("/admin/installningar").status_code == 403
    response = client.post("/admin/installningar", data={
        "parallel_min_overlap": "0.4", "overload_min_forums": "2",
        "csrf_token": csrf_token(client, "/")})
    assert response.status_code == 403


def test_demo_findings_are_what_the_region_found(db, demo):
    """The demo's findings as of 2025-11-01 are exactly those docs/demo-findings.md explains."""
    from datetime import date

    from portal.analysis.findings import KINDS

    doc = analyze(export_document(db.session), date(2025, 11, 1))
    found = {(f["kind"], tuple(f[k] if isinstance(f[k], str) else tuple(f[k])
                               for k in SUBJECTS[f["kind"]]))
             for f in doc["findings"]}
    expected = {(kind, subject) for kind, subject in DEMO_FINDINGS if kind in KINDS}
    assert found == expected


SUBJECTS = {
    "parallel_structure": ("forums",), "uncovered_area": ("area",),
    "missing_principal": ("organisation", "area"), "orphan_forum": ("forum",),
    "reporting_cycle": ("forums",), "single_point_of_failure": ("person",),
    "overloaded_person": ("person",), "unowned_action": ("action",),
    "owner_without_mandate": ("action",), "stalled_recommendation": ("recommendation",),
    "overdue_milestone": ("milestone",), "overdue_action": ("action",),
    "absent_principal": ("organisation", "forum"), "inactive_member": ("person", "forum"),
    "dormant_forum": ("forum",), "unapproved_minutes": ("meeting",),
}
# docs/demo-findings.md, one sentence each; the last four kinds come from illustrative meetings.
# No single point of failure or overloaded person: the documents give no one's forums.
DEMO_FINDINGS = [
    ("parallel_structure", (("lg-hc-lan", "lpo-pv"),)),
    ("parallel_structure", (("rlg-nv", "rsg-nv"),)),
    ("uncovered_area", ("tillganglighet",)),
    ("orphan_forum", ("ag-kompetensplan",)),
    ("stalled_recommendation", ("r-lansforum-fortroendevalda",)),
    ("overdue_milestone", ("fm2025-bp2",)),
    ("overdue_milestone", ("fm2025-bp3",)),
    ("overdue_milestone", ("fm2025-ms1",)),
    ("overdue_action", ("a25-implementeringsplan",)),
    ("absent_principal", ("asele", "lsg")),
    ("absent_principal", ("sorsele", "lsg")),
    ("inactive_member", ("mikael-hellstrom", "rlg-nv")),
    ("dormant_forum", ("gp-primarvard",)),
    ("unapproved_minutes", ("lsg-2025-10-16",)),
]


def _messages(page: str, kind: str) -> list[str]:
    """The messages of the findings of one kind on a page, in order."""
    section = page.split(f'id="{kind}"', 1)[1].split("</section>", 1)[0]
    return re.findall(r'<li class="finding">\s*<p>([^<]+)</p>', section)


def test_overview_shows_a_few_of_each_kind_and_links_to_the_rest(client, db, demo, signed_in,
                                                                  monkeypatch):
    """The overview lists the first few findings of a kind and links to all of them."""
    from portal.findings import routes

    monkeypatch.setattr(routes, "PREVIEW", 1)
    signed_in("leadership")
    doc = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    kind, count = max(((k, sum(f["kind"] == k for f in doc["findings"]))
                       for k in {f["kind"] for f in doc["findings"]}), key=lambda kc: kc[1])
    assert count >= 2, "the demo has a kind with several findings"
    page = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert len(_messages(page, kind)) == 1
    assert f'href="/analys?kind={kind}&amp;as_of={AS_OF}"' in page
    assert f"({count})" in page.split(f'id="{kind}"', 1)[1]
    everything = client.get(f"/analys?kind={kind}&as_of={AS_OF}").get_data(as_text=True)
    assert len(_messages(everything, kind)) == count


def test_one_kind_is_paged(client, db, demo, signed_in, monkeypatch):
    """Chosen alone, a kind's findings come a page at a time with links between the pages."""
    from portal.findings import routes

    monkeypatch.setattr(routes, "PER_PAGE", 1)
    signed_in("leadership")
    doc = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    kind = next(k for k in {f["kind"] for f in doc["findings"]}
                if sum(f["kind"] == k for f in doc["findings"]) >= 2)
    first = client.get(f"/analys?kind={kind}&as_of={AS_OF}").get_data(as_text=True)
    second = client.get(f"/analys?kind={kind}&as_of={AS_OF}&page=2").get_data(as_text=True)
    assert len(_messages(first, kind)) == len(_messages(second, kind)) == 1
    assert _messages(first, kind) != _messages(second, kind)
    assert 'rel="next"' in first and 'rel="prev"' in second


def test_the_cached_page_follows_writes_and_language(client, db, demo, signed_in):
    """The list rendered once per state changes after a write, and each language has its own."""
    signed_in("leadership")
    before = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert 'id="uncovered_area"' in before
    client.post("/language", data={"lang": "en", "csrf_token": csrf_token(client, "/")})
    english = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert "Nobody is responsible" in english and "Ingen har ansvaret" not in english
    assert _messages(english, "uncovered_area") != _messages(before, "uncovered_area")
    import_text(json.dumps(ACCESSIBILITY_FORUM), None)
    after = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert 'id="uncovered_area"' not in after


@pytest.mark.parametrize("value", ["0001-01-05", "1899-12-31", "2200-01-01", "9999-12-31"])
def test_cli_refuses_an_as_of_outside_the_portals_range(runner, db, value):
    """A real date outside 1900-01-01..2199-12-31 is a usage error naming --as-of, no traceback."""
    result = runner.invoke(args=["analyze", "--as-of", value])
    assert result.exit_code == 2
    assert "--as-of" in result.output
    assert "1900-01-01" in result.output and "2199-12-31" in result.output
    assert "Traceback" not in result.output and not isinstance(result.exception, OverflowError)
