"""In headless Chromium: sign in through the identity provider's own sign-in page, and out."""

from __future__ import annotations

import threading

import pytest
from werkzeug.serving import make_server

from config import TestConfig
from portal import create_app
from portal.demo.loader import load_demo
from portal.extensions import db
from tests.browser.conftest import closing_each_answer, screenshot
from tests.conftest import _empty_tables, application_url
from tests.oidc.harness import CLIENT_ID, CLIENT_SECRET, running_provider

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def portal_with_provider(tmp_path_factory, database_url, _schema):
    """The demo portal on a free port, and a real OpenID provider that knows it."""
    sqlite = database_url.startswith("sqlite")
    database = (f"sqlite:///{tmp_path_factory.mktemp('oidc') / 'portal.sqlite'}" if sqlite
                else application_url(database_url))
    app = create_app(type("OidcLive", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database}))
    with app.app_context():
        if sqlite:
            db.create_all()
        else:
            _empty_tables(database_url)
        load_demo()
    server = make_server("127.0.0.1", 0, closing_each_answer(app), threaded=True)
    base = f"http://127.0.0.1:{server.server_port}"
    try:  # without the provider the module is skipped here, and the socket must still close
        with running_provider([base]) as issuer:
            app.config.update(OIDC_ISSUER=issuer, OIDC_CLIENT_ID=CLIENT_ID,
                              OIDC_CLIENT_SECRET=CLIENT_SECRET, PORTAL_URL=base)
            thread = threading.Thread(target=server.serve_forever, daemon=True)
            thread.start()
            yield base, issuer
            server.shutdown()
    finally:
        server.server_close()
        with app.app_context():
            db.session.remove()
            if not sqlite:
                _empty_tables(database_url)
            db.engine.dispose()


def test_sign_in_through_the_providers_page_and_out(page, portal_with_provider):
    base, issuer = portal_with_provider
    page.goto(f"{base}/login")
    screenshot(page, "login-with-region")
    page.get_by_role("link", name="Logga in med regionens konto").click()
    page.wait_for_url(f"{issuer}/**")
    page.locator("input[name=login]").fill("forum@example.org")
    page.locator("input[name=password]").fill("whatever-the-region-checks")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{base}/")
    assert page.get_by_role("heading", level=1).count() >= 1
    assert "forum@example.org" in page.content() or "Jenny Sandberg" in page.content()

    page.get_by_role("button", name="Logga ut").click()
    page.wait_for_url(f"{issuer}/**")  # the provider asks whether to end its session too
    page.get_by_role("button", name="Yes, sign me out").click()
    page.wait_for_url(f"{base}/login")
    page.goto(f"{base}/")
    page.wait_for_url(f"{base}/login?next=/")


def test_unknown_person_is_told_whom_to_ask(page, portal_with_provider):
    base, issuer = portal_with_provider
    page.goto(f"{base}/login/oidc")
    page.wait_for_url(f"{issuer}/**")
    page.locator("input[name=login]").fill("okand.person@region.example")
    page.locator("input[name=password]").fill("whatever")
    page.get_by_role("button", name="Sign-in").click()
    page.wait_for_url(f"{base}/login/oidc/callback**")
    alert = page.get_by_role("alert")
    assert "okand.person@region.example" in alert.inner_text()
    assert "admin@example.org" in alert.inner_text()
