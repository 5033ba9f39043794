"""Search across forums, people, organisations, commissions, actions and decisions."""

from __future__ import annotations

import re

from portal.search.queries import search


def test_results_are_grouped_by_kind(db, demo):
    """A word found in several kinds gives one group per kind, in a fixed order."""
    groups = {g.kind: g for g in search("primärvård")}
    assert {"forum", "action"} <= set(groups)
    assert all(len(g.items) <= g.total for g in groups.values())
    assert search("x") == []  # too short to search


def test_people_are_found_by_title(db, demo):
    """A person is found by title as well as by name."""
    [people] = [g for g in search("Länskoordinator") if g.kind == "person"]
    assert people.total >= 1


def test_drafts_are_not_found(db, demo):
    """Drafts are not decisions yet, so the search does not list them."""
    from sqlalchemy import select

    from portal.decisions.services import DecisionData, log_decision
    from portal.models import Forum, User

    admin = db.session.scalar(select(User).where(User.email == "admin@example.org"))
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    from datetime import date

    log_decision(admin, lsg, DecisionData(title="Hemligt utkast zz", date=date(2025, 1, 1)),
                 final=False)
    assert search("Hemligt utkast zz") == []


def test_search_page_and_header_box(client, db, demo, signed_in):
    """The header has a search box; the page works without JavaScript and answers htmx."""
    signed_in("viewer")
    home = client.get("/").get_data(as_text=True)
    assert re.search(r'<form class="header-search" method="get" action="/sok"', home)
    page = client.get("/sok?q=LSG")
    text = page.get_data(as_text=True)
    assert page.status_code == 200 and "<h1>" in text and "/forum/lsg" in text
    fragment = client.get("/sok?q=LSG", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and "/forum/lsg" in body
    assert "HX-Request" in fragment.headers["Vary"]
    empty = client.get("/sok?q=qqqqzzzz").get_data(as_text=True)
    assert 'class="empty"' in empty


def test_search_needs_sign_in(client, db):
    """Signed out, the search sends the visitor to sign in."""
    response = client.get("/sok?q=LSG")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_search_text_is_shown_as_text(client, db, demo, signed_in):
    """What the user typed comes back escaped, never as HTML."""
    signed_in("viewer")
    page = client.get("/sok?q=<script>alert(1)</script>").get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page


def test_a_meeting_is_found_by_its_title_and_its_place(client, db, demo, signed_in):
    """A meeting LSG plans is found by words of its title and of its place; the hit links
    the meeting's page and names the forum and the day."""
    from datetime import date, time

    from sqlalchemy import select

    from portal.meetings.services import Plan, plan_meetings
    from portal.models import Forum, User

    coordinator = db.session.scalar(select(User).where(User.email == "forum@example.org"))
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    [planned] = plan_meetings(coordinator, lsg, Plan(
        first=date(2026, 3, 10), start=time(9, 0), duration=120,
        place="Folkets hus, Vindeln", title="Länsdag om äldres hälsa"))
    assert [g.kind for g in search("länsdagen äldres")] == ["meeting"]
    signed_in("viewer")
    for query in ("Länsdag om äldres hälsa", "folkets hus vindeln"):
        page = client.get("/sok", query_string={"q": query}).get_data(as_text=True)
        hit = re.search(rf'<a href="/moten/{re.escape(planned.key)}">(.*?)</a>\s*'
                        r'<span class="meta">([^<]+)</span>', page)
        assert hit, query
        assert re.sub(r"<[^>]+>", "", hit.group(1)) == "Länsdag om äldres hälsa"
        assert hit.group(2) == f"{lsg.name}, 10 mars 2026"
