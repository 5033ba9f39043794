"""What the analysis pages and the map's pages share to name and link the entities of findings."""

from __future__ import annotations

from flask import current_app, url_for

from portal.findings.kinds import NAMES
from portal.findings.scope import entities
from portal.findings.services import map_lookup
from portal.map.graph import MAP_KINDS
from portal.map.whatif import finding_key

ENTITY_ENDPOINTS = {
    "forum": ("directory.forum", "key"),
    "organisation": ("directory.organisation", "key"),
    "area": ("directory.area", "key"),
    "person": ("directory.person", "key"),
    "action": ("commissions.action", "key"),
}


def entity_url(kind: str, key: str, lookup) -> str | None:
    """The page of an entity a finding names."""
    if kind in ENTITY_ENDPOINTS:
        endpoint, arg = ENTITY_ENDPOINTS[kind]
        return url_for(endpoint, **{arg: key})
    if kind == "meeting":  # the meeting's own page, where the portal has one
        if "meetings.detail" in current_app.view_functions:
            return url_for("meetings.detail", key=key)
        return None
    if kind == "milestone":
        milestone = lookup.milestone.get(key)
        return url_for("commissions.detail", key=milestone["commission"]) if milestone else None
    if kind == "recommendation":
        rec = lookup.recommendation.get(key)
        if rec and rec.get("commission"):
            return url_for("commissions.detail", key=rec["commission"]) + "#recs"
    return None



def finding_context() -> dict:
    """What the finding templates need to name and link entities."""
    return {"names": NAMES, "lookup": map_lookup(), "entities": entities,
            "entity_url": entity_url, "finding_key": finding_key, "marks": MAP_KINDS}
