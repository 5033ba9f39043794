"""An admin previews an import in a real browser, sees what it would do, then imports it."""

from __future__ import annotations

import json
import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in
from tests.conftest import FIXTURES

pytestmark = pytest.mark.browser

OTHER_REGION = FIXTURES / "other_region.json"


def _preview_fits(page) -> None:
    """Nothing of the preview reaches past the screen's right edge (its tables scroll inside
    themselves). The site header is the layout's own business (issue 13, phones)."""
    too_wide = page.evaluate("""() => {
        const width = document.documentElement.clientWidth;
        return [...document.querySelectorAll('main *')]
          .filter(el => !el.closest('.table-scroll') || el.matches('.table-scroll'))
          .filter(el => el.getBoundingClientRect().right > width + 1)
          .map(el => el.tagName + '.' + el.className + ' ' + el.textContent.slice(0, 40));
    }""")
    assert too_wide == []


def test_admin_previews_then_imports_another_regions_map(page, live_server):
    """Uploading the other region's map onto the demo shows the six renamed or rewritten
    focus areas field by field and the findings rising, writes nothing, and "Importera"
    then imports it."""
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}/admin/utbyte")
    page.get_by_label("Fil (samverkan/1, JSON)").set_input_files(str(OTHER_REGION))
    page.get_by_role("button", name="Förhandsgranska importen").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Förhandsgranskning av importen")
    expect(page.locator("#preview-totals")).to_contain_text("81 nya poster")
    expect(page.locator("#preview-totals")).to_contain_text("6 ändrade")
    areas = page.locator("#preview-areas")
    row = areas.get_by_role("row", name=re.compile("kompetens"))
    expect(row.first).to_contain_text("Kompetensförsörjning och arbetsmiljö i primärvården")
    total = page.locator("#preview-findings tfoot tr")
    before, after = (int(total.locator("td").nth(i).inner_text()) for i in (0, 1))
    assert after > before
    principals = page.locator("#preview-findings").get_by_role(
        "row", name=re.compile("Huvudmän som saknas"))
    expect(principals).to_contain_text("+")
    screenshot(page, "import-preview-1280")
    page.set_viewport_size({"width": 360, "height": 740})
    screenshot(page, "import-preview-360")
    _preview_fits(page)
    page.set_viewport_size({"width": 1280, "height": 900})

    other = page.context.new_page()  # nothing was written by the preview
    answer = other.goto(f"{live_server}/forum/f.lsg")
    assert answer.status == 404
    other.close()
    page.get_by_role("button", name="Importera").click()

    expect(page).to_have_url(f"{live_server}/admin/utbyte")
    expect(page.locator(".flashes")).to_contain_text(
        "other_region.json är importerad: 81 nya, 6 ändrade")
    page.goto(f"{live_server}/forum/f.lsg")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Regional samverkansgrupp nära vård")


def test_errors_are_located_and_in_the_users_language(page, live_server):
    """A broken file lists each error at its place, in Swedish, then in English."""
    broken = {"format": "samverkan/1",
              "forums": [{"key": "lsg", "name": "LSG", "kind": "collaboration",
                          "level": "county", "reports_to": "xyz"}],
              "areas": [{"key": "a b", "name": "Fel nyckel"}]}
    upload = {"name": "trasig.json", "mimeType": "application/json",
              "buffer": json.dumps(broken).encode()}
    sign_in(page, live_server, "admin@example.org")
    page.goto(f"{live_server}/admin/utbyte")
    page.get_by_label("Fil (samverkan/1, JSON)").set_input_files(upload)
    page.get_by_role("button", name="Förhandsgranska importen").click()
    errors = page.locator("#import-errors")
    expect(errors).to_contain_text('forums[lsg].reports_to: okänt forum "xyz"')
    expect(errors).to_contain_text('areas[#0].key: ogiltig nyckel "a b"')
    screenshot(page, "import-errors-sv")

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.goto(f"{live_server}/admin/utbyte")
    page.get_by_label("File (samverkan/1, JSON)").set_input_files(upload)
    page.get_by_role("button", name="Preview the import").click()
    expect(errors).to_contain_text('forums[lsg].reports_to: unknown forum "xyz"')
    expect(errors).to_contain_text('areas[#0].key: invalid key "a b"')
