"""The findings in the portal: CLI, API, page, settings and the cache."""

from __future__ import annotations

import json
import re

import pytest

from portal.analysis.core import DEFAULT_SETTINGS, analyze
from portal.exchange.exporter import export_document
from portal.exchange.services import import_text

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


def _token(client, path="/") -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf-token" content="([^"]+)"', page).group(1)


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
    assert {"parallel_structure", "missing_principal", "uncovered_area"} <= kinds


@pytest.mark.parametrize("value", ["2026-13-01", "23/11/2026", "2026-1-1", "x"])
def test_api_findings_malformed_date_is_400_json(client, db, signed_in, value):
    """A malformed as_of answers 400 with a JSON error that names the parameter."""
    signed_in("viewer")
    response = client.get(f"/api/v1/findings?as_of={value}")
    assert response.status_code == 400
    assert response.get_json()["error"].startswith("as_of:")


def test_api_findings_follow_the_users_language(client, db, demo, signed_in):
    """Messages are Swedish by default and English after switching language."""
    signed_in("viewer")
    sv = client.get(f"/api/v1/findings?as_of={AS_OF}").get_json()
    client.post("/language", data={"lang": "en", "csrf_token": _token(client)})
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
    assert "/organisationer/asele" in page
    assert "/fokusomraden/tillganglighet" in page


def test_findings_page_filters(client, db, demo, signed_in):
    """Filtering by kind, area or organisation narrows the findings shown."""
    signed_in("leadership")
    only_parallel = client.get(f"/analys?as_of={AS_OF}&kind=parallel_structure").get_data(
        as_text=True)
    assert 'id="parallel_structure"' in only_parallel
    assert 'id="missing_principal"' not in only_parallel
    asele = client.get(f"/analys?as_of={AS_OF}&organisation=asele").get_data(as_text=True)
    assert 'id="missing_principal"' in asele
    assert "/organisationer/asele" in asele
    assert "/organisationer/mala" not in asele.split('id="findings-results"')[1]
    rehab = client.get(f"/analys?as_of={AS_OF}&area=rehab&kind=missing_principal").get_data(
        as_text=True)
    results = rehab.split('id="findings-results"')[1]
    assert "/fokusomraden/rehab" in results and "/fokusomraden/kompetens" not in results


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
        "csrf_token": _token(client, "/admin/installningar")})
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
        "csrf_token": _token(client, "/admin/installningar")})
    assert response.status_code == 400
    assert 'id="parallel_min_overlap-error"' in response.get_data(as_text=True)


@pytest.mark.parametrize("role", ["leadership", "commission_lead", "forum_member", "viewer"])
def test_only_admins_change_thresholds(client, db, signed_in, role):
    """Other roles are refused the settings page and its form."""
    signed_in(role)
    assert client.get("/admin/installningar").status_code == 403
    response = client.post("/admin/installningar", data={
        "parallel_min_overlap": "0.4", "overload_min_forums": "2",
        "csrf_token": _token(client)})
    assert response.status_code == 403


def test_demo_findings_are_what_the_region_found(db, demo):
    """The demo shows parallel structures and gaps a regional leader would recognise."""
    from datetime import date

    doc = analyze(export_document(db.session), date(2026, 11, 23))
    by_kind: dict[str, list] = {}
    for finding in doc["findings"]:
        by_kind.setdefault(finding["kind"], []).append(finding)
    assert ["rlg-nv", "rsg-nv"] in [f["forums"] for f in by_kind["parallel_structure"]]
    assert {f["organisation"] for f in by_kind["missing_principal"]} >= {"asele", "sorsele"}
    assert [f["area"] for f in by_kind["uncovered_area"]] == ["tillganglighet"]
    assert {f["milestone"] for f in by_kind["overdue_milestone"]} == {"fm2025-bp2", "fm2025-bp3"}
    assert by_kind["unowned_action"]


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
    client.post("/language", data={"lang": "en", "csrf_token": _token(client)})
    english = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert "Nobody is responsible" in english and "Ingen har ansvaret" not in english
    assert _messages(english, "uncovered_area") != _messages(before, "uncovered_area")
    import_text(json.dumps(ACCESSIBILITY_FORUM), None)
    after = client.get(f"/analys?as_of={AS_OF}").get_data(as_text=True)
    assert 'id="uncovered_area"' not in after
