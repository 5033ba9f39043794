"""The account pages pass axe-core, and the settings journey works in Chromium."""

from __future__ import annotations

import pytest

from tests.browser.axe import assert_no_serious_axe_violations
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


@pytest.fixture
def axe_page(browser):
    """A tab whose context lets the test inject axe-core despite the portal's CSP."""
    context = browser.new_context(viewport={"width": 1280, "height": 900}, bypass_csp=True,
                                  locale="sv-SE")
    tab = context.new_page()
    yield tab
    context.close()


def test_account_pages_have_no_serious_violations(axe_page, live_server):
    for path in ("/login", "/konto/glomt-losenord", "/konto/aterstall/not-a-link"):
        axe_page.goto(f"{live_server}{path}")
        assert_no_serious_axe_violations(axe_page)
    sign_in(axe_page, live_server, "admin@example.org")
    for path in ("/anvandare", "/anvandare/bjud-in", "/anvandare/2", "/konto/aviseringar",
                 "/konto/losenord"):
        axe_page.goto(f"{live_server}{path}")
        assert_no_serious_axe_violations(axe_page)


def test_choosing_the_weekly_digest_off_at_360_px(browser, live_server):
    """On a phone, a person turns one kind of notification off and sees it saved."""
    context = browser.new_context(viewport={"width": 360, "height": 780}, locale="sv-SE")
    page = context.new_page()
    sign_in(page, live_server, "forum@example.org")
    page.get_by_role("button", name="Meny").click()  # on a phone the menu folds away
    page.get_by_role("link", name="Mina inställningar").click()
    page.get_by_role("group", name="Nya iakttagelser om mina forum").get_by_label("Av").check()
    page.get_by_role("button", name="Spara").click()
    page.get_by_text("Dina aviseringsinställningar har sparats.").wait_for()
    assert page.get_by_role("group", name="Nya iakttagelser om mina forum").get_by_label(
        "Av").is_checked()
    screenshot(page, "notifications-360")
    context.close()
