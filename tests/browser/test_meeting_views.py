"""Three views of the meetings work in a real browser, as a person uses them:

- the map's network switch (formal / observed in meetings / the difference), by keyboard;
- a decision point's page, where the commission lead links a milestone to the final
  decisions that took it, and the commission's timeline that then shows them;
- the page that asks before a draft decision is discarded, with the actions it proposed.

Each page is checked at 1280 and 360 px, in Swedish and in English: axe-core finds nothing
serious, the page does not scroll sideways, and the conftest fails the test on any console
error or CSP violation. axe-core is served to the page from the portal's own address by the
browser (it never reaches the portal), so the CSP stays on while it runs.
"""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from babel.dates import format_date
from playwright.sync_api import expect

from portal.dates import today
from tests.browser.axe import AXE, assert_no_serious_axe_violations
from tests.browser.conftest import screenshot, serve_portal, sign_in
from tests.browser.test_small_screens import OVERFLOW

pytestmark = pytest.mark.browser

WIDTHS = (1280, 360)
LEAD = "uppdrag@example.org"  # Emma Holmström, lead of UPPDRAGiL 3.0
SECRETARY = "forum@example.org"  # Jenny Sandberg, coordinator of LSG
LEADERSHIP = "ledning@example.org"
COMMISSION = "fm2025-uppdragil3"
# Per decision point: how many days ago HSN took it on an agenda item about it (approved
# minutes), and the decision's title. The lead links one at each width.
HSN_DECISIONS = {
    "fm2025-bp2": (10, "HSN fastställer att delaktiviteterna är slutförda (BP2)"),
    "fm2025-bp3": (5, "HSN tar emot leveransen av UPPDRAGiL 3.0 (BP3)"),
}
HSN = "Hälso- och sjukvårdsnämnden (HSN)"
DRAFT = "LSG prövar gemensam inskrivning"  # a draft made by the fixture, for the Swedish pages
DRAFT_ACTION = "Pröva gemensam inskrivning i två kommuner"
# A working group with no recorded meeting in the demo: the fixture records one where only the
# chair comes, with a guest. Its three other members use their seat nowhere else.
GROUP = "ag-kompetensplan"
CAME = "oskar-wennberg"
GUEST = "helena-ronnqvist"
ABSENT = ("Amanda Lind", "Jakob Mattsson", "Reza Ahmadi")
AXE_URL = "/__tests__/axe.min.js"  # answered by the browser, never by the portal
# A language switch is a form post and a whole page again: on a busy machine (other test runs
# beside this one) that took longer than the default 5 s once in a dozen runs.
SWITCH_MS = 15_000

# What the person reads, in both languages.
WORDS = {
    "sv": {
        "formal": "Formell",
        "observed": "Observerad",
        "difference": "Skillnad",
        "network": "Nätverk",
        "meetings": "Möten:",
        "find": "Hitta ett forum eller en person",
        "nothing": "Inget på kartan matchar ”Reza Ahmadi”.",
        "found": "Hittad: Reza Ahmadi.",
        "as text": "Samma struktur som text",
        "in meetings": "På mötena",
        "absent": "Medlemmar som saknades vid de senaste mötena",
        "guest": "Kom utan att ha en plats",
        # Counts in the status line, each noun in the form its number takes.
        "counted": (r"(\d+) (gäst|gäster) utan plats", r"(\d+) (medlem|medlemmar) saknades",
                    r"(\d+) (forum) och"),
        "forms": (("gäst", "gäster"), ("medlem", "medlemmar"), ("forum", "forum")),
    },
    "en": {
        "formal": "Formal",
        "observed": "Observed",
        "difference": "Difference",
        "network": "Network",
        "meetings": "Meetings:",
        "find": "Find a forum or person",
        "nothing": "Nothing on the map matches “Reza Ahmadi”.",
        "found": "Found: Reza Ahmadi.",
        "as text": "The same structure as text",
        "in meetings": "In meetings",
        "absent": "Members absent from the latest meetings",
        "guest": "Came without a seat",
        "counted": (r"(\d+) (guests?) without a seat", r"(\d+) (members?) absent",
                    r"(\d+) (forums?) and"),
        "forms": (("guest", "guests"), ("member", "members"), ("forum", "forums")),
    },
}


def _counts_read_right(status: str, lang: str) -> list[int]:
    """The counts the status line gives, after checking that each noun takes the form of its
    number ("1 guest", "2 guests"; "1 gäst", "2 gäster"); the counts, in order."""
    counts = []
    for pattern, (one, other) in zip(WORDS[lang]["counted"], WORDS[lang]["forms"],
                                     strict=True):
        found = re.search(pattern, status)
        assert found, f"{pattern!r} not in the status line: {status!r}"
        number, noun = int(found.group(1)), found.group(2)
        assert noun == (one if number == 1 else other), f"{number} {noun} in {status!r}"
        counts.append(number)
    return counts


def _record_meetings() -> None:
    """A held meeting of the working group where only its chair came (and a guest), and an
    HSN meeting whose approved minutes decide BP2 on an agenda item about it."""
    from sqlalchemy import select

    from portal.auth.services import create_user
    from portal.decisions.services import DecisionData, NewAction
    from portal.decisions.services import log_decision as log_draft
    from portal.demo.loader import DEMO_PASSWORD
    from portal.extensions import db
    from portal.meetings import services
    from portal.models import Forum, Person, User

    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    person = {p.key: p for p in db.session.scalars(select(Person))}
    forum = {f.key: f for f in db.session.scalars(select(Forum))}

    day = today() - timedelta(days=20)
    [meeting] = services.plan_meetings(
        admin,
        forum[GROUP],
        services.Plan(first=day, place="Digitalt", start=time(13, 0), duration=60),
    )
    services.add_item(admin, meeting, "Kompetensförsörjningsplanen")
    services.publish_agenda(admin, meeting)
    services.open_meeting(admin, meeting, [CAME])
    services.mark_attendance(admin, meeting, person[CAME], "present")
    services.mark_attendance(admin, meeting, person[GUEST], "present")

    chair = create_user(
        None,
        "ordforande@region.example",
        DEMO_PASSWORD,
        "forum_member",
        person["eva-marklund"],
        check_password=False,
    )
    for milestone, (days_ago, title) in HSN_DECISIONS.items():
        day = today() - timedelta(days=days_ago)
        [meeting] = services.plan_meetings(
            admin,
            forum["hsn"],
            services.Plan(first=day, place="Regionens hus, Umeå", start=time(9, 0), duration=120),
        )
        item = services.add_item(admin, meeting, None, link=f"milestone:{milestone}")
        services.publish_agenda(admin, meeting)
        services.open_meeting(admin, meeting, ["eva-marklund"])
        services.log_decision(
            admin,
            meeting,
            item,
            DecisionData(title=title, text="Nämnden fattar beslut enligt förslaget."),
        )
        services.approve_minutes(chair, meeting, day)

    secretary = db.session.scalar(select(User).where(User.email == SECRETARY))
    log_draft(
        secretary,
        forum["lsg"],
        DecisionData(
            title=DRAFT,
            date=today(),
            text="Två kommuner prövar en gemensam inskrivning.",
            new_actions=[
                NewAction(
                    title=DRAFT_ACTION,
                    owner_person="jenny-sandberg",
                    owner_forum="lsg",
                    due=today() + timedelta(days=90),
                )
            ],
        ),
        final=False,
    )
    db.session.commit()


@pytest.fixture(scope="module")
def views_server(tmp_path_factory, database_url, _schema):
    """The demo, with the meetings above."""

    def load():
        from portal.demo.loader import load_demo

        load_demo()
        _record_meetings()

    yield from serve_portal(tmp_path_factory, database_url, load)


@pytest.fixture
def tab(browser, views_server):
    """Open tabs of a given width, each with its own cookies; axe-core is served to them from
    the portal's address, so it runs under the portal's CSP."""
    contexts = []

    def open_tab(width: int):
        context = browser.new_context(viewport={"width": width, "height": 900}, locale="sv-SE")
        context.route(
            f"{views_server}{AXE_URL}",
            lambda route: route.fulfill(path=str(AXE), content_type="text/javascript"),
        )
        contexts.append(context)
        return context.new_page()

    yield open_tab
    for context in contexts:
        context.close()


def _english(page) -> None:
    """Switch to English, from the compact menu on a phone."""
    menu = page.get_by_role("button", name="Meny")
    if menu.is_visible():
        menu.click()
    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en", timeout=SWITCH_MS)


def _signed_in(tab, base: str, email: str, width: int, lang: str):
    page = tab(width)
    sign_in(page, base, email)
    if lang == "en":
        _english(page)
    return page


def _checked(page, name: str) -> None:
    """A screenshot, axe-core on the whole page, and a page that does not scroll sideways."""
    page.wait_for_load_state()  # its stylesheets applied: the layout is the one people see
    width = page.viewport_size["width"]
    lang = page.locator("html").get_attribute("lang")
    screenshot(page, f"views-{name}-{lang}-{width}")
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(url=AXE_URL)
    assert_no_serious_axe_violations(page)
    found = page.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], (
        f"{page.url} is {found['scroll']} px wide at {found['width']} px: {found['culprits']}"
    )


# --- (a) The network switch of the map ---------------------------------------------------------


def _tools_fit(page) -> None:
    """Each choice of the network keeps its button beside its name (one line box each), and
    the search form above the map is no taller than its field: no blank band on a phone."""
    lines = page.locator(".network-switch label").evaluate_all(
        "labels => labels.map(l => l.getClientRects().length)"
    )
    assert lines == [1, 1, 1], f"a choice of the network is split over lines: {lines}"
    blank = page.locator("#map-find").evaluate(
        "f => f.getBoundingClientRect().bottom"
        " - f.querySelector('.inline').getBoundingClientRect().bottom"
    )
    assert blank <= 2, f"{blank} px of blank under the search field"


@pytest.mark.parametrize("width", WIDTHS)
@pytest.mark.parametrize("lang", ["sv", "en"])
def test_the_network_switch_by_keyboard(tab, views_server, lang, width):
    """The switch is reached with Tab and moved with the arrow keys; each network redraws the
    map and says in words what it shows. Observed leaves out the members who never came, the
    difference shows them, and its text view names them."""
    words = WORDS[lang]
    page = _signed_in(tab, views_server, LEADERSHIP, width, lang)
    page.goto(f"{views_server}/karta")
    canvas, status = page.locator("#map-canvas"), page.locator("#map-status")
    expect(status).to_have_attribute("role", "status")  # what it says is read out
    expect(canvas).to_have_attribute("data-drawn", re.compile(r"^\d+$"))
    switch = page.get_by_role("group", name=words["network"])
    formal = switch.get_by_role("radio", name=words["formal"], exact=True)
    observed = switch.get_by_role("radio", name=words["observed"], exact=True)
    difference = switch.get_by_role("radio", name=words["difference"], exact=True)
    expect(formal).to_be_checked()
    expect(status).not_to_contain_text(words["meetings"])
    formal_drawn = int(canvas.get_attribute("data-drawn"))
    expect(canvas).to_have_attribute("data-labels", "placed")  # names sized for the zoom
    _checked(page, "map-formal")
    _tools_fit(page)

    # Tab from the control before it lands on the chosen network; arrows choose another.
    page.locator("#map-filter input[name=organisations]").focus()
    page.keyboard.press("Tab")
    expect(formal).to_be_focused()
    page.keyboard.press("ArrowRight")
    expect(observed).to_be_focused()
    expect(observed).to_be_checked()
    expect(formal).not_to_be_checked()
    expect(canvas).to_have_attribute("data-observed", "observed")
    expect(status).to_contain_text(words["meetings"])
    # The one guest of the working group's meeting is told as one guest, not "1 guests".
    assert _counts_read_right(status.inner_text(), lang)[0] == 1
    expect(page).to_have_url(re.compile(r"natverk=observerad"))
    observed_drawn = int(canvas.get_attribute("data-drawn"))
    assert observed_drawn > formal_drawn, "the people who came to meetings are drawn"
    # A member who never came is not in the observed network.
    page.get_by_label(words["find"]).fill("Reza Ahmadi")
    page.keyboard.press("Enter")
    expect(page.locator("#map-selection")).to_have_text(words["nothing"])
    expect(canvas).to_have_attribute("data-labels", "placed")  # names sized for the zoom
    _checked(page, "map-observed")
    _tools_fit(page)

    observed.focus()
    page.keyboard.press("ArrowRight")
    expect(difference).to_be_focused()
    expect(difference).to_be_checked()
    expect(canvas).to_have_attribute("data-observed", "difference")
    expect(status).to_contain_text(words["meetings"])
    expect(page).to_have_url(re.compile(r"natverk=skillnad"))
    difference_drawn = int(canvas.get_attribute("data-drawn"))
    assert difference_drawn > observed_drawn, "the unused memberships are drawn too"
    page.get_by_label(words["find"]).fill("Reza Ahmadi")
    page.keyboard.press("Enter")
    expect(page.locator("#map-selection")).to_have_text(words["found"])
    expect(canvas).to_have_attribute("data-labels", "placed")  # names sized for the zoom
    _checked(page, "map-difference")
    _tools_fit(page)

    # The same difference as text: the group's row names who never came, and the guest.
    page.get_by_role("link", name=words["as text"]).click()
    expect(page).to_have_url(re.compile(r"/karta/text\?.*natverk=skillnad"))
    expect(page.get_by_role("columnheader", name=words["in meetings"])).to_be_attached()
    row = page.locator(f"#forum-{GROUP}")
    cell = row.locator("td").last
    cell.locator("summary").click()
    absent = cell.locator("p", has_text=words["absent"])
    expect(absent).to_contain_text("(3)")
    names = absent.locator("xpath=following-sibling::ul[1]").get_by_role("listitem")
    expect(names).to_have_text(list(ABSENT))
    guests = cell.locator("p", has_text=words["guest"])
    expect(guests.locator("xpath=following-sibling::ul[1]")).to_have_text("Helena Rönnqvist")
    _checked(page, "map-difference-text")

    # Back on the map, the arrow wraps round to the formal network: no meetings are told.
    page.go_back()
    expect(difference).to_be_checked()
    expect(canvas).to_have_attribute("data-observed", "difference")
    difference.focus()
    page.keyboard.press("ArrowRight")
    expect(formal).to_be_focused()
    expect(formal).to_be_checked()
    expect(status).not_to_contain_text(words["meetings"])
    expect(canvas).not_to_have_attribute("data-observed", re.compile(".*"))


# --- (b) A decision point and the decisions that took it --------------------------------------

POINT_WORDS = {
    "sv": {
        "link": "Koppla beslut",
        "heading": "Beslut om",
        "save": "Spara besluten",
        "reach": "Markera milstolpen som nådd på datumet för det senaste beslutet",
        "saved": "Besluten om {code} är sparade.",
        "decided by": "Beslutad av",
        "on agenda": "På dagordningen",
        "decided": "beslutad",
        "meeting": "möte {date}",
        "reached": "nådd {date}",
        "item": "ärende 1",
    },
    "en": {
        "link": "Link decisions",
        "heading": "Decisions of",
        "save": "Save the decisions",
        "reach": "Mark the milestone reached on the latest decision's date",
        "saved": "The decisions of {code} are saved.",
        "decided by": "Decided by",
        "on agenda": "On the agenda",
        "decided": "decided",
        "meeting": "meeting {date}",
        "reached": "reached {date}",
        "item": "item 1",
    },
}


def _day(days_ago: int, lang: str) -> str:
    """A date as the portal writes it (`27 Nov 2026`, `27 nov 2026`)."""
    return format_date(today() - timedelta(days=days_ago), "d MMM y", locale=lang).replace(".", "")


@pytest.mark.parametrize(
    ("width", "lang", "milestone"), [(1280, "en", "fm2025-bp2"), (360, "sv", "fm2025-bp3")]
)
def test_the_lead_links_a_decision_point_to_the_decision_that_took_it(
    tab, views_server, width, lang, milestone
):
    """The timeline shows HSN's meeting deciding the point on its agenda; the lead opens the
    decision point's page, chooses that decision and marks the point reached; the timeline then
    names who decided, in which meeting, and the date it was reached."""
    words, (days_ago, title) = POINT_WORDS[lang], HSN_DECISIONS[milestone]
    code, day = milestone.rsplit("-", 1)[1].upper(), _day(days_ago, lang)
    page = _signed_in(tab, views_server, LEAD, width, lang)
    page.goto(f"{views_server}/uppdrag/{COMMISSION}")
    point = page.locator(f"#milestone-{milestone}")
    expect(point).to_contain_text(words["on agenda"])
    agenda = point.locator("li", has_text=HSN)
    expect(agenda).to_contain_text(words["meeting"].format(date=day))
    expect(agenda).to_contain_text(words["item"])
    expect(agenda.locator(".status-done")).to_contain_text(words["decided"])
    expect(point).not_to_contain_text(words["decided by"])
    expect(point.locator(".reached-label")).to_have_count(0)

    point.get_by_role("link", name=f"{words['link']} {code}").click()
    expect(page).to_have_url(f"{views_server}/milstolpar/{milestone}/beslut")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"{words['heading']} {code}")
    choice = page.get_by_role("checkbox", name=re.compile(re.escape(title)))
    expect(choice).not_to_be_checked()
    _checked(page, f"decision-point-{code}")
    choice.check()
    page.get_by_role("checkbox", name=words["reach"]).check()
    page.get_by_role("button", name=words["save"]).click()

    expect(page).to_have_url(re.compile(rf"/uppdrag/{COMMISSION}#milestone-{milestone}$"))
    expect(page.locator(".flash-success")).to_have_text(words["saved"].format(code=code))
    point = page.locator(f"#milestone-{milestone}")
    decided = point.locator(".decision-point ul").first
    expect(point.locator(".decision-point")).to_contain_text(words["decided by"])
    expect(decided.get_by_role("link", name=re.compile(re.escape(title)))).to_contain_text(HSN)
    expect(decided.get_by_role("link", name=words["meeting"].format(date=day))).to_be_visible()
    expect(point.locator(".reached-label")).to_have_text(
        re.compile(re.escape(words["reached"].format(date=day)))
    )
    # A decision under a milestone is not drawn as another milestone of the timeline.
    page.wait_for_load_state()  # the stylesheet applied
    markers = page.evaluate("""() => [...document.querySelectorAll('ol.timeline li')]
        .filter(li => getComputedStyle(li, '::before').content !== 'none').length""")
    assert markers == page.locator("ol.timeline > li").count()
    _checked(page, f"commission-timeline-{code}")

    # The page again: the decision is chosen; and both pages in the other language.
    page.goto(f"{views_server}/milstolpar/{milestone}/beslut")
    expect(page.get_by_role("checkbox", name=re.compile(re.escape(title)))).to_be_checked()
    if lang == "sv":
        _english(page)
    else:
        page.get_by_role("button", name="Svenska").click()
        expect(page.locator("html")).to_have_attribute("lang", "sv", timeout=SWITCH_MS)
    _checked(page, f"decision-point-{code}")
    page.goto(f"{views_server}/uppdrag/{COMMISSION}")
    _checked(page, f"commission-timeline-{code}")


# --- (c) Discarding a draft decision ----------------------------------------------------------

DRAFT_WORDS = {
    "sv": {
        "register": "Registrera beslut",
        "date": "Beslutsdatum",
        "title": "Titel",
        "text": "Beslutstext",
        "what": "Vad ska göras",
        "owner": "Ägare (person)",
        "due": "Klart senast",
        "save": "Spara som utkast",
        "draft": "Utkast.",
        "proposed": "Föreslagna åtgärder",
        "drafts": "Utkast",
        "discard": "Ta bort utkastet …",
        "ask": "Ta bort utkastet?",
        "goes": "1 föreslagen åtgärd tas bort med det:",
        "keep": "Nej, behåll det",
        "yes": "Ja, ta bort utkastet",
        "discarded": "Utkastet är borttaget.",
        "actions": "Åtgärder som forumet äger",
    },
    "en": {
        "register": "Register decision",
        "date": "Date of the decision",
        "title": "Title",
        "text": "Decision text",
        "what": "What is to be done",
        "owner": "Owner (person)",
        "due": "Due date",
        "save": "Save as draft",
        "draft": "Draft.",
        "proposed": "Proposed actions",
        "drafts": "Drafts",
        "discard": "Discard the draft…",
        "ask": "Discard the draft?",
        "goes": "1 proposed action goes with it:",
        "keep": "No, keep it",
        "yes": "Yes, discard the draft",
        "discarded": "The draft was discarded.",
        "actions": "Actions the forum owns",
    },
}


def _submit(page, button) -> None:
    """Leave the field being typed in, then press the button (at 360 px headless Chromium
    loses a click that also blurs a just-filled field; see test_meeting_journey)."""
    page.evaluate("() => document.activeElement && document.activeElement.blur()")
    button.click()


@pytest.mark.parametrize(("width", "lang"), [(1280, "en"), (360, "sv")])
def test_discarding_a_draft_takes_its_proposed_action_with_it(tab, views_server, width, lang):
    """LSG's coordinator saves a draft decision that proposes an action, opens the page that
    asks before discarding it, keeps it once (nothing changes), then discards it: the draft
    and its proposed action are in no list any more and the draft's address is gone."""
    words = DRAFT_WORDS[lang]
    title, action = f"LSG prövar digitala besök {width}", f"Pröva digitala besök i LSG {width}"
    page = _signed_in(tab, views_server, SECRETARY, width, lang)
    page.goto(f"{views_server}/forum/lsg/beslut")
    page.get_by_role("link", name=words["register"]).click()
    page.get_by_label(words["date"]).fill(today().isoformat())
    page.get_by_label(words["title"]).first.fill(title)
    page.get_by_label(words["text"]).fill("Två kommuner prövar digitala besök under våren.")
    new = page.locator("fieldset.new-action").first
    new.get_by_label(words["what"]).fill(action)
    new.get_by_label(words["owner"]).select_option("jenny-sandberg")
    new.get_by_label(words["due"]).fill((today() + timedelta(days=60)).isoformat())
    _submit(page, page.get_by_role("button", name=words["save"]))

    expect(page.get_by_role("heading", level=1)).to_have_text(title)
    expect(page.locator(".notice")).to_contain_text(words["draft"])
    draft_url = page.url
    proposed = page.locator("section", has=page.get_by_role("heading", name=words["proposed"]))
    expect(proposed.get_by_role("row", name=re.compile(re.escape(action)))).to_contain_text(
        "Jenny Sandberg"
    )
    page.goto(f"{views_server}/forum/lsg/beslut")
    drafts = page.locator("section", has=page.get_by_role("heading", name=words["drafts"]))
    expect(drafts.get_by_role("link", name=title)).to_be_visible()

    # The page that asks, and keeping the draft: nothing changes.
    drafts.get_by_role("link", name=title).click()
    page.get_by_role("link", name=words["discard"]).click()
    expect(page).to_have_url(f"{draft_url}/kassera")
    expect(page.get_by_role("heading", level=1)).to_have_text(words["ask"])
    expect(page.locator("#main")).to_contain_text(title)
    expect(page.get_by_text(words["goes"])).to_be_visible()
    expect(page.locator("#main li", has_text=action)).to_be_visible()
    _checked(page, "discard")
    page.get_by_role("link", name=words["keep"]).click()
    expect(page).to_have_url(draft_url)
    expect(page.locator(".notice")).to_contain_text(words["draft"])
    expect(proposed.get_by_role("row", name=re.compile(re.escape(action)))).to_be_visible()

    # Discarding it, by keyboard: it leaves nothing behind.
    page.get_by_role("link", name=words["discard"]).click()
    page.get_by_role("button", name=words["yes"]).focus()
    page.keyboard.press("Enter")
    expect(page).to_have_url(f"{views_server}/forum/lsg/beslut")
    expect(page.locator(".flash-success")).to_have_text(words["discarded"])
    expect(page.locator("#main")).not_to_contain_text(title)
    assert page.goto(draft_url).status == 404
    assert page.goto(f"{draft_url}/kassera").status == 404
    page.goto(f"{views_server}/forum/lsg")
    expect(page.locator("#main")).not_to_contain_text(title)
    owned = page.locator("section", has=page.get_by_role("heading", name=words["actions"]))
    expect(owned.get_by_role("row").first).to_be_visible()  # the list is there
    expect(owned).not_to_contain_text(action)
    page.goto(f"{views_server}/mitt-arbete")
    expect(page.locator("#main")).not_to_contain_text(action)
    page.goto(f"{views_server}/beslut")
    expect(page.locator("#main")).not_to_contain_text(title)

    # The page that asks, in the other language, about the fixture's draft (kept).
    page.goto(f"{views_server}/forum/lsg/beslut")
    if lang == "sv":
        _english(page)
    else:
        page.get_by_role("button", name="Svenska").click()
        expect(page.locator("html")).to_have_attribute("lang", "sv", timeout=SWITCH_MS)
    other = DRAFT_WORDS["en" if lang == "sv" else "sv"]
    page.get_by_role("link", name=DRAFT).click()
    page.get_by_role("link", name=other["discard"]).click()
    expect(page.get_by_role("heading", level=1)).to_have_text(other["ask"])
    expect(page.locator("#main li", has_text=DRAFT_ACTION)).to_be_visible()
    _checked(page, "discard")
