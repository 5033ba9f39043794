"""Helpers shared by the views: htmx-aware rendering and lookups by key."""

from __future__ import annotations

from flask import abort, make_response, render_template, request
from sqlalchemy import select

from portal.extensions import db


def render(template: str, fragment: str | None = None, **context):
    """Render the full page, or only the fragment when htmx asks for it."""
    name = fragment if fragment and request.headers.get("HX-Request") else template
    response = make_response(render_template(name, **context))
    response.vary.add("HX-Request")
    return response


def get_by_key(model, key: str, *options):
    """Return the entity with this exchange key.

    :raise 404: when there is none.
    """
    stmt = select(model).where(model.key == key)
    if options:
        stmt = stmt.options(*options)
    obj = db.session.scalar(stmt)
    if obj is None:
        abort(404)
    return obj


def page_number() -> int:
    """The requested page of a list, 1 when absent or nonsense."""
    try:
        return max(1, int(request.args.get("page", "1")))
    except ValueError:
        return 1


def search_term() -> str:
    """The list filter text the user typed, trimmed and bounded."""
    return request.args.get("q", "").strip()[:200]
