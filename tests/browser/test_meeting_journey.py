"""The meeting cycle in a real browser, at desktop width and at 360 px: the coordinator plans
meetings from a cadence, builds the agenda from the forum's open actions, publishes the notice,
opens the meeting, records attendance, logs two decisions on agenda items and approves the
minutes; a member then sees the decisions as final and the new action on My work. axe-core
checks every new page on the way, in English, and the same pages in Swedish."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from playwright.sync_api import expect

from portal.dates import today
from tests.browser.axe import AXE, FAILING_IMPACTS, assert_no_serious_axe_violations, describe
from tests.browser.conftest import screenshot, serve_portal, sign_in

pytestmark = pytest.mark.browser

MEMBER = "ledamot@region.example"
HELD_DAY = date(2025, 11, 11)


@pytest.fixture(scope="module")
def meeting_server(tmp_path_factory, database_url, _schema):
    """The demo, and an account for a plain member of LSG."""

    def load():
        from sqlalchemy import select

        from portal.auth.services import create_user
        from portal.decisions.services import DecisionData
        from portal.demo.loader import DEMO_PASSWORD, load_demo
        from portal.extensions import db
        from portal.meetings import services
        from portal.models import Forum, Person, User

        load_demo()
        member = db.session.scalar(select(Person).where(Person.key == "helena-ronnqvist"))
        create_user(None, MEMBER, DEMO_PASSWORD, "forum_member", member, check_password=False)
        # A held meeting with its minutes in draft, for the pages checked in Swedish.
        officer = db.session.scalar(select(User).where(User.email == "forum@example.org"))
        lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
        [held] = services.plan_meetings(officer, lsg, services.Plan(
            first=HELD_DAY, place="Regionens hus, Umeå", start=time(9, 0), duration=120))
        services.add_item(officer, held, "Föregående protokoll")
        services.publish_agenda(officer, held)
        services.open_meeting(officer, held, [officer.person.key])
        services.mark_attendance(officer, held, officer.person, "present")
        services.mark_attendance(officer, held, member, "apologies")
        services.log_decision(officer, held, held.agenda[0],
                              DecisionData(title="Protokollet läggs till handlingarna"))
        db.session.commit()

    yield from serve_portal(tmp_path_factory, database_url, load)


def _tab(browser, width: int):
    context = browser.new_context(viewport={"width": width, "height": 900}, bypass_csp=True,
                                  locale="sv-SE")
    return context, context.new_page()


def _main_violations(page) -> list[dict]:
    """axe-core on the page's main content only."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(path=str(AXE))
    result = page.evaluate(
        "async () => await window.axe.run('#main', {resultTypes: ['violations']})")
    return [v for v in result["violations"] if v.get("impact") in FAILING_IMPACTS]


def _checked(page, name: str, fits: bool = True) -> None:
    """A screenshot, axe-core, and content that fits the width (no sideways scrolling).

    At 360 px the shared header (base layout, not these pages) overflows, so there axe-core
    and the width are checked on the main content.
    """
    width = page.viewport_size["width"]
    screenshot(page, f"meeting-{name}-{width}")
    if width >= 1000:
        assert_no_serious_axe_violations(page)
    else:
        violations = _main_violations(page)
        assert not violations, f"axe-core on {page.url}:\n{describe(violations)}"
    if not fits:  # a page of another area, whose tables are not these pages' to fix
        return
    main = page.evaluate("() => { const m = document.getElementById('main');"
                         " return [m.scrollWidth, m.clientWidth]; }")
    assert main[0] <= main[1] + 1, f"{page.url}: content is {main[0]} px wide in {main[1]} px"


def _submit(page, button) -> None:
    """Leave the field being typed in, then press the button.

    At 360 px the shared header makes the page wider than the screen, and headless Chromium
    then loses the first click that also blurs a just-filled number field (base layout).
    """
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    button.click()


def _english(page) -> None:
    menu = page.get_by_role("button", name="Meny")
    if menu.is_visible():  # on a phone the language switch is inside the compact menu
        menu.click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")


@pytest.mark.parametrize(("width", "offset"), [(1280, 0), (360, -1)])
def test_plan_agenda_attendance_decisions_approval(browser, meeting_server, width, offset):
    base = meeting_server
    day = today() + timedelta(days=offset)
    key = f"lsg-{day.isoformat()}"
    context, page = _tab(browser, width)
    sign_in(page, base, "forum@example.org")
    _english(page)

    # Plan: every two weeks, three meetings, from the forum page.
    page.goto(f"{base}/forum/lsg")
    page.locator("#meetings ~ p, section:has(#meetings)").get_by_role(
        "link", name="Plan meetings").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Plan meetings")
    page.get_by_label("Date of the (first) meeting").fill(day.isoformat())
    page.get_by_label("Starts at").fill("09:00")
    page.get_by_label("Duration (minutes)").fill("120")
    page.get_by_label("Place").fill("Regionens hus, Umeå")
    page.get_by_label("How often").select_option("weekly")
    page.get_by_label("Every how many weeks or months").fill("2")
    page.get_by_label("Or: number of meetings").fill("3")
    _checked(page, "plan")
    _submit(page, page.get_by_role("button", name="Plan the meeting", exact=True))
    expect(page.get_by_text("3 meeting(s) planned.")).to_be_visible()
    _checked(page, "forum-list")

    # Agenda from what needs the forum: its open action, then the follow-up of earlier decisions.
    page.goto(f"{base}/moten/{key}")
    page.get_by_role("link", name="Edit the agenda").click()
    lists = page.locator("aside.needs ul.suggestions")
    add = re.compile("Add to the agenda")
    action = lists.nth(0).locator("li").first
    titles = [action.locator("a").first.inner_text()]
    action.get_by_role("button", name=add).click()
    expect(page.get_by_text("The item was added to the agenda.")).to_be_visible()
    expect(lists.nth(0).locator("li").first).to_contain_text("on the agenda")
    page.get_by_role("button", name=re.compile("Add to the agenda.*Follow-up of earlier")).click()
    expect(page.get_by_text("The item was added to the agenda.")).to_be_visible()
    titles.append("Follow-up of earlier decisions")
    agenda = page.locator("ol.agenda")
    expect(agenda.locator("> li")).to_have_count(2)
    expect(agenda).to_contain_text(titles[0])
    _checked(page, "agenda")
    page.get_by_role("button", name="Publish the notice").click()
    expect(page.get_by_text("The notice was published.")).to_be_visible()
    page.get_by_role("link", name="Notice", exact=True).click()
    expect(page.locator("ol.agenda")).to_contain_text(titles[1])
    _checked(page, "notice")
    page.goto(f"{base}/moten/{key}/foredragningslista")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Agenda")
    assert_no_serious_axe_violations(page)

    # Open the meeting with the coordinator as approver, then attendance by one click each.
    page.goto(f"{base}/moten/{key}")
    _checked(page, "planned")
    approvers = page.locator("section:has(#open) fieldset")
    for box in approvers.get_by_role("checkbox").all():
        box.uncheck()
    approvers.get_by_label(re.compile("Jenny Sandberg")).check()
    page.get_by_role("button", name="Open the meeting").click()
    expect(page).to_have_url(re.compile(r"/narvaro$"))
    chair = page.locator("#row-jimmy-ostrom")
    chair.get_by_role("button", name=re.compile("^Present")).click()
    expect(chair.locator(".mark-now")).to_contain_text("Present")
    expect(page.locator("#attendance-summary")).to_contain_text("1 present, 0 sent apologies")
    member = page.locator("#row-helena-ronnqvist")
    member.get_by_role("button", name=re.compile("^Apologies")).click()
    expect(member.locator(".mark-now")).to_contain_text("Sent apologies")
    expect(page.locator("#row-jenny-sandberg")).to_contain_text("Hälso- och sjukvårdsförvaltningen")
    page.locator("#row-jenny-sandberg").get_by_role("button", name=re.compile("^Present")).click()
    expect(page.locator("#row-jenny-sandberg .mark-now")).to_contain_text("Present")
    page.get_by_label("Find a person by name").fill("Emma")
    found = page.locator("#found li").first
    expect(found).to_be_visible()
    found.get_by_label("Stands in for").select_option("helena-ronnqvist")
    found.get_by_role("button", name=re.compile("Add as present")).click()
    expect(page.get_by_text("Substitute for Helena")).to_be_visible()
    _checked(page, "attendance")

    # Two decisions on the two agenda items.
    for number, title in ((1, "LSG ställer sig bakom arbetssättet"), (2, "LSG ger uppdrag")):
        page.goto(f"{base}/moten/{key}")
        page.get_by_role("link", name=re.compile(f"Register a decision on item {number}")).click()
        page.get_by_label("Title").first.fill(title)
        page.get_by_label("Decision text").fill("Beslutet fattades enhälligt.")
        if number == 2:
            new = page.locator("fieldset.new-action").first
            new.get_by_label("What is to be done").fill(f"Följ upp arbetssättet {width}")
            new.get_by_label("Due date").fill((day + timedelta(days=60)).isoformat())
            _checked(page, "decision-form")
        _submit(page, page.get_by_role("button", name="Save in the minutes"))
        expect(page).to_have_url(re.compile(r"/protokoll$"))
    expect(page.locator(".item-decision")).to_have_count(2)
    expect(page.locator(".item-decision .status-draft")).to_have_count(2)
    _checked(page, "minutes-draft")

    # Approve: the minutes and both decisions are final.
    page.get_by_role("button", name="Approve the minutes").click()
    expect(page.get_by_text("The minutes are approved.")).to_be_visible()
    expect(page.locator(".item-decision .status-done")).to_have_count(2)
    _checked(page, "minutes-approved")
    context.close()

    # A member sees the decisions as final and the new action on My work.
    context, page = _tab(browser, width)
    sign_in(page, base, MEMBER)
    _english(page)
    page.goto(f"{base}/moten/{key}/protokoll")
    expect(page.get_by_text(re.compile("Approved on .* by Jenny Sandberg"))).to_be_visible()
    page.get_by_role("link", name="LSG ger uppdrag").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("LSG ger uppdrag")
    expect(page.locator(".status-draft")).to_have_count(0)
    page.goto(f"{base}/mitt-arbete")
    expect(page.get_by_role("link", name=f"Följ upp arbetssättet {width}")).to_be_visible()
    _checked(page, "my-work", fits=False)
    mine = page.locator("section:has(#my-meetings)")
    assert mine.evaluate("e => e.scrollWidth <= e.clientWidth + 1")
    page.goto(f"{base}/moten")
    _checked(page, "index")
    context.close()


def test_meeting_pages_in_swedish(browser, meeting_server):
    """The meeting pages in Swedish, the default, pass axe-core too."""
    base = meeting_server
    context, page = _tab(browser, 1280)
    sign_in(page, base, "forum@example.org")
    for path in ("/moten", "/forum/lsg", "/forum/lsg/moten", "/forum/lsg/moten/planera",
                 "/forum/lsg/deltagande",
                 f"/moten/lsg-{HELD_DAY}", f"/moten/lsg-{HELD_DAY}/narvaro",
                 f"/moten/lsg-{HELD_DAY}/protokoll", f"/moten/lsg-{HELD_DAY}/kallelse",
                 f"/moten/lsg-{HELD_DAY}/dagordning", f"/moten/lsg-{HELD_DAY}/foredragningslista",
                 f"/forum/lsg/deltagande?as_of={HELD_DAY}"):
        response = page.goto(f"{base}{path}")
        assert response.status == 200, path
        expect(page.locator("html")).to_have_attribute("lang", "sv")
        assert_no_serious_axe_violations(page)
        screenshot(page, "meeting-sv-" + path.strip("/").replace("/", "-"))
    context.close()
