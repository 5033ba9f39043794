"""The map on the stored data: drawing data, coverage, exports, what-if and snapshots.

Everything that depends only on the stored map is cached per version of the map
(``portal.derived``), so one write invalidates all of it.
"""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from sqlalchemy import select

from portal.analysis.core import KINDS, analyze
from portal.audit.services import record
from portal.dates import today
from portal.exchange.validator import dump_document
from portal.extensions import db, derived
from portal.findings import services as findings_services
from portal.findings.services import current_settings, map_document, state_token
from portal.map import exports
from portal.map.compare import compare_documents
from portal.map.coverage import Matrix, coverage_matrix
from portal.map.graph import Filters, MapModel, build_model
from portal.map.observed import ObservedNetwork, observed_network, overlay
from portal.map.whatif import diff_findings, dissolve, merge
from portal.models import StructureSnapshot

if TYPE_CHECKING:
    from portal.models import User

CURRENT = "current"


def map_model(lang: str) -> MapModel:
    """The stored map prepared for drawing, with its findings marked."""
    return derived.cached(("map-model", state_token(), lang), lambda: build_model(
        map_document(), findings_services.findings(None, lang)["findings"]))


def _json(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def map_data(filters: Filters, lang: str) -> bytes:
    """The drawing data of the map for a filter, as JSON; the whole map is cached as it is."""
    def compute() -> bytes:
        if filters.network:
            return _json({"state": state_token(), **observed_elements(filters, lang)})
        return _json({"state": state_token(), **map_model(lang).elements(filters)})

    if filters == Filters():
        return derived.cached(("map-data", state_token(), lang), compute)
    if filters == Filters(network=filters.network):  # a checked mode, on the whole map
        return derived.cached(("map-data", state_token(), lang, filters.network, today()),
                              compute)
    return compute()


def observed(as_of: date | None = None) -> ObservedNetwork:
    """Who came to the forums' recorded meetings up to a date (today), per state of the map."""
    as_of = as_of or today()
    last = current_settings()["inactive_after_meetings"]
    return derived.cached(("observed", state_token(), as_of, last),
                          lambda: observed_network(map_document(), as_of, last))


def observed_elements(filters: Filters, lang: str) -> dict:
    """The drawing of a filter with its people and member edges as observed in meetings."""
    drawn = map_model(lang)
    elements = drawn.elements(replace(filters, people=True))
    return overlay(elements, observed(), filters.network, drawn.person_nodes)


def coverage() -> Matrix:
    """The coverage matrix of the stored map."""
    return derived.cached(("coverage", state_token()), lambda: coverage_matrix(map_document()))


def export(kind: str) -> bytes:
    """The stored map as ``graphml`` or ``gexf``."""
    write = {"graphml": exports.graphml, "gexf": exports.gexf}[kind]
    return derived.cached(("export", state_token(), kind), lambda: write(map_document()))


def whatif(action: str, forum: str, into: str | None, as_of: date | None, lang: str) -> dict:
    """The findings the map would have after merging or dissolving, without saving anything.

    :raise WhatIfError: for an unknown forum or an impossible merge.
    """
    doc = map_document()
    changed = merge(doc, forum, into or "") if action == "merge" else dissolve(doc, forum)
    before = findings_services.findings(as_of, lang)
    after = analyze(changed, as_of, before["settings"], lang)
    return {"before": before, "after": after,
            "diff": diff_findings(before["findings"], after["findings"]),
            "counts": _counts(before["findings"], after["findings"])}


def _counts(before: list[dict], after: list[dict]) -> list[tuple[str, int, int]]:
    """Per finding kind: how many before and after, for kinds with any."""
    rows = []
    for kind in KINDS:
        old = sum(1 for f in before if f["kind"] == kind)
        new = sum(1 for f in after if f["kind"] == kind)
        if old or new:
            rows.append((kind, old, new))
    return rows


def summary(doc: dict, findings: list[dict]) -> dict[str, Any]:
    """The counts a snapshot or a report opens with."""
    kinds = {kind: 0 for kind in KINDS}
    for finding in findings:
        kinds[finding["kind"]] += 1
    return {
        "forums": len(doc.get("forums") or []),
        "people": len(doc.get("people") or []),
        "organisations": len(doc.get("organisations") or []),
        "memberships": sum(len(f.get("members") or []) for f in doc.get("forums") or []),
        "findings": kinds,
    }


def save_snapshot(actor: User, name: str, lang: str) -> StructureSnapshot:
    """Store the current map and its findings under a name, record it and commit."""
    doc = map_document()
    result = findings_services.findings(None, lang)
    snapshot = StructureSnapshot(
        name=name.strip(), created_by_id=actor.id if actor is not None else None,
        document=json.loads(dump_document(doc, indent=None)), findings=result,
        summary=summary(doc, result["findings"]),
    )
    db.session.add(snapshot)
    db.session.flush()
    record(actor, "save_snapshot", "structure_snapshot", str(snapshot.id),
           after={"name": snapshot.name, **snapshot.summary})
    db.session.commit()
    return snapshot


def snapshots() -> list[tuple[int, str, Any, dict, str | None]]:
    """Every snapshot, newest first: id, name, time, summary and who saved it."""
    from portal.models import User

    rows = db.session.execute(
        select(StructureSnapshot.id, StructureSnapshot.name, StructureSnapshot.created_at,
               StructureSnapshot.summary, User.email)
        .outerjoin(User, User.id == StructureSnapshot.created_by_id)
        .order_by(StructureSnapshot.created_at.desc(), StructureSnapshot.id.desc())
    ).all()
    return [tuple(row) for row in rows]


def _side(ref: str) -> tuple[dict, str] | None:
    """The document of a snapshot id or of the current map, with its name; None if unknown."""
    if ref == CURRENT:
        return map_document(), CURRENT
    if not ref.isdigit():
        return None
    row = db.session.execute(
        select(StructureSnapshot.document, StructureSnapshot.name)
        .where(StructureSnapshot.id == int(ref))
    ).first()
    return (row[0], row[1]) if row else None


def _known(*refs: str) -> bool:
    """True when every reference is the current map or a stored snapshot's id."""
    ids = {int(ref) for ref in refs if ref != CURRENT and ref.isdigit()}
    if any(ref != CURRENT and not ref.isdigit() for ref in refs):
        return False
    found = set(db.session.scalars(
        select(StructureSnapshot.id).where(StructureSnapshot.id.in_(ids)))) if ids else set()
    return found == ids


def compare(first: str, second: str, as_of: date | None, lang: str) -> dict | None:
    """What changed from one snapshot (or the current map) to another; None if one is unknown.

    Both sides are analysed again with the same as-of date and thresholds, so that the
    findings differ only where the structure does.
    """
    if not _known(first, second):
        return None  # unknown references never make a cache entry
    version = state_token() if CURRENT in (first, second) else "snapshots"
    key = ("compare", version, first, second, as_of, lang)

    def compute() -> dict | None:
        sides = [_side(first), _side(second)]
        if None in sides:
            return None
        settings = current_settings()
        (old, old_name), (new, new_name) = sides
        old_findings = analyze(old, as_of, settings, lang)["findings"]
        new_findings = analyze(new, as_of, settings, lang)["findings"]
        return {"names": (old_name, new_name),
                **compare_documents(old, new, old_findings, new_findings)}

    return derived.cached(key, compute)
