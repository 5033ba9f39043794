"""Every list that pages shows its last page for a page number past the end."""

from __future__ import annotations

import re

import pytest

PAST_THE_END = 999999999999
# Each paged list and the links its rows carry (what the reader sees on the page).
LISTS = {
    "/personer": r'href="/personer/([^"/?]+)"',
    "/organisationer": r'href="/organisationer/([^"/?]+)"',
    "/forum": r'href="/forum/([^"/?]+)"',
    "/forum?q=LSO": r'href="/forum/([^"/?]+)"',
    "/uppdrag/fm2025-uppdragil3/historik": r'<span class="meta">– ([^<]+)',
    "/karta/text": r'id="forum-([^"]+)"',
}


def _pages(page: str) -> int:
    """How many pages the pager says there are (1 when it shows no pager)."""
    found = re.search(r"(?:Sida|Page) \d+ (?:av|of) (\d+)", page)
    return int(found.group(1)) if found else 1


def _rows(page: str, pattern: str) -> list[str]:
    main = page.split("<main", 1)[-1]
    return re.findall(pattern, main)


def _url(url: str, page: int) -> str:
    return f"{url}{'&' if '?' in url else '?'}page={page}"


@pytest.mark.parametrize("url", list(LISTS))
def test_a_page_past_the_end_shows_the_last_page(client, db, demo, signed_in, url):
    """?page=999999999999 answers the last page, with its rows, not an empty list."""
    signed_in("admin")
    last = _pages(client.get(url).get_data(as_text=True))
    expected = client.get(_url(url, last)).get_data(as_text=True)
    response = client.get(_url(url, PAST_THE_END))
    assert response.status_code == 200
    shown = response.get_data(as_text=True)
    assert _rows(expected, LISTS[url]), "the last page has rows"
    assert _rows(shown, LISTS[url]) == _rows(expected, LISTS[url])
    if last > 1:
        assert f"Sida {last} av {last}" in shown


def test_the_people_list_has_more_than_one_page(client, db, demo, signed_in):
    """The demo's people fill two pages, so the test above moves past a real page."""
    signed_in("viewer")
    assert _pages(client.get("/personer").get_data(as_text=True)) >= 2


def test_a_findings_page_past_the_end_shows_the_last_page(client, db, demo, signed_in,
                                                         monkeypatch):
    """One kind of findings, two to a page: a page past the end shows the last two or one."""
    from portal.findings import routes

    monkeypatch.setattr(routes, "PER_PAGE", 2)
    signed_in("leadership")
    doc = client.get("/api/v1/findings").get_json()
    kind = next(k for k in {f["kind"] for f in doc["findings"]}
                if sum(f["kind"] == k for f in doc["findings"]) >= 3)
    url = f"/analys?kind={kind}"
    pattern = r'<li class="finding">\s*<p>([^<]+)</p>'
    last = _pages(client.get(url).get_data(as_text=True))
    assert last >= 2
    expected = _rows(client.get(_url(url, last)).get_data(as_text=True), pattern)
    shown = client.get(_url(url, PAST_THE_END)).get_data(as_text=True)
    assert expected and _rows(shown, pattern) == expected
