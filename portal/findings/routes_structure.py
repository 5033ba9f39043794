"""Leadership's views of the structure: coverage matrix, brokers and communities, the report."""

from __future__ import annotations

from datetime import date

from flask import abort, render_template, request
from flask_babel import get_locale

from portal.extensions import derived
from portal.findings import bp
from portal.findings import services as findings_services
from portal.findings.kinds import GROUPS, NAMES, WHY
from portal.findings.services import map_document, metrics
from portal.findings.web import finding_context
from portal.map import services
from portal.views import render, wants_fragment

TOP = 20
REPORT_PER_KIND = 25


def _names() -> dict[tuple[str, str], str]:
    return finding_context()["lookup"].names


@bp.get("/analys/tackning")
def coverage():
    """Principals × focus areas: in how many forums of each area each principal takes part.

    The same for everyone: rendered once per version of the map, language and filter.
    """
    only_gaps = request.args.get("gaps") == "1"

    def context() -> dict:
        matrix = services.coverage()
        rows = [r for r in matrix.rows if r.gaps] if only_gaps else matrix.rows
        return {"matrix": matrix, "rows": rows, "only_gaps": only_gaps}

    if wants_fragment():  # the table alone, when the filter changes
        return render("findings/_coverage_table.html", **context())
    return render("findings/coverage.html", content=derived.html(
        "coverage-page", only_gaps,
        render=lambda: render_template("findings/_coverage.html", **context())))


@bp.get("/analys/tackning/<principal>/<area>")
def coverage_cell(principal: str, area: str):
    """The forums behind one cell: where the principal takes part, and where it does not.

    :raise 404: for a row or an area the matrix does not have.
    """
    matrix = services.coverage()
    row = next((r for r in matrix.rows if r.key == principal), None)
    area_entry = next((a for a in matrix.areas if a["key"] == area), None)
    if row is None or area_entry is None:
        abort(404)
    forums = {f["key"]: f for f in map_document()["forums"]}
    inside = set(row.cells.get(area, []))
    outside = {k for k in matrix.area_forums.get(area, []) if k not in inside}
    return render_template("findings/coverage_cell.html", row=row, area=area_entry,
                           inside=_by_name(forums, inside), outside=_by_name(forums, outside))


def _by_name(forums: dict[str, dict], keys: set[str]) -> list[dict]:
    """The forums with these keys, in name order."""
    return sorted((forums[k] for k in keys), key=lambda f: (f["name"], f["key"]))


@bp.get("/analys/nyckelpersoner")
def brokers():
    """The people and forums that link the most, and the communities against the reporting tree."""
    result = metrics()
    names = _names()
    people = sorted(result["people"].items(), key=lambda p: (-p[1]["betweenness"], p[0]))[:TOP]
    forums = sorted(result["forums"].items(), key=lambda f: (-f[1]["betweenness"], f[0]))[:TOP]
    return render_template(
        "findings/brokers.html", metrics=result, people=people, forums=forums, names=names,
        communities=result["communities"][:TOP], community_count=len(result["communities"]),
    )


@bp.get("/analys/rapport")
def report():
    """The leadership report: summary, coverage matrix and findings, made to be printed."""
    doc = map_document()
    result = findings_services.findings(None, str(get_locale()))
    shown = {kind: [] for kind in NAMES}
    for finding in result["findings"]:
        shown[finding["kind"]].append(finding)
    return render_template(
        "findings/report.html", summary=services.summary(doc, result["findings"]), doc=result,
        as_of=date.fromisoformat(result["as_of"]),
        matrix=services.coverage(), groups=GROUPS, why=WHY, shown=shown,
        per_kind=REPORT_PER_KIND, **finding_context(),
    )
