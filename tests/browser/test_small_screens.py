"""Every page, for every role and in both languages, fits a 360 px wide phone.

A crawler signs in as each demo role, follows the links it finds from the start page and opens
each kind of page (one Flask endpoint is one kind) at 360 × 740. It fails when the document is
wider than the screen (sideways scrolling of the page; a table may scroll inside its own box) or
has a button or field smaller than 44 × 44 px (the header and the open menu are checked by
`test_tap_targets_are_big_enough_for_a_thumb`), and runs axe-core on each page.

``CRAWL_LIMIT`` sizes the crawl: how many pages of each kind are opened per role (default 1, so
CI opens every kind once per role). ``CRAWL_LANGUAGES`` (default ``sv,en``) names the languages.
"""

from __future__ import annotations

import os
import re
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest
from playwright.sync_api import expect
from werkzeug.exceptions import HTTPException

from config import TestConfig
from portal import create_app
from tests.browser.axe import axe_on_every_page, axe_violations, describe
from tests.browser.conftest import screenshot, sign_in

pytestmark = pytest.mark.browser

PHONE = {"width": 360, "height": 740}
ROLES = ["admin@example.org", "ledning@example.org", "uppdrag@example.org", "forum@example.org"]
CRAWL_LIMIT = int(os.environ.get("CRAWL_LIMIT", "1"))
LANGUAGES = [lang for lang in os.environ.get("CRAWL_LANGUAGES", "sv,en").split(",") if lang]
# Pages that are not pages: files, feeds and the exits.
SKIP_ENDPOINTS = {"static", "auth.logout", "auth.login", "health"}

# The document's overflow: anything that makes the page itself wider than the screen. The
# elements sticking out are named so a failure says what to fix.
OVERFLOW = """() => {
  const width = document.documentElement.clientWidth;
  const scroll = Math.max(document.documentElement.scrollWidth, document.body.scrollWidth);
  const culprits = [];
  if (scroll > width) {
    for (const el of document.querySelectorAll('body *')) {
      const box = el.getBoundingClientRect();
      const parent = el.parentElement.getBoundingClientRect();
      if (box.width && box.right > width + 1 && parent.right <= width + 1) {
        let inside = false;
        for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
          const style = getComputedStyle(p);
          if (['auto', 'scroll', 'hidden', 'clip'].includes(style.overflowX)
              && p.getBoundingClientRect().right <= width + 1) { inside = true; break; }
        }
        if (!inside) {
          culprits.push(el.tagName.toLowerCase() + (el.id ? '#' + el.id : '')
            + (el.className && typeof el.className === 'string'
               ? '.' + el.className.trim().split(/\\s+/).join('.') : '')
            + ' right=' + Math.round(box.right));
        }
      }
    }
  }
  return {width, scroll, culprits: culprits.slice(0, 8)};
}"""

# Everything a thumb presses in the header and the menu, and the page's own buttons and fields.
SMALL_TARGETS = """() => {
  const selector = '.site-header a, .site-header button, .site-header input:not([type=hidden]),'
    + ' main button, main .button, main select, main input[type=text], main input[type=search],'
    + ' main input[type=email], main input[type=date], main summary';
  return Array.from(document.querySelectorAll(selector)).filter(el => {
    const box = el.getBoundingClientRect();
    return box.width > 0 && box.height > 0 && (box.width < 43.5 || box.height < 43.5);
  }).map(el => el.tagName.toLowerCase() + ' "' + (el.textContent || el.value || el.name || '')
    .trim().slice(0, 30) + '" ' + Math.round(el.getBoundingClientRect().width) + 'x'
    + Math.round(el.getBoundingClientRect().height));
}"""
LINKS = """() => Array.from(document.querySelectorAll('a[href]'))
  .filter(a => !a.hasAttribute('download'))
  .map(a => a.href)"""


@pytest.fixture(scope="module")
def url_adapter():
    """Matches a path to its endpoint, which names the kind of page."""
    app = create_app(TestConfig)
    return app.url_map.bind("localhost")


def page_kind(adapter, path: str) -> str | None:
    """The endpoint serving a GET of the path, or None for what the crawl leaves alone."""
    try:
        endpoint, _ = adapter.match(path, method="GET")
    except HTTPException:
        return None
    if endpoint in SKIP_ENDPOINTS or endpoint.startswith("api") or "export" in endpoint:
        return None
    return endpoint


@pytest.fixture
def phone(browser):
    """A phone-sized tab that lets axe-core in despite the CSP."""
    context = browser.new_context(viewport=PHONE, bypass_csp=True, locale="sv-SE",
                                  has_touch=True, is_mobile=True, device_scale_factor=1)
    axe_on_every_page(context)
    tab = context.new_page()
    yield tab
    context.close()


def crawl(page, base: str, adapter, limit: int):
    """Open the pages reachable from the start page, `limit` of each kind; yield each one."""
    seen_kinds: dict[str, int] = {}
    visited: set[str] = set()
    queue = deque(["/"])
    while queue:
        path = queue.popleft()
        if path in visited:
            continue
        visited.add(path)
        kind = page_kind(adapter, urlsplit(path).path)
        if kind is None or seen_kinds.get(kind, 0) >= limit:
            continue
        try:
            response = page.goto(base + path)
        except Exception:  # noqa: BLE001, S112 - a download or a file: not a page
            continue
        if response is None or "text/html" not in response.headers.get("content-type", ""):
            continue
        seen_kinds[kind] = seen_kinds.get(kind, 0) + 1
        yield kind, path
        for href in page.evaluate(LINKS):
            href, _ = urldefrag(href)
            if href.startswith(base):
                rest = href[len(base):] or "/"
                if rest not in visited:
                    queue.append(rest)


@pytest.mark.parametrize("lang", LANGUAGES)
@pytest.mark.parametrize("email", ROLES)
def test_every_page_fits_a_phone(phone, live_server, url_adapter, email, lang):
    """No page makes the phone scroll sideways or has a target too small for a thumb; axe-core
    finds nothing serious there."""
    sign_in(phone, live_server, email)
    if lang == "en":
        phone.get_by_role("button", name="Meny").click()  # the language is in the menu
        phone.get_by_role("button", name="English").click()
        expect(phone.locator("html")).to_have_attribute("lang", "en")
    too_wide, inaccessible, too_small, kinds = [], [], [], []
    for kind, path in crawl(phone, live_server, url_adapter, CRAWL_LIMIT):
        kinds.append(kind)
        found = phone.evaluate(OVERFLOW)
        if found["scroll"] > found["width"]:
            too_wide.append(f"{path} ({kind}): {found['scroll']} px > {found['width']} px; "
                            f"{', '.join(found['culprits'])}")
            screenshot(phone, f"overflow-{email.split('@')[0]}-{lang}-{kind}")
        too_small += [f"{path}: {target}" for target in phone.evaluate(SMALL_TARGETS)]
        if lang == LANGUAGES[0]:
            violations = axe_violations(phone)
            if violations:
                inaccessible.append(f"{path}:\n{describe(violations)}")
    assert len(kinds) >= 15, f"the crawl reached too few kinds of page: {kinds}"
    assert not too_wide, "pages wider than a 360 px phone:\n" + "\n".join(too_wide)
    assert not inaccessible, "axe-core at 360 px:\n" + "\n".join(inaccessible)
    assert not too_small, "tap targets under 44 × 44 px:\n" + "\n".join(too_small)


TAP_PAGES = {
    "uppdrag@example.org": ["/", "/uppdrag/fm2025-uppdragil3",
                            "/atgarder/a25-gemensam-plan/redigera"],
    "forum@example.org": ["/forum/lsg", "/forum/lsg/beslut/ny", "/beslut", "/sok?q=plan"],
}


@pytest.mark.parametrize("email", sorted(TAP_PAGES))
def test_tap_targets_are_big_enough_for_a_thumb(phone, live_server, email):
    """At 360 px every button, field and menu entry is at least 44 × 44 px."""
    sign_in(phone, live_server, email)
    phone.get_by_role("button", name="Meny").click()
    small = []
    for path in TAP_PAGES[email]:
        phone.goto(live_server + path)
        phone.get_by_role("button", name="Meny").click()
        small += [f"{path}: {target}" for target in phone.evaluate(SMALL_TARGETS)]
    assert not small, "tap targets under 44 × 44 px:\n" + "\n".join(small)


def test_the_compact_menu_is_a_disclosure_button(phone, live_server):
    """On a phone the menu folds behind one button that says whether it is open."""
    sign_in(phone, live_server, "ledning@example.org")
    toggle = phone.get_by_role("button", name="Meny")
    nav = phone.get_by_role("navigation", name="Huvudmeny")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(nav).to_be_hidden()
    expect(phone.get_by_role("button", name="Logga ut")).to_be_hidden()
    expect(phone.get_by_role("searchbox")).to_be_visible()  # search stays at hand
    toggle.focus()
    phone.keyboard.press("Enter")
    expect(toggle).to_have_attribute("aria-expanded", "true")
    expect(nav.get_by_role("link", name="Uppdrag")).to_be_visible()
    expect(phone.get_by_role("button", name="Logga ut")).to_be_visible()
    phone.keyboard.press("Tab")  # into the menu, in reading order
    phone.keyboard.press("Escape")
    expect(toggle).to_have_attribute("aria-expanded", "false")
    expect(toggle).to_be_focused()
    expect(nav).to_be_hidden()
    phone.keyboard.press("Space")
    expect(nav.get_by_role("link", name="Uppdrag")).to_be_visible()
    nav.get_by_role("link", name="Uppdrag").click()
    expect(phone).to_have_url(re.compile(r"/uppdrag$"))
    expect(phone.get_by_role("button", name="Meny")).to_have_attribute("aria-expanded", "false")


def test_the_menu_works_without_javascript(browser, live_server):
    """Without JavaScript the menu is simply open: no button that does nothing."""
    context = browser.new_context(viewport=PHONE, locale="sv-SE", java_script_enabled=False)
    tab = context.new_page()
    try:
        sign_in(tab, live_server, "ledning@example.org")
        expect(tab.get_by_role("button", name="Meny")).to_have_count(0)
        expect(tab.get_by_role("navigation", name="Huvudmeny")
               .get_by_role("link", name="Uppdrag")).to_be_visible()
        assert tab.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    finally:
        context.close()


def test_the_wide_screen_keeps_the_menu_open(page, live_server):
    """At 1280 px there is no menu button; the menu is a row of links."""
    sign_in(page, live_server, "ledning@example.org")
    expect(page.get_by_role("button", name="Meny")).to_be_hidden()
    expect(page.get_by_role("navigation", name="Huvudmeny")
           .get_by_role("link", name="Uppdrag")).to_be_visible()


@pytest.mark.parametrize("path", ["/login", "/tillganglighet", "/finns-inte"])
def test_pages_before_signing_in_fit_a_phone(phone, live_server, path):
    """The sign-in page, the public statements and an error page fit 360 px too."""
    phone.goto(live_server + path)
    found = phone.evaluate(OVERFLOW)
    assert found["scroll"] <= found["width"], found


def test_the_action_table_becomes_cards_and_a_tap_edits_that_action(phone, live_server):
    """On a phone each action is a card whose values keep their column headings, and tapping
    its "Ändra" opens that very action for editing, in place."""
    sign_in(phone, live_server, "uppdrag@example.org")
    phone.goto(f"{live_server}/uppdrag/fm2025-uppdragil3")
    table = phone.locator("table.actions-table")
    expect(table).to_have_class(re.compile(r"\bstacked\b"))
    row = table.locator("tbody tr").nth(2)
    key = row.get_attribute("id")
    owner = row.locator("td").nth(1)
    expect(owner).to_have_attribute("data-label", "Ägare")
    shown = owner.evaluate("cell => getComputedStyle(cell, '::before').content")
    assert shown == '"Ägare"'
    box = row.bounding_box()
    assert box["x"] >= 0 and box["x"] + box["width"] <= 360
    change = row.get_by_role("link", name=re.compile("^Ändra"))
    change.tap()
    editing = phone.locator(f"#{key}.edit-row")
    expect(editing).to_be_visible()
    expect(editing.get_by_role("button", name="Spara")).to_be_visible()
    assert phone.evaluate("document.documentElement.scrollWidth") <= 360
