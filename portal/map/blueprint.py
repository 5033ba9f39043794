"""The map's blueprint and what its views share: the permission gate and the page context."""

from __future__ import annotations

from flask import Blueprint, abort, request
from flask_babel import get_locale
from flask_login import current_user

from portal.auth.permissions import can_view_map
from portal.findings import services as findings_services
from portal.findings.scope import entities
from portal.findings.services import map_document
from portal.map import services
from portal.map.forms import NETWORK_NAMES, parse_filters
from portal.map.graph import MAP_KINDS, Filters, MapModel
from portal.map.whatif import finding_key
from portal.models.forum import FORUM_KINDS, FORUM_LEVELS

bp = Blueprint("map", __name__)
FINDINGS_PER_KIND = 10


@bp.before_request
def _may_view():
    """Every view of the map is for roles that may read the map (sign-in is checked before)."""
    if not can_view_map(current_user):
        abort(403)


def lang() -> str:
    """The user's language, for finding messages."""
    return str(get_locale())


def current_filters() -> Filters:
    """The filters of this request."""
    return parse_filters(request.args, {a["key"] for a in map_document()["areas"]})


def filter_options() -> dict:
    """The choices of the filter form."""
    doc = map_document()
    return {
        "areas": sorted(doc["areas"], key=lambda a: a["name"]),
        "levels": FORUM_LEVELS,
        "kinds": FORUM_KINDS,
        "organisations": sorted(doc["organisations"], key=lambda o: o["name"]),
    }


def filter_args(filters: Filters, **changes) -> dict[str, str]:
    """The query arguments of a filter, for links that keep it."""
    values = {"area": filters.area, "level": filters.level, "kind": filters.kind,
              "organisation": filters.organisation, "people": "1" if filters.people else "",
              "organisations": "1" if filters.organisations else "", "focus": filters.focus,
              "natverk": NETWORK_NAMES[filters.network] if filters.network else ""}
    values.update(changes)
    return {name: value for name, value in values.items() if value}


def map_findings(model: MapModel, filters: Filters) -> list[tuple[str, list[dict], int]]:
    """The findings the map draws, per kind, limited to the forums the filter keeps."""
    kept = set(model.select(filters)) if filters.narrows else None
    found = []
    by_kind: dict[str, list[dict]] = {kind: [] for kind in MAP_KINDS}
    for finding in findings_services.findings(None, lang())["findings"]:
        if finding["kind"] not in MAP_KINDS:
            continue
        focus = model.focus(finding_key(finding))
        if kept is None or kept & set(focus["forums"]):
            by_kind[finding["kind"]].append(finding)
    for kind, items in by_kind.items():
        found.append((kind, items[:FINDINGS_PER_KIND], len(items)))
    return found


def findings_about(entity: str, key: str) -> list[dict]:
    """The findings (in the user's language) that name an entity."""
    return [f for f in findings_services.findings(None, lang())["findings"]
            if (entity, key) in entities(f)]


def model() -> MapModel:
    """The map prepared for drawing."""
    return services.map_model(lang())
