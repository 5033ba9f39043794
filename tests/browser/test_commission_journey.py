"""The commission lead follows up UPPDRAGiL 3.0 in a real browser, with htmx doing the updates."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

COMMISSION = "fm2025-uppdragil3"


def _in_english(page) -> None:
    """Switch the portal to English, so that the test reads the words it was written with."""
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


def test_lead_reaches_a_milestone_finishes_an_action_and_sees_the_history(page, live_server):
    """BP2 is marked reached and an action moved to done in place; the history shows both."""
    sign_in(page, live_server, "uppdrag@example.org")
    _in_english(page)
    page.goto(f"{live_server}/uppdrag/{COMMISSION}")
    screenshot(page, "commission-lead-en")

    ms1 = page.locator("#milestone-fm2025-ms1")
    ms1.get_by_text("Change").click()
    ms1.get_by_label("Reached on").fill("2025-10-01")
    ms1.get_by_role("button", name="Mark as reached").click()
    expect(page.locator("#milestone-fm2025-ms1")).to_contain_text("reached 1 Oct 2025")
    expect(page.locator("#summary")).to_contain_text("BP2")  # the next milestone moved on
    expect(page.locator("#live")).to_contain_text("MS1 is marked as reached.")
    screenshot(page, "commission-milestone-reached")

    row = page.locator("#action-a25-implementeringsplan")
    row.get_by_role("link", name=re.compile("^Change")).click()
    editing = page.locator("#action-a25-implementeringsplan.edit-row")
    expect(editing.get_by_role("textbox", name=re.compile("^Action"))).to_be_focused()
    editing.get_by_label("Status", exact=True).select_option("done")
    screenshot(page, "commission-action-editing")
    editing.get_by_role("button", name="Save").click()
    row = page.locator("#action-a25-implementeringsplan")
    expect(row).not_to_have_class(re.compile("edit-row"))
    expect(row).to_contain_text("Done")
    expect(row).to_contain_text("100 %")
    expect(row).to_contain_text("Saved")
    screenshot(page, "commission-action-saved")

    page.get_by_role("link", name="History of changes").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("History")
    history = page.locator("ol.history")
    milestone_entry = history.locator("li", has_text="MS1").first
    expect(milestone_entry).to_contain_text("Emma Holmström")  # the lead, by name
    expect(milestone_entry.locator("tr", has_text="Reached on")).to_contain_text("1 Oct 2025")
    action_entry = history.locator("li", has_text="Gemensam implementeringsplan").first
    expect(action_entry.locator("tr", has_text="Status")).to_contain_text("Planned")
    expect(action_entry.locator("tr", has_text="Status")).to_contain_text("Done")
    screenshot(page, "commission-history")


def test_a_stale_edit_shows_the_conflict_instead_of_overwriting(page, live_server):
    """Two tabs edit the same action; the second save is refused and shows what is saved now."""
    sign_in(page, live_server, "uppdrag@example.org")
    _in_english(page)
    # the sub-activity for the joint plan; the journey above may have finished the other one
    url = f"{live_server}/atgarder/a25-gemensam-plan/redigera"
    first = page
    second = page.context.new_page()
    first.goto(url)
    second.goto(url)

    first.get_by_label("Status", exact=True).select_option("in_progress")
    second.get_by_label("Status", exact=True).select_option("in_progress")
    first.get_by_label("Progress (%)").fill("70")
    first.get_by_role("button", name="Save").click()
    expect(first.locator(".flash-success")).to_contain_text("The action is saved.")

    second.get_by_label("Progress (%)").fill("90")
    second.get_by_role("button", name="Save").click()
    conflict = second.get_by_role("alert").filter(has_text="Someone else saved a change")
    expect(conflict).to_be_visible()
    expect(conflict.locator("tr", has_text="Progress")).to_contain_text("70 %")
    expect(conflict.locator("tr", has_text="Progress")).to_contain_text("90 %")
    expect(second.get_by_label("Progress (%)")).to_have_value("70")
    screenshot(second, "action-conflict")


def test_leadership_sees_every_commission_side_by_side(page, live_server):
    """The status overview names each commission's light in words."""
    sign_in(page, live_server, "ledning@example.org")
    _in_english(page)
    page.goto(f"{live_server}/uppdrag/status")
    expect(page.get_by_role("heading", level=1)).to_have_text("Status of the commissions")
    expect(page.locator(".status-card").first).to_contain_text("No status report")
    screenshot(page, "status-overview")
