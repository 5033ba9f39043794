"""Configuration, security headers and translations."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from config import ProductionConfig
from portal import ROOT, create_app


def test_production_refuses_the_default_secret(monkeypatch):
    """Production does not start with the development secret or a short one."""
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(ProductionConfig)
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "short"})
    with pytest.raises(RuntimeError, match="SECRET_KEY"):
        create_app(config)


def test_production_with_a_real_secret_starts_without_debug():
    """With a long random secret, production starts, never in debug mode, with secure cookies."""
    config = type("Prod", (ProductionConfig,), {"SECRET_KEY": "x" * 40,
                                               "PORTAL_URL": "https://samverkan.example.se",
                                               "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    app = create_app(config)
    assert not app.debug
    assert app.config["SESSION_COOKIE_SECURE"]
    response = app.test_client().get("/login")
    assert "max-age=" in response.headers["Strict-Transport-Security"]


def test_security_headers_on_every_response(client):
    """Pages carry a strict CSP, nosniff, a referrer policy and no-store."""
    for path in ("/login", "/health", "/forum", "/api/v1/export"):
        headers = client.get(path).headers
        csp = headers["Content-Security-Policy"]
        assert "script-src 'self'" in csp and "unsafe-inline" not in csp
        assert "unsafe-eval" not in csp
        assert "frame-ancestors 'none'" in csp
        assert headers["X-Content-Type-Options"] == "nosniff"
        assert headers["Referrer-Policy"] == "same-origin"
        assert headers["Cache-Control"] == "no-store"


def test_database_url_selects_the_database(monkeypatch):
    """DATABASE_URL picks the database; postgres:// is spelled for psycopg 3."""
    from config import normalise_database_url

    assert normalise_database_url("postgres://u@h/db") == "postgresql+psycopg://u@h/db"
    assert normalise_database_url("sqlite:///x.db") == "sqlite:///x.db"


def _catalogue(lang: str):
    path = ROOT / "portal" / "translations" / lang / "LC_MESSAGES" / "messages.po"
    with Path(path).open("rb") as handle:
        return read_po(handle)


def test_swedish_translation_is_complete():
    """Every UI text has a Swedish translation, none fuzzy, placeholders kept."""
    import re

    missing, fuzzy, broken = [], [], []
    for message in _catalogue("sv"):
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, tuple) else (message.id,)
        strings = message.string if isinstance(message.string, tuple) else (message.string,)
        if not all(strings):
            missing.append(ids[0])
        if message.fuzzy:
            fuzzy.append(ids[0])
        wanted = set(re.findall(r"%\(\w+\)\w", ids[0]))
        if any(set(re.findall(r"%\(\w+\)\w", s)) != wanted for s in strings if s):
            broken.append(ids[0])
    assert missing == [] and fuzzy == [] and broken == []


def test_every_text_in_the_code_is_in_the_catalogue():
    """The catalogue is up to date with the templates and the code."""
    from babel.messages.extract import extract_from_dir

    method_map = [("portal/**.py", "python"), ("templates/**.html", "jinja2")]
    context = ((1, "c"), 2)  # pgettext(context, text): the same words that mean otherwise
    keywords = {"_": None, "gettext": None, "ngettext": (1, 2), "lazy_gettext": None,
                "_l": None, "pgettext": context, "lazy_pgettext": context, "_lp": context}
    in_code = {
        (m[4], m[2] if isinstance(m[2], str) else m[2][0])
        for m in extract_from_dir(str(ROOT), method_map, keywords=keywords,
                                  directory_filter=lambda d: not Path(d).name.startswith("."))
        if "/.venv" not in m[0]
    }
    known = {(m.context, m.id if isinstance(m.id, str) else m.id[0])
             for m in _catalogue("sv") if m.id}
    assert sorted(in_code - known) == []
