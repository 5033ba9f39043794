"""Leadership uses the collaboration map in a real browser (headless Chromium)."""

from __future__ import annotations

import re
import threading

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from config import TestConfig
from portal import create_app
from portal.demo.loader import load_demo
from portal.extensions import db
from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import closing_each_answer, screenshot, sign_in
from tests.conftest import _empty_tables, application_url

pytestmark = pytest.mark.browser
LEADERSHIP = "ledning@example.org"


@pytest.fixture(scope="module")
def map_server(tmp_path_factory, database_url, _schema):
    """The demo portal served for the module, with its app so a test can change the data.

    On PostgreSQL: this worker's database, as the application's role (emptied by the owner).
    """
    sqlite = database_url.startswith("sqlite")
    database = (f"sqlite:///{tmp_path_factory.mktemp('map') / 'portal.sqlite'}" if sqlite
                else application_url(database_url))
    app = create_app(type("MapConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database}))
    with app.app_context():
        if sqlite:
            db.create_all()
        else:
            _empty_tables(database_url)
        load_demo()
    server = make_server("127.0.0.1", 0, closing_each_answer(app), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}", app
    server.shutdown()
    server.server_close()
    with app.app_context():
        db.session.remove()
        if sqlite:
            db.drop_all()
        else:
            _empty_tables(database_url)
        db.engine.dispose()


@pytest.fixture
def base(map_server):
    """The address of the portal."""
    return map_server[0]


def _sign_in_english(page, base: str) -> None:
    sign_in(page, base, LEADERSHIP)
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def _open_map(page, base: str, query: str = "") -> None:
    page.goto(f"{base}/karta{query}")
    expect(page.locator("#map-status")).to_contain_text("Showing")


def test_filter_to_an_area_and_focus_a_parallel_structure(page, base):
    """Filtered to one area, a parallel-structure finding highlights both forums and the
    members they share, and the detail panel names them."""
    _sign_in_english(page, base)
    _open_map(page, base)
    expect(page.locator("#map-status")).to_contain_text("Showing 29 forums")
    page.get_by_label("Focus area", exact=True).select_option("kommun-region")
    expect(page.locator("#map-status")).not_to_contain_text("Showing 29 forums")
    expect(page).to_have_url(re.compile(r"area=kommun-region"))
    expect(page.locator("#map-findings")).to_contain_text("Parallel structures")
    screenshot(page, "map-demo-area")
    page.locator('a.finding-focus[data-finding="parallel_structure:rlg-nv+rsg-nv"]').click()
    canvas = page.locator("#map-canvas")
    expect(canvas).to_have_attribute("data-highlighted", re.compile(r"f:rlg-nv f:rsg-nv"))
    selection = page.locator("#map-selection")
    expect(selection).to_contain_text("Regionintern länsgrupp för nära vård")
    expect(selection).to_contain_text("Regional samordningsgrupp Nära vård")
    expect(selection).to_contain_text("Shared members:")
    shared = page.locator("#map-detail .shared-members li")
    expect(shared).to_have_count(6)
    highlighted = canvas.get_attribute("data-highlighted").split()
    assert sum(node.startswith("p:") for node in highlighted) == 6
    screenshot(page, "map-demo-parallel")


def test_keyboard_chooses_a_forum_from_the_list(page, base):
    """The list of forums on the map is focusable; Enter opens the forum's detail panel."""
    _sign_in_english(page, base)
    _open_map(page, base)
    page.get_by_label("Find a forum or person").fill("Länssamverkans")
    button = page.locator("#map-nodes button").first
    expect(button).to_have_text("Länssamverkansgruppen (LSG)")
    button.focus()
    page.keyboard.press("Enter")
    expect(page.locator("#map-detail .panel-title")).to_have_text("Länssamverkansgruppen (LSG)")
    expect(page.locator("#map-canvas")).to_have_attribute("data-selected", "f:lsg")
    page.locator("#map-canvas").focus()
    page.keyboard.press("+")
    page.keyboard.press("ArrowLeft")


def test_coverage_matrix_gap_leads_to_the_forums(page, base):
    """A zero in the coverage matrix is a gap in words and leads to the area's forums."""
    _sign_in_english(page, base)
    page.get_by_role("link", name="Analysis").click()
    page.goto(f"{base}/analys/tackning")
    expect(page.get_by_role("heading", level=1)).to_have_text("Coverage matrix")
    # the hospital-care row: no principal there, so the gap is informative, not a finding
    gap = page.locator('td.cell-gap a[href$="/analys/tackning/rv-sjukhusvarden/landsbygd"]')
    expect(gap).to_contain_text("gap")
    screenshot(page, "coverage-demo")
    gap.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Sjukhusvården")
    rows = page.locator("#outside tbody tr")
    expect(rows.first).to_be_visible()
    rows.first.get_by_role("link").click()
    expect(page).to_have_url(re.compile(r"/forum/"))


def test_preview_a_merge(page, base):
    """From a parallel structure, the what-if preview shows the finding resolved."""
    _sign_in_english(page, base)
    _open_map(page, base, "?focus=parallel_structure:rlg-nv%2Brsg-nv")
    page.get_by_role("link", name="Preview merging the two forums").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What if?")
    resolved = page.locator("#whatif-result .resolved")
    expect(resolved).to_contain_text("Regionintern länsgrupp för nära vård")
    expect(page.locator("#whatif-result")).to_contain_text("Nothing has been saved")
    screenshot(page, "whatif-merge-demo")


def test_report_prints(page, base):
    """The leadership report has its summary, the matrix and the findings."""
    _sign_in_english(page, base)
    page.goto(f"{base}/analys/rapport")
    expect(page.get_by_role("heading", level=1)).to_have_text("Leadership report")
    expect(page.locator("table.coverage")).to_be_visible()
    page.emulate_media(media="print")
    expect(page.locator(".site-header")).to_be_hidden()
    screenshot(page, "report-demo-print")


@pytest.mark.parametrize("path", ["/karta", "/analys/tackning", "/analys", "/analys/rapport",
                                  "/karta/text"])
def test_no_serious_accessibility_violations(browser, base, path):
    """axe-core finds no serious or critical violations on the map's pages."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True)
    try:
        tab = context.new_page()
        sign_in(tab, base, LEADERSHIP)
        tab.goto(f"{base}{path}")
        if path == "/karta":
            expect(tab.locator("#map-nodes button").first).to_be_visible()  # drawn
        assert_no_serious_axe_violations(tab)
    finally:
        context.close()


def test_compare_two_snapshots(page, map_server):
    """Leadership saves a snapshot before and after a change and compares them."""
    base, app = map_server
    _sign_in_english(page, base)
    page.goto(f"{base}/karta/ogonblicksbilder")
    page.get_by_label("Name of the snapshot").fill("Before the autumn")
    page.get_by_role("button", name="Save the structure as it is now").click()
    expect(page.locator(".flash-success")).to_be_visible()
    _change_the_structure(app)
    page.get_by_label("Name of the snapshot").fill("After the autumn")
    page.get_by_role("button", name="Save the structure as it is now").click()
    page.get_by_role("button", name="Compare").click()
    result = page.locator("#compare-result")
    expect(result).to_contain_text("From Before the autumn to After the autumn")
    expect(page.locator("#forums-added")).to_contain_text("(1)")
    expect(result).to_contain_text("Arbetsgrupp nya vårdformer")
    expect(page.locator("#seats-removed")).to_contain_text("(1)")
    expect(page.locator("#findings-new")).to_contain_text("Arbetsgrupp nya vårdformer")
    screenshot(page, "snapshots-compare-demo")


def _change_the_structure(app) -> None:
    """Add an orphan working group and end one seat, as an admin's edits would (audited)."""
    from sqlalchemy import select

    from portal.audit.services import record
    from portal.models import Forum, ForumMembership

    with app.app_context():
        db.session.add(Forum(key="ag-nya-vardformer", name="Arbetsgrupp nya vårdformer",
                             kind="working_group", level="regional"))
        seat = db.session.scalars(
            select(ForumMembership).join(Forum).where(Forum.key == "lpo-rehab")
        ).first()
        db.session.delete(seat)
        record(None, "update", "forum", "ag-nya-vardformer")
        db.session.commit()
