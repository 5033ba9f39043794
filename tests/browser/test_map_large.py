"""A map too large to draw at once is drawn a slice at a time and stays usable."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from bench.generate import generate
from portal.auth.services import create_user
from portal.exchange.services import import_text
from tests.browser.conftest import screenshot, serve_portal, sign_in

pytestmark = pytest.mark.browser
EMAIL, PASSWORD = "ledning@example.org", "stora-kartan-ritas-i-delar-7"  # noqa: S105
SCALE = 0.38  # about 1,550 forums: more than the 1,500 from which the map draws in slices


@pytest.fixture(scope="module")
def large_server(tmp_path_factory, database_url, _schema):
    """The portal with a generated map of some 1,550 forums and a leadership account (without
    the generator's two years of meetings: the drawing is of forums and people)."""
    def load():
        import_text(json.dumps(generate(SCALE, meetings=False)), None, source="test")
        create_user(None, EMAIL, PASSWORD, "leadership", None)

    yield from serve_portal(tmp_path_factory, database_url, load)


def test_a_large_map_is_drawn_in_slices_and_answers_the_keyboard(page, large_server):
    """Every forum is drawn, the page says so, and a forum can be chosen from the list."""
    sign_in(page, large_server, EMAIL, PASSWORD)
    page.goto(f"{large_server}/karta")
    canvas = page.locator("#map-canvas")
    expect(canvas).to_have_attribute("data-drawn", re.compile(r"^\d{4}$"), timeout=60_000)
    drawn = int(canvas.get_attribute("data-drawn"))
    assert drawn > 1500
    expect(page.locator("#map-status")).to_contain_text(f"Visar {drawn} forum")
    screenshot(page, "map-large")
    first = page.locator("#map-nodes button").first
    first.focus()
    page.keyboard.press("Enter")
    expect(canvas).to_have_attribute("data-selected", first.get_attribute("data-id"))
    expect(page.locator("#map-detail")).not_to_be_empty()


def test_a_new_filter_while_drawing_shows_only_the_new_view(page, large_server):
    """Choosing a filter while the whole map is still being drawn stops that drawing."""
    sign_in(page, large_server, EMAIL, PASSWORD)
    page.goto(f"{large_server}/karta")
    expect(page.locator("#map-status")).to_contain_text("Ritar", timeout=60_000)
    page.locator("select[name=level]").select_option("national")
    canvas = page.locator("#map-canvas")
    expect(canvas).to_have_attribute("data-drawn", re.compile(r"^\d+$"), timeout=60_000)
    drawn = int(canvas.get_attribute("data-drawn"))
    assert drawn < 1500
    expect(page.locator("#map-status")).to_contain_text(f"Visar {drawn} forum")
    # The whole map's drawing stops at its next slice; had it gone on, it would now have
    # overwritten what is shown.
    page.wait_for_function("document.getElementById('map-canvas').dataset.slicing === '0'")
    assert canvas.get_attribute("data-drawn") == str(drawn)
    expect(page.locator("#map-status")).to_contain_text(f"Visar {drawn} forum")
