"""axe-core finds no serious or critical violations on the pages the work journeys visit."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser

COMMISSION = "fm2025-uppdragil3"
PAGES = {
    "uppdrag@example.org": ["/", "/mitt-arbete", "/uppdrag", f"/uppdrag/{COMMISSION}",
                            f"/uppdrag/{COMMISSION}/historik", "/uppdrag/status", "/kalender"],
    "forum@example.org": ["/forum/lsg", "/forum/lsg/beslut", "/forum/lsg/beslut/ny", "/beslut",
                          "/sok?q=plan", "/indikatorer"],
    "ledning@example.org": ["/analys", "/fokusomraden", "/personer", "/organisationer"],
}


@pytest.fixture
def axe_page(browser):
    """A tab whose context lets the test inject axe-core despite the portal's CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                  locale="sv-SE")
    tab = context.new_page()
    yield tab
    context.close()


@pytest.mark.parametrize("email", sorted(PAGES))
def test_journey_pages_have_no_serious_violations(axe_page, live_server, email):
    """Every page of the role's journey passes axe-core (serious and critical rules)."""
    sign_in(axe_page, live_server, email)
    for path in PAGES[email]:
        axe_page.goto(f"{live_server}{path}")
        assert_no_serious_axe_violations(axe_page)


def test_commission_page_after_an_htmx_swap(axe_page, live_server):
    """After filtering the actions in place, the swapped table still passes axe-core."""
    sign_in(axe_page, live_server, "uppdrag@example.org")
    axe_page.goto(f"{live_server}/uppdrag/{COMMISSION}")
    assert_no_serious_axe_violations(axe_page)
    status = axe_page.locator("select[name=status]").first
    status.select_option("done")
    expect(axe_page).to_have_url(re.compile(r"status=done"))
    assert_no_serious_axe_violations(axe_page)
