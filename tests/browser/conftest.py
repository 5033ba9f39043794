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


def closing_each_answer(app):
    """The app with each answer read whole and its iterable closed at once.

    Werkzeug's development server skips `close()` when the browser drops the connection in the
    middle of an answer (a tab closed while a static file was sent), which leaves the file open
    until the garbage collector finds it: a ResourceWarning in whichever test runs then.
    """

    def serve(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return serve


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
    server = make_server("127.0.0.1", 0, closing_each_answer(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()
    server.server_close()  # the listening socket, or it is left to a ResourceWarning later
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


# CSP violations reach the page as `securitypolicyviolation` events; say them on the console.
CSP_LISTENER = """
document.addEventListener("securitypolicyviolation", (e) => console.error(
  `CSP violation: ${e.violatedDirective} blocked ${e.blockedURI || "inline"} ` +
  `at ${e.sourceFile || e.documentURI}:${e.lineNumber}`), true);
"""
# A resource the page needs and did not get; what a document or htmx request is answered is
# the test's business (422 for a refused form is the design), so those are not listed here.
RESOURCE_TYPES = {"script", "stylesheet", "image", "font", "media"}
# Chromium repeats every answer of 400 or more on the console; resources are checked above.
SERVER_ANSWER = "Failed to load resource: the server responded with a status of"
# A host name that does not resolve: the test OpenID provider's own pages ask for resources on
# the internet, which this offline machine has not. The portal loads nothing from another host
# (its CSP forbids it), so the message can only come from pages that are not the portal's.
UNRESOLVED = "Failed to load resource: net::ERR_NAME_NOT_RESOLVED"


class PageProblems:
    """Console errors, uncaught exceptions, CSP violations and missing resources of every tab
    a test opens; the `_no_page_problems` fixture fails the test when there are any."""

    def __init__(self) -> None:
        self.found: list[str] = []

    def watch_context(self, context) -> None:
        """Watch every tab of a browser context, those it has and those it will open."""
        context.add_init_script(CSP_LISTENER)
        context.on("page", self.watch)
        for tab in context.pages:
            self.watch(tab)

    def watch(self, tab) -> None:
        """Collect a tab's problems."""
        tab.on("console", lambda message: self._console(tab, message))
        tab.on("pageerror", lambda error: self.found.append(f"{tab.url}: uncaught {error}"))
        tab.on("response", self._response)

    def _console(self, tab, message) -> None:
        if message.type == "error" and not message.text.startswith((SERVER_ANSWER, UNRESOLVED)):
            self.found.append(f"{tab.url}: {message.text}")

    def _response(self, response) -> None:
        if response.status >= 400 and response.request.resource_type in RESOURCE_TYPES:
            self.found.append(f"{response.url}: {response.status} for a "
                              f"{response.request.resource_type}")


@pytest.fixture(autouse=True)
def _no_page_problems(request, monkeypatch):
    """Every browser test fails when a page it opened logged an error or broke its CSP."""
    if "browser" not in request.fixturenames:
        yield None
        return
    browser = request.getfixturevalue("browser")
    problems = PageProblems()
    new_context = browser.new_context

    def watched_context(*args, **kwargs):
        context = new_context(*args, **kwargs)
        problems.watch_context(context)
        return context

    monkeypatch.setattr(browser, "new_context", watched_context)
    yield problems
    if problems.found:
        pytest.fail("the pages logged errors:\n" + "\n".join(dict.fromkeys(problems.found)),
                    pytrace=False)


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
        # caret="initial": Playwright hides the caret with a style of its own otherwise, which
        # the portal's CSP reports as a violation.
        page.screenshot(path=str(Path(target) / f"{name}.png"), full_page=True, caret="initial")
