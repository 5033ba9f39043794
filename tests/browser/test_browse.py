"""A person signs in with a real browser and reads the demo map."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def test_sign_in_and_see_my_overview(page, live_server):
    """The commission lead signs in and lands on their overview with their commission."""
    sign_in(page, live_server, "uppdrag@example.org")
    assert page.get_by_role("heading", level=1).inner_text() == "Min översikt"
    assert page.get_by_role("heading", name="Mina uppdrag").is_visible()
    screenshot(page, "overview-commission-lead-sv")


def test_wrong_password_shows_a_message(page, live_server):
    """A wrong password keeps the person on the sign-in page with a clear message."""
    page.goto(f"{live_server}/login")
    page.get_by_label("E-postadress").fill("forum@example.org")
    page.get_by_label("Lösenord").fill("fel-lösenord")
    page.get_by_role("button", name="Logga in").click()
    assert page.get_by_text("Fel e-postadress eller lösenord.").is_visible()


def test_switch_to_english_and_back(page, live_server):
    """The language button switches the whole page to English and back to Swedish."""
    sign_in(page, live_server, "ledning@example.org")
    page.get_by_role("button", name="English").click()
    assert page.get_by_role("heading", level=1).inner_text() == "My overview"
    assert page.locator("html").get_attribute("lang") == "en"
    screenshot(page, "overview-leadership-en")
    page.get_by_role("button", name="Svenska").click()
    assert page.get_by_role("heading", level=1).inner_text() == "Min översikt"


def test_browse_from_forum_to_person_with_the_keyboard(page, live_server):
    """From the forum list, keyboard navigation reaches LSG and one of its members."""
    sign_in(page, live_server, "forum@example.org")
    page.goto(f"{live_server}/forum")
    page.get_by_role("link", name="Länssamverkansgruppen", exact=False).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_url(f"{live_server}/forum/lsg")
    screenshot(page, "forum-lsg-sv")
    members = page.locator("#members ~ table tbody tr")
    assert members.count() >= 10
    members.first.get_by_role("link").first.click()
    assert "/personer/" in page.url


def test_filter_forums_in_place(page, live_server):
    """Typing in the forum filter narrows the list without leaving the page."""
    sign_in(page, live_server, "forum@example.org")
    page.goto(f"{live_server}/forum")
    page.get_by_role("searchbox", name="Sök", exact=True).fill("LSO 1+2")
    rows = page.locator("#forum-results tbody tr")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text("Ledningsgrupp för LSO 1+2")
    expect(page).to_have_url(re.compile(r"q=LSO"))  # the filtered view can be bookmarked
    assert page.get_by_role("heading", level=1).inner_text() == "Forum"


def test_commission_page(page, live_server):
    """The 2025 commission shows its timeline with overdue milestones marked in words."""
    sign_in(page, live_server, "uppdrag@example.org")
    page.get_by_role("link", name="Uppdrag", exact=True).click()
    page.locator("table a").first.click()
    assert page.get_by_role("heading", name="Milstolpar").is_visible()
    assert page.get_by_text("försenad").first.is_visible()
    screenshot(page, "commission-sv")


def test_the_harness_catches_csp_violations_console_errors_and_uncaught_exceptions(
        page, live_server, _no_page_problems):
    """What a broken page does is collected, so that the test that opened it fails."""
    page.goto(f"{live_server}/login")
    with page.expect_console_message(lambda m: m.text.startswith("CSP violation")):
        page.evaluate("""() => document.head.appendChild(
            Object.assign(document.createElement("style"), {textContent: "body {}"}))""")
    with page.expect_console_message(lambda m: m.text == "broken"):
        page.evaluate("() => console.error('broken')")
    with page.expect_event("pageerror"):
        page.evaluate("() => setTimeout(() => { throw new Error('thrown'); })")
    found = "\n".join(_no_page_problems.found)
    assert "CSP violation: style-src" in found and "/login: broken" in found
    assert "uncaught" in found and "thrown" in found
    _no_page_problems.found.clear()  # seen: this test's pages are broken on purpose
