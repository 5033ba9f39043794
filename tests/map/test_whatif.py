"""What-if: merging and dissolving forums on a copy of the map, and the preview page."""

from __future__ import annotations

import copy
import re

import pytest
from sqlalchemy import func, select

from portal.analysis.core import analyze
from portal.map.whatif import WhatIfError, diff_findings, dissolve, finding_key, merge
from portal.models import AuditEntry, Forum, ForumMembership, StructureSnapshot
from tests.map.helpers import small_map


def _kinds(doc) -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for finding in analyze(doc)["findings"]:
        found.setdefault(finding["kind"], set()).add(finding_key(finding))
    return found


def test_merging_a_parallel_pair_resolves_it_and_leaves_the_map_untouched():
    """After merging a into b there is no parallel pair; the document given is unchanged."""
    doc = small_map()
    before = copy.deepcopy(doc)
    assert "parallel_structure:a+b" in _kinds(doc)["parallel_structure"]
    merged = merge(doc, "a", "b")
    assert doc == before
    assert "a" not in {f["key"] for f in merged["forums"]}
    b = next(f for f in merged["forums"] if f["key"] == "b")
    assert b["areas"] == ["kont", "rehab"]
    assert {m["person"] for m in b["members"]} == {"p1", "p2", "p3", "p5"}
    assert "parallel_structure" not in _kinds(merged)


def test_merge_moves_reporting_lines_actions_and_decisions():
    """Forums, actions and decisions of the absorbed forum go to the one that remains."""
    doc = small_map()
    doc["forums"].append({**doc["forums"][3], "key": "under-a", "reports_to": "a"})
    doc["actions"] = [{"key": "act", "title": "T", "owner_forum": "a", "areas": []}]
    doc["decisions"] = [{"key": "d", "title": "D", "forum": "a", "actions": []}]
    merged = merge(doc, "a", "b")
    assert next(f for f in merged["forums"] if f["key"] == "under-a")["reports_to"] == "b"
    assert merged["actions"][0]["owner_forum"] == "b"
    assert merged["decisions"][0]["forum"] == "b"
    assert doc["actions"][0]["owner_forum"] == "a"


def test_dissolving_moves_the_forums_below_up_a_level():
    """Forums that reported to a dissolved forum report where it did; its decisions go."""
    doc = small_map()
    doc["forums"].append({**doc["forums"][3], "key": "under-a", "reports_to": "a"})
    doc["actions"] = [{"key": "act", "title": "T", "owner_forum": "a", "areas": ["rehab"],
                       "status": "planned"}]
    gone = dissolve(doc, "a")
    assert next(f for f in gone["forums"] if f["key"] == "under-a")["reports_to"] == "top"
    assert gone["actions"][0]["owner_forum"] is None
    assert "unowned_action:act" in _kinds(gone)["unowned_action"]
    dissolved_top = dissolve(doc, "top")
    orphans = _kinds(dissolved_top)["orphan_forum"]
    assert {"orphan_forum:a", "orphan_forum:b"} <= orphans


@pytest.mark.parametrize(("action", "args"), [
    (merge, ("a", "a")), (merge, ("a", "nope")), (dissolve, ("nope",))])
def test_impossible_changes_are_refused(action, args):
    """A forum merged with itself, or an unknown forum, raises WhatIfError."""
    with pytest.raises(WhatIfError):
        action(small_map(), *args)


def test_diff_findings_by_kind_and_subject():
    """Findings match by kind and subject keys, not by message."""
    old = [{"kind": "orphan_forum", "forum": "x", "message": "a"},
           {"kind": "overloaded_person", "person": "p", "message": "b"}]
    new = [{"kind": "orphan_forum", "forum": "x", "message": "changed"},
           {"kind": "uncovered_area", "area": "y", "message": "c"}]
    diff = diff_findings(old, new)
    assert [f["kind"] for f in diff["resolved"]] == ["overloaded_person"]
    assert [f["kind"] for f in diff["new"]] == ["uncovered_area"]
    assert len(diff["remaining"]) == 1


def _rows(db) -> tuple[int, ...]:
    return tuple(db.session.scalar(select(func.count()).select_from(model))
                 for model in (Forum, ForumMembership, AuditEntry, StructureSnapshot))


def test_preview_page_shows_the_change_and_writes_nothing(client, db, demo, signed_in):
    """Previewing a merge of the demo's parallel pair lists it as resolved; no row changes."""
    signed_in("leadership")
    before = _rows(db)
    response = client.get("/karta/vad-om?action=merge&forum=rlg-nv&into=rsg-nv")
    assert response.status_code == 200
    page = response.get_data(as_text=True)
    resolved = page.split('class="findings compact resolved"')[1].split("</ul>")[0]
    assert "Regionintern länsgrupp för nära vård" in resolved
    assert _rows(db) == before


def test_preview_page_refuses_a_merge_with_itself(client, db, demo, signed_in):
    """Merging a forum with itself answers 400 with a message, not an error page."""
    signed_in("leadership")
    response = client.get("/karta/vad-om?action=merge&forum=lsg&into=lsg")
    assert response.status_code == 400
    assert re.search(r'class="errors" role="alert"', response.get_data(as_text=True))


def test_dissolve_preview_as_htmx_fragment(client, db, demo, signed_in):
    """With htmx the preview answers only the result fragment."""
    signed_in("viewer")
    response = client.get("/karta/vad-om?action=dissolve&forum=lsg",
                          headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<html" not in page
    assert "wi-new" in page
    assert "HX-Request" in response.headers["Vary"]
