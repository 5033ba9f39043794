"""Back after htmx's history cache missed: the page comes whole, never a bare fragment.

htmx then asks again with HX-Request and HX-History-Restore-Request and puts the answer in
place of the whole body; a fragment there would leave a page without its header.
"""

from __future__ import annotations

import pytest

HTMX = {"HX-Request": "true"}
RESTORE = {"HX-Request": "true", "HX-History-Restore-Request": "true"}


@pytest.mark.parametrize("url", [
    "/sok?q=LSG",  # the search page
    "/forum?q=LSG",  # a list of the register
    "/analys?as_of=2026-11-23&kind=uncovered_area",  # the findings list
])
def test_history_restore_gets_the_full_page(client, db, demo, signed_in, url):
    signed_in("viewer")
    fragment = client.get(url, headers=HTMX).get_data(as_text=True)
    assert "<html" not in fragment  # a search or filter as it types: the list alone
    restored = client.get(url, headers=RESTORE)
    page = restored.get_data(as_text=True)
    assert restored.status_code == 200
    assert "<html" in page and 'class="header-search"' in page and "<h1" in page
    assert "HX-History-Restore-Request" in restored.headers["Vary"]
