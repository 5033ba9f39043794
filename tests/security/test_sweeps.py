"""Security sweeps over every route of `app.url_map`, so that new routes are covered too."""

from __future__ import annotations

import io
import re

import pytest
from sqlalchemy import select
from werkzeug.routing import AnyConverter, IntegerConverter

from portal import ROOT
from portal.backup.services import write_backup
from portal.demo.loader import DEMO_PASSWORD
from portal.security import PUBLIC_ENDPOINTS
from tests.helpers import AuthActions

WRITE_METHODS = {"POST", "PUT", "PATCH", "DELETE"}
# Tables a GET may write to: the audit trail (sign-ins, denied access, personal-data exports)
# and the sign-in sessions (last seen).
# Tables a GET may write: the audit trail, sign-in sessions, and results of the analysis kept
# for other worker processes (derived data; no entity of the map changes).
LOGGED_ON_GET = {"audit_entry", "user_session", "analysis_result"}


def _url(rule, key: str = "x") -> str:
    """A URL of the rule, with every argument filled in (a key, or 1 for numbers)."""
    def value(conv):
        if isinstance(conv, IntegerConverter):
            return 1
        if isinstance(conv, AnyConverter):  # <any(upp,ner):what>: one of its own words
            return sorted(conv.items)[0]
        return key

    values = {name: value(conv) for name, conv in rule._converters.items()}
    return rule.build(values, append_unknown=False)[1]


def _rules(app, methods: set[str]):
    return sorted((r for r in app.url_map.iter_rules() if r.methods & methods),
                  key=lambda r: r.rule)


def test_signed_out_every_page_but_the_public_ones_redirects_to_login(app, client):
    """Signed out, every GET route answers a redirect to /login (401 JSON for /api/, 401 with
    HX-Redirect for htmx), except sign-in, static files, health, privacy and accessibility."""
    checked = 0
    for rule in _rules(app, {"GET"}):
        url = _url(rule)
        response = client.get(url)
        response.close()
        if rule.endpoint in PUBLIC_ENDPOINTS:
            assert response.status_code in (200, 404), url  # a static file "x" does not exist
            continue
        checked += 1
        if url.startswith("/api/"):
            assert response.status_code == 401, url
            assert response.get_json()["error"] == "authentication required", url
        else:
            assert response.status_code == 302, url
            assert response.headers["Location"].startswith("/login?next="), url
        htmx = client.get(url, headers={"HX-Request": "true"})
        assert htmx.status_code == 401, url
        if not url.startswith("/api/"):
            assert htmx.headers["HX-Redirect"] == "/login", url
    assert checked > 40
    for public in ("/login", "/health", "/integritet", "/tillganglighet",
                   "/static/css/portal.css"):
        with client.get(public) as response:
            assert response.status_code == 200, public


def test_every_write_route_refuses_a_request_without_csrf_token(app, db, demo, client):
    """Signed in as admin, a POST (form or htmx) without the CSRF token is refused with 400."""
    AuthActions(client).login("admin@example.org", DEMO_PASSWORD)
    rules = _rules(app, WRITE_METHODS)
    assert len(rules) > 20
    for rule in rules:
        for method in sorted(rule.methods & WRITE_METHODS):
            url = _url(rule)
            assert client.open(url, method=method, data={"x": "1"}).status_code == 400, url
            htmx = client.open(url, method=method, headers={"HX-Request": "true"})
            assert htmx.status_code == 400, url


def _check_headers(response, url: str) -> None:
    headers = response.headers
    csp = headers["Content-Security-Policy"]
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp, url
    assert "script-src 'self'" in csp and "frame-ancestors 'none'" in csp, url
    assert headers["X-Content-Type-Options"] == "nosniff", url
    assert headers["Referrer-Policy"] == "same-origin", url
    assert headers["X-Frame-Options"] == "DENY", url
    if not url.startswith("/static/"):
        assert headers["Cache-Control"] == "no-store", url


def _key_candidates(db) -> list[str]:
    """One real key of every keyed table, so a detail route finds something."""
    candidates = []
    for table in db.metadata.sorted_tables:
        if "key" in table.c and table.name not in ("setting",):
            key = db.session.scalar(select(table.c.key).order_by(table.c.key).limit(1))
            if key:
                candidates.append(key)
    return candidates


def _content(db) -> dict[str, list[str]]:
    """Every table's rows as the backup writes them, per table."""
    out = io.StringIO()
    write_backup(db.engine, db.metadata, out)
    tables: dict[str, list[str]] = {}
    current = None
    for line in out.getvalue().splitlines()[1:-1]:
        if line.startswith('{"table":'):
            current = re.search(r'"table":"([^"]+)"', line).group(1)
            tables[current] = []
        else:
            tables[current].append(line)
    return tables


def test_every_get_route_sends_the_headers_and_changes_nothing(app, db, demo, client):
    """Signed in as admin, every GET route (with real keys where it takes one) answers with
    the security headers, and no GET changes any table but the audit trail, sessions and the
    analysis cache."""
    AuthActions(client).login("admin@example.org", DEMO_PASSWORD)
    before = _content(db)
    keys = _key_candidates(db)
    found: list[tuple[str, int]] = []
    for rule in _rules(app, {"GET"}):
        for key in keys if rule.arguments else ["x"]:
            url = _url(rule, key) if rule.endpoint != "static" else "/static/css/portal.css"
            with client.get(url) as response:
                _check_headers(response, url)
            if response.status_code != 404:
                found.append((url, response.status_code))
                break
    assert sum(status == 200 for _, status in found) > 40  # real pages, not just 404s
    db.session.remove()
    after = _content(db)
    changed = [t for t in before if before[t] != after[t] and t not in LOGGED_ON_GET]
    assert changed == []


def test_production_adds_hsts(monkeypatch):
    """In production every response also carries Strict-Transport-Security."""
    from config import ProductionConfig
    from portal import create_app

    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "x" * 40,
                                               "PORTAL_URL": "https://samverkan.example.se",
                                               "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app(config)
    for url in ("/login", "/integritet", "/health", "/static/css/portal.css", "/nope"):
        with app.test_client().get(url) as response:
            assert "max-age=" in response.headers["Strict-Transport-Security"], url
            _check_headers(response, url)


SAFE_ALLOWED: dict[str, int] = {}  # template path -> number of reviewed `|safe` uses
# Python files allowed to call Markup(), each reviewed: derived.html wraps HTML that the
# portal's own autoescaping templates rendered (nothing else reaches it).
# Reviewed: search marks matches inside escaped text.
MARKUP_ALLOWED = ["portal/derived.py", "portal/search/queries.py"]


def test_no_safe_filter_on_user_text():
    """Templates never mark text as safe HTML, except uses reviewed into the allow-list."""
    found: dict[str, int] = {}
    for path in (ROOT / "templates").rglob("*.html"):
        text = path.read_text(encoding="utf-8")
        uses = len(re.findall(r"\|\s*safe\b", text)) + len(re.findall(r"autoescape\s+false",
                                                                        text))
        if uses:
            found[str(path.relative_to(ROOT / "templates"))] = uses
    assert found == SAFE_ALLOWED
    python = [str(p.relative_to(ROOT)) for p in (ROOT / "portal").rglob("*.py")
              if re.search(r"\bMarkup\(", p.read_text(encoding="utf-8"))]
    assert sorted(python) == sorted(MARKUP_ALLOWED)


def test_production_refuses_memory_rate_limits_with_several_workers(monkeypatch):
    """Sign-in throttling must be shared between gunicorn workers in production."""
    from config import ProductionConfig
    from portal import create_app

    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "x" * 40,
                                               "PORTAL_URL": "https://samverkan.example.se",
                                               "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    monkeypatch.setenv("WEB_CONCURRENCY", "2")
    with pytest.raises(RuntimeError, match="RATELIMIT_STORAGE_URI"):
        create_app(config)
    shared = type("Shared", (config,), {"RATELIMIT_STORAGE_URI": "redis://127.0.0.1:6379"})
    assert create_app(shared).config["RATELIMIT_STORAGE_URI"].startswith("redis://")
    monkeypatch.setenv("WEB_CONCURRENCY", "1")
    assert create_app(config)

