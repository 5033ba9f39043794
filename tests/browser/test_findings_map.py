"""From a single point of failure on the findings page to the map, in a real browser."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from portal.demo.loader import load_demo
from portal.exchange.services import import_text
from tests.browser.conftest import screenshot, serve_portal, sign_in
from tests.findings.test_second_round import COUNCIL

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def live_server(tmp_path_factory, database_url, _schema):
    """The demo and a council whose only link to the rest is Agnes (the demo has no single
    point of failure: the documents give no one's forums)."""
    def load():
        load_demo()
        import_text(json.dumps(COUNCIL), None, source="test")

    yield from serve_portal(tmp_path_factory, database_url, load)


def test_show_on_the_map_highlights_the_person_and_the_forums_cut_off(page, live_server):
    """Agnes sits in several forums, but only the new council would be cut off without her:
    "Visa på kartan" highlights her and that forum, nothing else."""
    sign_in(page, live_server, "ledning@example.org")
    page.goto(f"{live_server}/analys?kind=single_point_of_failure")
    finding = page.locator("li.finding", has_text="Agnes Wallström")
    expect(finding).to_contain_text("Skulle skäras av: Nytt råd")
    finding.get_by_role("link", name="Visa på kartan").click()
    canvas = page.locator("#map-canvas")
    expect(canvas).to_have_attribute("data-highlighted", "f:ny-rad p:agnes-wallstrom")
    screenshot(page, "map-single-point-of-failure")
