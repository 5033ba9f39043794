"""The findings page of /analys and the thresholds for admins.

The other pages of /analys (coverage, brokers, the report) are in `routes_structure`.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import (
    abort,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_login import current_user

from portal.analysis.core import KINDS
from portal.analysis.settings import DEFAULT_SETTINGS, SHARES
from portal.audit.events import count_refusal
from portal.auth.permissions import can_administer
from portal.extensions import derived
from portal.findings import (  # noqa: F401 - importing the other views adds them to the blueprint
    bp,
    routes_structure,
    services,
)
from portal.findings.forms import SettingsForm, parse_as_of
from portal.findings.kinds import GROUPS, NAMES, WHY
from portal.findings.scope import entities, scope
from portal.findings.web import entity_url
from portal.map.graph import MAP_KINDS
from portal.map.whatif import finding_key
from portal.paging import last_page_if_past
from portal.views import page_number, vary_on_htmx, wants_fragment

PREVIEW = 10  # findings of each kind on the overview; a kind's own page lists them all
PER_PAGE = 50  # findings per page when one kind is chosen

def _as_of() -> date | None:
    """The as-of date of the request; None means today.

    :raise 400: for a date that is not YYYY-MM-DD.
    """
    try:
        return parse_as_of(request.args)
    except ValueError as exc:
        abort(400, str(exc))


@bp.get("/analys")
def index():
    """Findings grouped by kind, filterable by kind, area and organisation.

    The list and the filter form depend only on the map and the request's filter, so they are
    rendered once per version of the map (portal.derived) and reused by every user. Only
    known filter values (an area or organisation of the map, a page that exists) are kept.
    """
    as_of = _as_of()
    doc = services.findings(as_of, str(get_locale()))
    kind = request.args.get("kind") if request.args.get("kind") in NAMES else None
    area = request.args.get("area") or None
    organisation = request.args.get("organisation") or None
    page = page_number() if kind else 1
    as_of_text = as_of.isoformat() if as_of else ""
    keep = _known(doc, kind, area, organisation, page)
    results = derived.html(
        "findings-results", doc["as_of"], as_of_text, kind, area, organisation, page,
        render=lambda: _render_results(doc, kind, area, organisation, page, as_of_text),
        keep=keep)
    if wants_fragment():  # the filter form asks for the list alone
        body = results
    else:
        filters = derived.html(
            "findings-filters", kind, area, organisation, as_of_text,
            render=lambda: _render_filters(kind, area, organisation, as_of_text), keep=keep)
        summary = derived.html(
            "findings-summary", doc["as_of"], as_of_text, can_administer(current_user),
            render=lambda: render_template(
                "findings/_summary.html", doc=doc, groups=GROUPS, names=NAMES,
                counts=Counter(finding["kind"] for finding in doc["findings"])))
        body = render_template("findings/index.html", summary=summary, filters=filters,
                               results=results)
    return vary_on_htmx(make_response(body))


def _known(doc: dict, kind: str | None, area: str | None, organisation: str | None,
           page: int) -> bool:
    """True when every filter value is one the map has, so the page may be cached."""
    mapping = services.map_document()
    if area is not None and area not in {a["key"] for a in mapping["areas"]}:
        return False
    if organisation is not None and organisation not in {o["key"] for o in
                                                          mapping["organisations"]}:
        return False
    found = sum(1 for finding in doc["findings"] if finding["kind"] == kind) if kind else 0
    return page <= max(1, -(-found // PER_PAGE))


def _render_results(doc: dict, kind: str | None, area: str | None, organisation: str | None,
                    page: int, as_of: str) -> str:
    """The list of findings that match the filter: a page of one kind, or a few of each."""
    lookup = services.map_lookup()
    matched: dict[str, list[dict]] = {k: [] for k in KINDS}
    for finding in doc["findings"]:
        if kind and finding["kind"] != kind:
            continue
        if area or organisation:
            areas, orgs = scope(finding, lookup)
            if (area and area not in areas) or (organisation and organisation not in orgs):
                continue
        matched[finding["kind"]].append(finding)
    if kind:  # one kind: all of it, a page at a time (the last one for a page past it)
        page = last_page_if_past(page, len(matched[kind]), PER_PAGE)
        shown = {k: v[(page - 1) * PER_PAGE:page * PER_PAGE] for k, v in matched.items()}
    else:  # the overview: the first few of each kind, and a link to the rest
        shown = {k: v[:PREVIEW] for k, v in matched.items()}
    return render_template(
        "findings/_results.html", groups=GROUPS, names=NAMES, why=WHY, shown=shown,
        matched={k: len(v) for k, v in matched.items()},
        total_matched=sum(len(v) for v in matched.values()), page=page, per_page=PER_PAGE,
        lookup=lookup, entities=entities, entity_url=entity_url, kind=kind, area=area,
        organisation=organisation, as_of=as_of, on_map=MAP_KINDS, finding_key=finding_key)


def _render_filters(kind: str | None, area: str | None, organisation: str | None,
                    as_of: str) -> str:
    """The filter form, with every area and organisation of the map to choose from."""
    mapping = services.map_document()
    return render_template(
        "findings/_filters.html", groups=GROUPS, names=NAMES, kind=kind, area=area,
        organisation=organisation, as_of=as_of,
        areas=sorted(mapping["areas"], key=lambda a: a["name"]),
        organisations=sorted(mapping["organisations"], key=lambda o: o["name"]))


@bp.route("/admin/installningar", methods=["GET", "POST"])
def settings():
    """Admins change the thresholds of the analysis."""
    if not can_administer(current_user):
        count_refusal(current_user._get_current_object())
        abort(403)
    current = services.current_settings()
    form = SettingsForm(data=current)
    if form.validate_on_submit():
        services.save_settings(current_user, {
            name: float(getattr(form, name).data) if name in SHARES else getattr(form, name).data
            for name in DEFAULT_SETTINGS
        })
        return redirect(url_for("findings.settings", saved=1), 303)
    status = 400 if form.is_submitted() else 200
    return render_template("findings/settings.html", form=form, current=current,
                           saved=request.args.get("saved")), status
