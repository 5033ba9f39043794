"""A live portal with the demo data, and headless Chromium driven by Playwright."""

from __future__ import annotations

import os
import shutil
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from config import TestConfig
from portal import create_app
from portal.demo.loader import DEMO_PASSWORD, load_demo
from portal.extensions import db
from tests.conftest import _empty_tables, application_url, require_or_skip

CHROMIUM_FLAGS = [
    "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


def chromium_path() -> str | None:
    """Debian's Chromium, or another one named by CHROMIUM_PATH."""
    return os.environ.get("CHROMIUM_PATH") or shutil.which("chromium") or shutil.which(
        "chromium-browser"
    )


@pytest.fixture(scope="session")
def chromium_executable() -> str:
    """The browser binary; skipped on a laptop without it, a failure in CI."""
    path = chromium_path()
    require_or_skip(
        path is not None, "headless Chromium is not installed (apt-get install chromium)"
    )
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:  # pragma: no cover - dev extras always install it
        require_or_skip(False, "the playwright package is not installed")
    return path


def serve_portal(tmp_path_factory, database_url: str, load):
    """Serve the portal with what `load()` puts in the database, on a free local port.

    On SQLite it gets a file of its own (the server's threads share it); on PostgreSQL it uses
    this worker's database, whose schema the session made, and empties it again afterwards.
    Yields the address.
    """
    sqlite = database_url.startswith("sqlite")
    database = (f"sqlite:///{tmp_path_factory.mktemp('live') / 'portal.sqlite'}" if sqlite
                else application_url(database_url))
    app = create_app(type("LiveConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database}))
    with app.app_context():
        if sqlite:
            db.create_all()
        else:
            _empty_tables(database_url)
        load()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    with app.app_context():
        db.session.remove()
        if not sqlite:
            _empty_tables(database_url)
        db.engine.dispose()


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, database_url, _schema):
    """The portal with the demo loaded, served for the module's tests."""
    yield from serve_portal(tmp_path_factory, database_url, load_demo)


@pytest.fixture(scope="module")
def browser(chromium_executable):
    """A headless Chromium for the module."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(
            executable_path=chromium_executable, headless=True, args=CHROMIUM_FLAGS
        )
        yield instance
        instance.close()


@pytest.fixture
def page(browser):
    """A fresh browser tab with its own cookies."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="sv-SE")
    tab = context.new_page()
    yield tab
    context.close()


def sign_in(page, base_url: str, email: str, password: str = DEMO_PASSWORD) -> None:
    """Sign in through the form as a person would."""
    page.goto(f"{base_url}/login")
    page.get_by_label("E-postadress").fill(email)
    page.get_by_label("Lösenord").fill(password)
    page.get_by_role("button", name="Logga in").click()
    page.wait_for_url(f"{base_url}/")


def screenshot(page, name: str) -> None:
    """Save a full-page screenshot when SCREENSHOT_DIR is set (to look at the pages)."""
    target = os.environ.get("SCREENSHOT_DIR")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True)
