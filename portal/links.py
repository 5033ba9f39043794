"""External links (mail, the calendar feed, the OIDC redirect URI) built from PORTAL_URL.

Never from the request's Host header when PORTAL_URL is set. In development PORTAL_URL may be
absent: then the request's own address is used, or http://127.0.0.1:5000 outside a request
(`flask notify`).
"""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, has_request_context, request

DEVELOPMENT_URL = "http://127.0.0.1:5000"


def base_url() -> str:
    """The portal's external base URL, without a trailing slash."""
    configured = current_app.config.get("PORTAL_URL")
    if configured:
        return configured.rstrip("/")
    if has_request_context():
        return request.host_url.rstrip("/")
    return DEVELOPMENT_URL


def external_url(endpoint: str, *, _anchor: str | None = None, **values) -> str:
    """The absolute URL of an endpoint under the portal's external base URL."""
    parts = urlsplit(base_url())
    adapter = current_app.url_map.bind(
        parts.netloc, script_name=parts.path or "/", url_scheme=parts.scheme or "http"
    )
    url = adapter.build(endpoint, values, force_external=True)
    return f"{url}#{_anchor}" if _anchor else url
