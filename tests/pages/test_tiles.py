"""Start-page tiles open exactly what they count; counts and lists on a page agree."""

from __future__ import annotations

import re

import pytest
from flask_babel import force_locale

from portal.demo.loader import DEMO_PASSWORD

ROLES = ["admin@example.org", "ledning@example.org", "uppdrag@example.org", "forum@example.org"]
TILE = re.compile(r'<li class="[^"]*"><a href="([^"]+)"><span class="num">([\d\s\u00a0]+)</span>'
                  r"\s*([^<]+)</a></li>|<li><a href=\"([^\"]+)\"><span class=\"num\">"
                  r"([\d\s\u00a0]+)</span>\s*([^<]+)</a></li>")
# What the page a tile opens says it lists, in English.
LISTED = {
    "overdue milestones": r"<h1>(\d+) overdue milestones?</h1>",
    "overdue actions": r"<h1>(\d+) overdue actions?</h1>",
    "open actions": r"<h1>(\d+) open actions?</h1>",
    "forums": r'<p class="meta">(\d+) forums?</p>',
    "organisations": r'<p class="meta">(\d+) organisations?</p>',
    "people": r'<p class="meta">(\d+) (?:people|person)</p>',
}


def _number(text: str) -> int:
    return int(re.sub(r"\D", "", text))


def _tiles(page: str) -> list[tuple[str, int, str]]:
    stats = page.split('<ul class="stats"')[1].split("</ul>")[0]
    found = []
    for match in TILE.finditer(stats):
        href, num, words = (match.group(1, 2, 3) if match.group(1) else match.group(4, 5, 6))
        found.append((href.replace("&amp;", "&"), _number(num), words.strip()))
    return found


@pytest.fixture(autouse=True)
def english(app):
    with force_locale("en"):
        yield


@pytest.mark.parametrize("email", ROLES)
def test_each_tile_opens_the_list_of_what_it_counts(client, auth, demo, email):
    """Following a tile shows exactly as many things as the tile says, and lists them."""
    assert auth.login(email, DEMO_PASSWORD).status_code == 302
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": auth.csrf_token("/fokusomraden")})
    home = client.get("/").get_data(as_text=True)
    tiles = _tiles(home)
    assert {words for _, _, words in tiles} == set(LISTED)
    for href, number, words in tiles:
        assert not href.startswith("#"), f"the tile {words!r} only jumps within the page"
        target = client.get(href)
        assert target.status_code == 200, href
        listed = target.get_data(as_text=True)
        shown = re.search(LISTED[words], listed)
        assert shown, f"{href} does not say how many {words} it lists"
        assert int(shown.group(1)) == number, f"{words}: tile {number}, {href} {shown.group(1)}"
        if words.startswith(("overdue", "open")):
            rows = listed.split("<tbody>")[1].split("</tbody>")[0].count("<tr") if number else 0
            assert rows == number, f"{href} lists {rows} rows, the tile says {number}"
        if words.startswith("overdue"):
            assert listed.count("(overdue)") >= number


def test_a_forum_member_is_not_told_no_milestones_remain_beside_overdue_ones(client, auth, demo):
    """The region-wide tile and a personal list never read as a contradiction."""
    assert auth.login("forum@example.org", DEMO_PASSWORD).status_code == 302
    client.post("/language", data={"lang": "en", "next": "/",
                                   "csrf_token": auth.csrf_token("/fokusomraden")})
    home = client.get("/").get_data(as_text=True)
    overdue = [n for _, n, words in _tiles(home) if words == "overdue milestones"][0]
    assert overdue > 0
    assert "No milestones are waiting" not in home


def test_tile_lists_only_hold_what_they_say(client, auth, demo):
    """Every row of the overdue list is open and late; the open list has no finished work."""
    assert auth.login("ledning@example.org", DEMO_PASSWORD).status_code == 302
    with client.application.app_context():
        from portal.dashboard import queries
        from portal.dates import today

        day = today()
        overdue = queries.tile_actions("overdue", day)
        assert overdue and all(a.is_open and a.due_on < day for a in overdue)
        assert all(a.is_open for a in queries.tile_actions("open", day))
        assert all(m.done_on is None and m.due_on < day
                   for m in queries.overdue_milestones(day))
    assert client.get("/oversikt/atgarder?visa=allt").status_code == 404
