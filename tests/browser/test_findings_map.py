"""From a single point of failure on the findings page to the map, in a real browser."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_show_on_the_map_highlights_the_person_and_the_forums_cut_off(page, live_server):
    """Agnes sits in eight forums, but only the union council would be cut off without her:
    "Visa på kartan" highlights her and that forum, nothing else."""
    sign_in(page, live_server, "ledning@example.org")
    page.goto(f"{live_server}/analys?kind=single_point_of_failure")
    finding = page.locator("li.finding", has_text="Agnes Wallström")
    expect(finding).to_contain_text("Skulle skäras av: Fackligt samråd HSF")
    finding.get_by_role("link", name="Visa på kartan").click()
    canvas = page.locator("#map-canvas")
    expect(canvas).to_have_attribute("data-highlighted", "f:fackligt-samrad p:agnes-wallstrom")
    screenshot(page, "map-single-point-of-failure")
