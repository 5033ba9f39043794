"""A forum's `scope` (the municipalities a local forum serves) informs; it changes no finding
(docs/analysis.md, second round)."""

from __future__ import annotations

import json
from datetime import date

import pytest

from portal.analysis.core import analyze
from portal.exchange.exporter import export_document
from portal.exchange.services import import_text

AS_OF = (date(2025, 11, 1), date(2026, 11, 23))


def _findings(db) -> dict[date, list[dict]]:
    document = export_document(db.session)
    return {as_of: analyze(document, as_of)["findings"] for as_of in AS_OF}


def _import_scopes(db, scope_of) -> dict[str, list[str]]:
    """Import every forum again with the scope `scope_of(forum)`; the scopes now stored."""
    forums = export_document(db.session)["forums"]
    for forum in forums:
        forum["scope"] = scope_of(forum)
    import_text(json.dumps({"format": "samverkan/1", "forums": forums}), None)
    return {f["key"]: f.get("scope", []) for f in export_document(db.session)["forums"]}


@pytest.mark.parametrize("change", ["every municipality everywhere", "none anywhere"])
def test_scope_changes_no_finding(db, demo, change):
    """Giving every forum all fifteen municipalities as its scope, or taking every scope away,
    leaves the findings exactly as they were, at the demo's date and a year later."""
    municipalities = sorted(o["key"] for o in export_document(db.session)["organisations"]
                            if o["kind"] == "municipality")
    before = _findings(db)
    assert before[AS_OF[0]] and before[AS_OF[1]]  # something to compare
    wanted = municipalities if change.startswith("every") else []
    stored = _import_scopes(db, lambda forum: wanted)
    assert all(sorted(scope) == wanted for scope in stored.values())
    assert _findings(db) == before
