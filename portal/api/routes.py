"""The JSON API: its index, its OpenAPI description, the export and the findings."""

from __future__ import annotations

from flask import Response, abort, jsonify, request
from flask_babel import get_locale
from flask_login import current_user

from portal.api import bp
from portal.api.openapi import SPEC
from portal.auth.permissions import can_view
from portal.exchange import services as exchange_services
from portal.findings import services as findings_services
from portal.findings.forms import parse_as_of, parse_thresholds


@bp.get("/")
def index():
    """List what the API offers."""
    return jsonify(
        format="samverkan-api/1",
        endpoints={"export": "/api/v1/export", "findings": "/api/v1/findings",
                   "openapi": "/api/v1/openapi.json"},
    )


@bp.get("/openapi.json")
def openapi():
    """The OpenAPI description of this API."""
    return jsonify(SPEC)


@bp.get("/export")
def export():
    """The whole map as `samverkan/1` JSON for any user with read access."""
    if not can_view(current_user):
        abort(403)
    return Response(exchange_services.export_text(), mimetype="application/json")


@bp.get("/findings")
def findings():
    """The findings document of analysis.md, in the user's language.

    Each threshold may be given in the query string (e.g. ``minutes_due_days=30``).

    :raise 400: for a malformed `as_of` or a threshold out of its range (JSON, portal.errors).
    """
    try:
        settings = parse_thresholds(request.args, findings_services.current_settings())
        as_of = parse_as_of(request.args)
    except ValueError as exc:
        abort(400, str(exc))
    return jsonify(findings_services.findings(as_of, str(get_locale()), settings))
