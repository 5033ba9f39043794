"""The analysis page, the findings API and the thresholds for admins."""

from __future__ import annotations

from collections import Counter
from datetime import date

from flask import (
    Blueprint,
    abort,
    current_app,
    jsonify,
    make_response,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal.analysis.core import KINDS
from portal.analysis.settings import DEFAULT_SETTINGS, SHARES, validate_settings
from portal.audit.services import record_now
from portal.auth.permissions import can_administer
from portal.extensions import derived
from portal.findings import services
from portal.findings.forms import SettingsForm
from portal.findings.kinds import GROUPS, NAMES, WHY
from portal.findings.scope import entities, scope
from portal.map.graph import MAP_KINDS
from portal.map.whatif import finding_key
from portal.views import page_number, vary_on_htmx, wants_fragment

bp = Blueprint("findings", __name__)

PREVIEW = 10  # findings of each kind on the overview; a kind's own page lists them all
PER_PAGE = 50  # findings per page when one kind is chosen

ENTITY_ENDPOINTS = {
    "forum": ("directory.forum", "key"),
    "organisation": ("directory.organisation", "key"),
    "area": ("directory.area", "key"),
    "person": ("directory.person", "key"),
    "action": ("commissions.action", "key"),
}


def _as_of() -> date | None:
    """The as-of date of the request; None means today.

    :raise 400: for a date that is not YYYY-MM-DD.
    """
    text = request.args.get("as_of", "").strip()
    if not text:
        return None
    try:
        return date.fromisoformat(text) if len(text) == 10 else _bad_date(text)
    except ValueError:
        return _bad_date(text)


def _bad_date(text: str):
    """Answer 400 with a message that says what is wrong."""
    message = _('as_of: invalid date "%(value)s", expected YYYY-MM-DD', value=text[:40])
    if request.path.startswith("/api/"):
        response = jsonify(error=message, status=400)
        response.status_code = 400
        abort(response)
    abort(400, message)


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


def _api_error(message: str):
    """Answer 400 with a JSON body that says what is wrong."""
    response = jsonify(error=message, status=400)
    response.status_code = 400
    abort(response)


def _requested_settings() -> dict | None:
    """Thresholds given in the query string over the stored ones, validated; None if none.

    :raise 400: for a threshold that is not a number or is out of its range.
    """
    given = {}
    for name in DEFAULT_SETTINGS:
        text = request.args.get(name, "").strip()
        if not text:
            continue
        try:
            given[name] = float(text) if name in SHARES else int(text)
        except ValueError:
            _api_error(f"{name}: not a number: {text[:40]!r}")
    if not given:
        return None
    try:
        return validate_settings({**services.current_settings(), **given})
    except ValueError as exc:
        _api_error(str(exc))


@bp.get("/api/v1/findings")
def api_findings():
    """The findings document of analysis.md, in the user's language.

    Each threshold may be given in the query string (e.g. ``minutes_due_days=30``).
    """
    settings = _requested_settings()
    return jsonify(services.findings(_as_of(), str(get_locale()), settings))


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
    if kind:  # one kind: all of it, a page at a time
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
        record_now(current_user._get_current_object(), "access_denied",
                   data={"what": "analysis settings"})
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
