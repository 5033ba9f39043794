"""JSON API endpoints besides the export."""

from __future__ import annotations

from flask import Blueprint, jsonify

bp = Blueprint("api", __name__, url_prefix="/api/v1")


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
    from portal.api.openapi import SPEC

    return jsonify(SPEC)
