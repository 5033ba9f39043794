"""A forum member logs a decision in a real browser; the map keeps up."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser


def _in_english(page) -> None:
    """Switch to English, the language the code is written in, so labels are stable."""
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_member_logs_a_decision_that_creates_an_action(page, live_server):
    """LSG's coordinator logs a decision with a new owned, dated action; both pages show it."""
    sign_in(page, live_server, "forum@example.org")
    _in_english(page)
    page.goto(f"{live_server}/forum/lsg")
    screenshot(page, "forum-lsg-en")
    page.get_by_role("link", name="Register decision").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Register a decision")

    page.get_by_label("Date of the decision").fill("2025-11-20")
    page.get_by_label("Title").first.fill("LSG inför en gemensam SIP-mall")
    page.get_by_label("Decision text").fill("Kommunerna och regionen använder samma SIP-mall.")
    # An action of no commission (one of a commission LSG neither owns nor co-owns would be
    # refused: a decision links only its own commissions' actions).
    page.get_by_label("Find actions by title or key").fill("gemensamma planen")  # htmx, live
    existing = page.locator("#action-choices").get_by_label(
        re.compile("Implementera den gemensamma planen"))
    expect(existing).to_be_visible()
    existing.check()

    new = page.locator("fieldset.new-action").first
    new.get_by_label("What is to be done").fill("Ta fram en gemensam SIP-mall")
    new.get_by_label("Owner (person)").select_option("jenny-sandberg")
    expect(new.get_by_label("Owner (forum)")).to_have_value("lsg")
    new.get_by_label("Due date").fill("2026-03-31")
    new.get_by_label(re.compile("Planering och samverkan")).check()
    plan = "Gemensam plan för hälsa, vård och omsorg i Västerbotten"
    page.get_by_role("group", name="Documents the decision adopts or rests on").get_by_label(
        plan).check()
    screenshot(page, "decision-form-filled")
    page.get_by_role("button", name="Save as final decision").click()

    expect(page).to_have_url(re.compile(r"/beslut/lsg-2025-11-20-"))
    expect(page.get_by_role("heading", level=1)).to_have_text("LSG inför en gemensam SIP-mall")
    actions = page.locator("table").first
    row = actions.get_by_role("row", name=re.compile("Ta fram en gemensam SIP-mall"))
    expect(row).to_contain_text("Jenny Sandberg")
    expect(row).to_contain_text("31 Mar 2026")
    expect(actions).to_contain_text("Implementera den gemensamma planen")
    screenshot(page, "decision-saved")
    documents = page.get_by_role("region", name="Documents it adopts or rests on")
    expect(documents.get_by_role("link", name=plan)).to_have_attribute(
        "href", "/dokument/plan-halsa-vard-omsorg")

    page.get_by_role("link", name=re.compile("Länssamverkansgruppen")).first.click()
    expect(page.locator("#decisions ~ ul")).to_contain_text("LSG inför en gemensam SIP-mall")
    owned = page.locator("#actions ~ table")
    expect(owned.get_by_role("row", name=re.compile("Ta fram en gemensam SIP-mall"))
           ).to_contain_text("31 Mar 2026")
    screenshot(page, "forum-lsg-after")


def test_correcting_a_decision_keeps_the_old_version(page, live_server):
    """A correction becomes version 2; version 1 says it is superseded."""
    sign_in(page, live_server, "forum@example.org")
    _in_english(page)
    page.goto(f"{live_server}/beslut/lsg-2024-10-nav")
    page.get_by_role("link", name="Correct the decision").click()
    page.get_by_label("Why is the decision corrected?").fill("Fel datum i protokollet.")
    page.get_by_label("Date of the decision").fill("2024-10-11")
    screenshot(page, "decision-correct-form")
    page.get_by_role("button", name="Save the correction").click()
    expect(page).to_have_url(re.compile(r"/beslut/lsg-2024-10-nav\.v2$"))
    expect(page.get_by_text("Correction of version 1.")).to_be_visible()
    screenshot(page, "decision-v2")
    page.get_by_role("link", name="Read version 1").click()
    expect(page.get_by_text("Superseded.")).to_be_visible()
    screenshot(page, "decision-v1-superseded")


def test_the_coordinator_ends_a_membership(page, live_server):
    """Ending a seat moves the person to former members, without a page reload (htmx)."""
    sign_in(page, live_server, "forum@example.org")
    _in_english(page)
    page.goto(f"{live_server}/forum/lsg/medlemmar")
    row = page.get_by_role("row", name=re.compile("Ronja Holmberg"))
    row.get_by_role("button", name=re.compile("End")).click()
    former = page.locator("#former ~ table")
    expect(former).to_contain_text("Ronja Holmberg")
    expect(page.get_by_role("status")).to_contain_text("The members were updated.")
    screenshot(page, "members-after-end")


def test_admin_reads_the_indicator_chart_and_searches(page, live_server):
    """The indicator chart is drawn; the search answers as the admin types."""
    sign_in(page, live_server, "admin@example.org")
    _in_english(page)
    page.goto(f"{live_server}/indikatorer/fast-lakarkontakt-andel")
    expect(page.get_by_role("img", name=re.compile("over time"))).to_be_visible()
    screenshot(page, "indicator-chart")
    page.get_by_role("searchbox", name=re.compile("^Search forums, people")).fill("LSG")
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/sok\?q=LSG"))
    # The URL changes before htmx (a deferred script) has wired the field: typing earlier would
    # reach a field nobody listens to yet, so wait for the page to finish loading.
    page.wait_for_load_state("load")
    page.locator("#search-q").fill("primärvård")
    # The answer for the new words names them (the page for "LSG" already says "primärvård").
    expect(page.locator("#search-results")).to_contain_text("“primärvård”", timeout=15_000)
    expect(page).to_have_url(re.compile(r"q=prim"))
    screenshot(page, "search")
