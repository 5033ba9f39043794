"""Small things that cost trust, in a real browser: Enter in a decision's title, and the
commission's summary cards following an action changed in place."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in

pytestmark = pytest.mark.browser
COMMISSION = "fm2025-uppdragil3"


def test_enter_in_the_decision_title_neither_searches_nor_saves(page, live_server):
    """Enter in the title stays in the form; Enter in the action search runs that search."""
    sign_in(page, live_server, "forum@example.org")
    page.goto(f"{live_server}/forum/lsg/beslut/ny")
    # The button Enter uses without JavaScript is there but never shown
    expect(page.locator("#decision-form button.default-submit")).to_be_hidden()
    requests = []
    page.on("request", lambda r: requests.append((r.method, r.url)))
    # A submission or a search starts while Enter is handled: count them in the page, where
    # they happen, so the check needs no waiting (the form's own handlers run before these).
    page.evaluate("""() => { window.started = [];
      window.addEventListener('submit', e => { if (!e.defaultPrevented) started.push('submit'); });
      document.body.addEventListener('htmx:beforeSend',
        e => started.push(e.detail.requestConfig.path)); }""")
    title = page.get_by_label(re.compile("^Titel"))
    title.fill("Gemensam plan")
    title.press("Enter")
    assert page.evaluate("window.started") == []
    assert not [r for r in requests if "/beslut/atgarder" in r[1] or r[0] == "POST"], requests
    expect(page).to_have_url(f"{live_server}/forum/lsg/beslut/ny")
    expect(title).to_have_value("Gemensam plan")

    search = page.get_by_role("searchbox", name=re.compile("Sök åtgärder"))
    search.fill("plan")
    search.press("Enter")
    expect(page.locator("#action-choices")).to_contain_text("plan")
    assert not [r for r in requests if r[0] == "POST"]
    expect(title).to_have_value("Gemensam plan")


def _overdue(page) -> int:
    cards = page.locator("#summary .glance-item", has_text="Försenade åtgärder")
    return int(cards.locator(".glance-num").inner_text())


def test_the_summary_cards_follow_an_action_changed_in_place(page, live_server):
    """Marking an overdue action done in the table updates the cards above it (htmx OOB)."""
    sign_in(page, live_server, "uppdrag@example.org")
    page.goto(f"{live_server}/uppdrag/{COMMISSION}")
    before = _overdue(page)
    done_before = page.locator("#summary .glance-item", has_text="Genomfört totalt").inner_text()
    assert before > 0
    row = page.locator("#action-table tbody tr", has_text="försenad").first
    key = row.get_attribute("id")
    row.get_by_role("link", name=re.compile("^Ändra")).click()
    editing = page.locator(f"#{key}.edit-row")
    editing.get_by_label("Status", exact=True).select_option("done")
    editing.get_by_role("button", name="Spara").click()
    expect(page.locator(f"#{key}")).to_contain_text("Sparad")
    expect(page.locator("#summary .glance-item", has_text="Försenade åtgärder")
           .locator(".glance-num")).to_have_text(str(before - 1))
    assert page.locator("#summary .glance-item", has_text="Genomfört totalt").inner_text() \
        != done_before
    page.reload()  # what the server now says agrees with what the swap showed
    assert _overdue(page) == before - 1
