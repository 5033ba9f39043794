"""Text with HTML in it, in every text field of an import, is shown as text on every page."""

from __future__ import annotations

import re
from urllib.parse import urldefrag, urlsplit

from portal.exchange.schema import FIELDS, LISTS, Field, Kind
from portal.exchange.services import import_text
from portal.exchange.validator import dump_document
from tests.helpers import AuthActions

PAGE_LIMIT = 400


def payload(marker: str) -> str:
    """Two classic injections, each carrying a marker that names the field."""
    return f"<script>alert({marker})</script> <img src=x onerror=alert({marker})>"


def _value(list_name: str, field: Field, keys: dict[str, str]):
    """A valid value for a field; every piece of text carries the payload."""
    marker = f"{list_name}_{field.name}"
    match field.kind:
        case Kind.TEXT:
            return payload(marker)
        case Kind.TEXTS:
            return [payload(marker)]
        case Kind.REF:
            return None if field.target == list_name else keys[field.target]
        case Kind.REFS:
            return [keys[field.target]]
        case Kind.ENUM:
            return field.choices[0]
        case Kind.BOOL:
            return False
        case Kind.INT:
            return field.low
        case Kind.NUMBER:
            return 1.5
        case Kind.DATE:
            return "2025-01-01"
        case Kind.TIME:
            return "09:00"
        case Kind.URL:
            return f"https://example.org/{marker}?q=%3Cscript%3E"
        case Kind.OBJECTS:
            return [{item.name: _value(list_name, item, keys) for item in field.items}]
    raise AssertionError(field.kind)


def hostile_document() -> dict:
    """One entry in every list, with the payload in every text field of the format."""
    keys = {name: f"{name}-x" for name in LISTS}
    doc: dict = {"format": "samverkan/1"}
    for name in LISTS:
        entry = {"key": keys[name]}
        entry.update({f.name: _value(name, f, keys) for f in FIELDS[name]})
        doc[name] = [entry]
    # The few cross-field rules of the format: a held meeting on the decision's date, whose
    # minutes may name people; nobody both present and excused; the owner is no co-owner.
    doc["meetings"][0].update(status="held", date=doc["decisions"][0]["date"], apologies=[])
    doc["commissions"][0]["co_owners"] = []
    return doc


def _crawl(client, start: list[str]) -> dict[str, str]:
    """Follow the portal's own links from the start pages; return every HTML page by path."""
    seen: dict[str, str] = {}
    queue = list(start)
    while queue and len(seen) < PAGE_LIMIT:
        url = queue.pop(0)
        if url in seen:
            continue
        response = client.get(url)
        seen[url] = ""
        if response.status_code != 200 or response.mimetype != "text/html":
            continue
        page = response.get_data(as_text=True)
        seen[url] = page
        for href in re.findall(r'href="([^"]+)"', page):
            target = urldefrag(href.replace("&amp;", "&"))[0]
            parts = urlsplit(target)
            if not parts.scheme and not parts.netloc and target.startswith("/") and (
                    not target.startswith("/static/") and target not in seen):
                queue.append(target)
    return {url: page for url, page in seen.items() if page}


def test_html_in_every_imported_text_field_is_shown_as_text(db, client, make_user):
    """Import a document whose every text field holds <script> and <img onerror>; no page
    of the portal contains them as HTML, and the pages show them escaped."""
    doc = hostile_document()
    import_text(dump_document(doc), None, source="test")
    admin = make_user("admin")
    AuthActions(client).login(admin.email)
    pages = _crawl(client, ["/", "/karta/text", "/analys", "/beslut", "/uppdrag"])
    assert len(pages) > 20
    for url, page in pages.items():
        assert not re.search(r"<script>alert\(", page), url
        assert not re.search(r"<img src=x onerror", page), url
    shown = {m for page in pages.values()
             for m in re.findall(r"&lt;script&gt;alert\((\w+)\)", page)}
    expected = {f"{name}_{f.name}" for name in LISTS for f in FIELDS[name]
                if f.kind in (Kind.TEXT, Kind.TEXTS)}
    # Every text the pages show at all is shown escaped; most fields are shown somewhere.
    assert {"organisations_name", "people_name", "forums_name", "forums_mandate",
            "commissions_title", "actions_title", "decisions_title"} <= shown
    assert len(shown) >= len(expected) * 3 // 4, sorted(expected - shown)
