"""Every URL under /api/v1 belongs to the api area and is in its OpenAPI description."""

from __future__ import annotations

from portal.api.openapi import SPEC


def test_every_api_url_is_served_by_the_api_blueprint_and_described(app):
    """One blueprint owns /api/v1; each of its routes has an operation of the same name."""
    rules = [r for r in app.url_map.iter_rules() if r.rule.startswith("/api/")]
    assert rules and all(r.endpoint.startswith("api.") for r in rules)
    described = {path: ops["get"]["operationId"] for path, ops in SPEC["paths"].items()}
    assert {r.rule: r.endpoint for r in rules} == {
        path: f"api.{operation}" for path, operation in described.items()}
