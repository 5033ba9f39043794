"""The collaboration map: the drawing, its data, the detail panel, the text view and exports."""

from __future__ import annotations

from flask import Response, abort, render_template, request
from sqlalchemy.orm import selectinload

from portal.directory import queries
from portal.extensions import derived
from portal.findings.services import map_document, metrics
from portal.findings.web import finding_context
from portal.labels import LABELS
from portal.map import (  # noqa: F401 - importing the other views adds them to the blueprint
    routes_time,
    services,
)
from portal.map.blueprint import (
    bp,
    current_filters,
    filter_args,
    filter_options,
    findings_about,
    lang,
    map_findings,
    model,
)
from portal.models import Forum, Person
from portal.paging import slice_of
from portal.views import get_by_key, page_number, plain_query, render, wants_fragment

TEXT_PER_PAGE = 50
EXPORT_TYPES = {"graphml": "application/graphml+xml", "gexf": "application/gexf+xml"}


@bp.get("/karta")
def index():
    """The interactive map, its filters, legend, findings and detail panel.

    The same for everyone: with a filter of known values (no organisation or focus typed in)
    its content is rendered once per version of the map and language (portal.derived).
    """
    filters = current_filters()

    def context() -> dict:
        drawn = model()
        focus = drawn.focus(filters.focus) if filters.focus else None
        return {
            "filters": filters, "filter_args": filter_args, "options": filter_options(),
            "findings": map_findings(drawn, filters),
            "forum_count": len(drawn.select(filters)), "focus": focus,
            "focused": drawn.findings.get(filters.focus), **finding_context(),
            "level_names": {k: str(v) for k, v in LABELS["forum_level"].items()},
            "kind_names": {k: str(v) for k, v in LABELS["forum_kind"].items()},
        }

    plain = plain_query(area=filters.area, level=filters.level, kind=filters.kind,
                        people="1" if filters.people else None,
                        organisations="1" if filters.organisations else None)
    if filters.organisation or filters.focus or wants_fragment() or not plain:
        return render("map/index.html", "map/_findings.html", **context())
    content = derived.html(
        "map-page", filters.area, filters.level, filters.kind, filters.people,
        filters.organisations, render=lambda: render_template("map/_index.html", **context()))
    return render("map/index.html", content=content)


@bp.get("/karta/data.json")
def data():
    """The nodes, edges and positions to draw, as JSON (the whole map is cached)."""
    body = services.map_data(current_filters(), lang())
    return Response(body, mimetype="application/json")


@bp.get("/karta/gemenskaper.json")
def communities():
    """Which community each forum belongs to, for grouping the drawn map (asked for lazily:
    the metrics are slow on a large map and only this grouping needs them)."""
    forums = {key: value["community"] for key, value in metrics()["forums"].items()}
    return {"forums": forums}


@bp.get("/karta/forum/<key>")
def forum(key: str):
    """The detail panel of a forum: mandate, members, decisions and findings."""
    obj = get_by_key(Forum, key, selectinload(Forum.areas), selectinload(Forum.reports_to))
    return render(
        "map/panel.html", "map/_forum.html", panel="map/_forum.html", forum=obj,
        about=findings_about("forum", key),
        **queries.forum_detail(obj), **finding_context(),
    )


@bp.get("/karta/person/<key>")
def person(key: str):
    """The detail panel of a person: organisation, forums and findings."""
    obj = get_by_key(Person, key, selectinload(Person.organisation))
    return render(
        "map/panel.html", "map/_person.html", panel="map/_person.html", person=obj,
        about=findings_about("person", key),
        **queries.person_detail(obj), **finding_context(),
    )


@bp.get("/karta/fynd")
def finding():
    """The detail panel of a finding: the forums it names and the people they share.

    :raise 404: for a finding the map does not have.
    """
    drawn = model()
    key = request.args.get("id", "")
    found = drawn.findings.get(key)
    if found is None:
        abort(404)
    return render("map/panel.html", "map/_finding.html", panel="map/_finding.html",
                  focused=found, focus=drawn.focus(key), **finding_context())


@bp.get("/karta/text")
def text():
    """The map as navigable tables: forums, reporting lines, members and findings."""
    filters = current_filters()
    drawn = model()
    keys = drawn.select(filters)
    forums = {f["key"]: f for f in map_document()["forums"]}
    page_keys, page = slice_of(keys, page_number(), TEXT_PER_PAGE)
    shown = [forums[k] for k in page_keys]
    return render(
        "map/text.html", "map/_text_rows.html",
        filters=filters, filter_args=filter_args, options=filter_options(), rows=shown,
        total=len(keys), page=page, per_page=TEXT_PER_PAGE, forums=forums,
        findings=map_findings(drawn, filters), drawn=drawn, **finding_context(),
        observed=services.observed() if filters.network else None,
    )


@bp.get("/karta/export.<kind>")
def export(kind: str):
    """The whole map as GraphML or GEXF, to open in Gephi or a similar tool.

    :raise 404: for another format.
    """
    if kind not in EXPORT_TYPES:
        abort(404)
    response = Response(services.export(kind), mimetype=EXPORT_TYPES[kind])
    response.headers["Content-Disposition"] = f'attachment; filename="samverkanskarta.{kind}"'
    return response
