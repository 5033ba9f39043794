"""Every page answers for a signed-in user, in Swedish and in English."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select

from portal.models import (
    Action,
    Area,
    Commission,
    Decision,
    Forum,
    Indicator,
    Organisation,
    Person,
)
from tests.helpers import csrf_token

LIST_PAGES = [
    "/", "/forum", "/organisationer", "/personer", "/fokusomraden", "/uppdrag", "/beslut",
    "/indikatorer",
]
DETAIL_PAGES = [
    ("/forum/{}", Forum), ("/organisationer/{}", Organisation), ("/personer/{}", Person),
    ("/fokusomraden/{}", Area), ("/uppdrag/{}", Commission), ("/atgarder/{}", Action),
    ("/beslut/{}", Decision), ("/indikatorer/{}", Indicator),
]


def _all_urls(db) -> list[str]:
    """Every list page and every detail page of every entity in the demo."""
    urls = list(LIST_PAGES)
    for pattern, model in DETAIL_PAGES:
        urls += [pattern.format(key) for key in db.session.scalars(select(model.key))]
    return urls


def _title_and_h1(page: str) -> tuple[str, str]:
    title = re.search(r"<title>(.*?)</title>", page, re.S).group(1).strip()
    h1 = re.search(r"<h1>(.*?)</h1>", page, re.S).group(1).strip()
    return title, h1


@pytest.mark.parametrize("lang", ["sv", "en"])
def test_every_page_answers_with_a_title_and_a_heading(db, demo, client, signed_in, lang):
    """Each page of the demo answers 200 with a <title> and a <h1> that name it."""
    signed_in("viewer")
    if lang == "en":
        client.post("/language", data={"lang": "en", "next": "/",
                                       "csrf_token": csrf_token(client, "/")})
    for url in _all_urls(db):
        response = client.get(url)
        assert response.status_code == 200, url
        page = response.get_data(as_text=True)
        assert f'<html lang="{lang}">' in page, url
        title, h1 = _title_and_h1(page)
        assert h1 and h1 in title, url
        assert response.headers["Cache-Control"] == "no-store"

def test_swedish_and_english_navigation(db, client, signed_in):
    """The menu speaks Swedish by default and English after switching."""
    signed_in("viewer")
    page = client.get("/").get_data(as_text=True)
    assert "Min översikt" in page and "Uppdrag" in page
    client.post("/language",
                data={"lang": "en", "next": "/forum", "csrf_token": csrf_token(client, "/")})
    page = client.get("/").get_data(as_text=True)
    assert "My overview" in page and "Commissions" in page


def test_unknown_key_is_404(db, client, signed_in):
    """A detail page for a key that does not exist answers 404 with a page that says so."""
    signed_in("viewer")
    response = client.get("/forum/finns-inte")
    assert response.status_code == 404
    assert "<h1>" in response.get_data(as_text=True)


def test_forum_page_shows_mandate_members_and_reporting_line(db, demo, client, signed_in):
    """The LSG page shows its mandate, its members with roles, and forums reporting to it."""
    signed_in("viewer")
    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    page = client.get("/forum/lsg").get_data(as_text=True)
    assert lsg.name in page
    assert lsg.mandate.split("\n")[0][:40] in page.replace("&#39;", "'").replace("&amp;", "&")
    for membership in lsg.memberships:
        assert f"/personer/{membership.person.key}" in page
    for child in lsg.reporting:
        assert f"/forum/{child.key}" in page


def test_commission_page_shows_milestones_and_overdue(db, demo, client, signed_in):
    """The 2025 commission shows BP0–BP3 and MS1, and marks unreached past ones overdue."""
    signed_in("viewer")
    commission = db.session.scalar(
        select(Commission).order_by(Commission.starts_on.desc()).limit(1)
    )
    page = client.get(f"/uppdrag/{commission.key}").get_data(as_text=True)
    for code in ("BP0", "BP1", "MS1", "BP2", "BP3"):
        assert code in page
    assert "försenad" in page


def test_html_in_data_is_shown_as_text(db, client, signed_in):
    """Text with HTML in it is escaped on the page, never interpreted."""
    from portal.exchange.services import import_text

    import_text(
        '{"format": "samverkan/1", "organisations": [{"key": "o", "name": "<script>alert(1)'
        '</script>", "kind": "other"}], "forums": [{"key": "f", "name": "<img src=x '
        'onerror=alert(1)>", "kind": "collaboration", "level": "local", "mandate": "<b>x</b>"}]}',
        None,
    )
    signed_in("viewer")
    for url in ("/organisationer", "/organisationer/o", "/forum", "/forum/f"):
        page = client.get(url).get_data(as_text=True)
        assert "<script>alert(1)" not in page, url
        assert "<img src=x" not in page, url
        assert "&lt;" in page, url


def test_list_search_filters_and_paginates(db, demo, client, signed_in):
    """The people list filters by name or title and has working pages."""
    signed_in("viewer")
    page = client.get("/personer?q=länskoordinator").get_data(as_text=True)
    assert "Länskoordinator" in page
    first = client.get("/personer").get_data(as_text=True)
    assert "Sida 1 av 2" in first
    second = client.get("/personer?page=2")
    assert second.status_code == 200


def test_htmx_request_gets_only_the_fragment(db, demo, client, signed_in):
    """An htmx filter request receives the result rows, not the whole page."""
    signed_in("viewer")
    response = client.get("/forum?q=LSO", headers={"HX-Request": "true"})
    page = response.get_data(as_text=True)
    assert "<html" not in page
    assert "LSO" in page
    assert "HX-Request" in response.headers["Vary"]


def test_overview_tables_follow_a_reached_milestone(db, demo, client, signed_in, make_user):
    """The overview's milestone table (rendered once per state) drops a milestone once reached."""
    from portal.commissions.services import set_milestone_reached
    from portal.dates import today
    from portal.models import Milestone

    signed_in("leadership")
    waiting = db.session.scalars(select(Milestone).where(Milestone.done_on.is_(None))
                                 .order_by(Milestone.due_on)).first()
    section = r'<section aria-labelledby="milestones">(.*?)</section>'
    before = re.search(section, client.get("/").get_data(as_text=True), re.S).group(1)
    assert waiting.title in before
    set_milestone_reached(make_user("admin"), waiting, waiting.version, today())
    after = re.search(section, client.get("/").get_data(as_text=True), re.S).group(1)
    assert waiting.title not in after


def test_same_english_word_other_swedish_words(db, demo, client, signed_in):
    """Words that mean different things here get their own Swedish: ending a seat is "Avsluta"
    (not the date column "Slutdatum"), a closed risk is "Stängd", a closed commission "Avslutat".
    """
    from flask_babel import force_locale

    from portal.labels import LABELS

    signed_in("admin")
    page = client.get("/forum/lsg/medlemmar").get_data(as_text=True)
    assert re.search(r'>Avsluta<span class="visually-hidden"> – ', page)
    assert ">Slutdatum<span" not in page
    with force_locale("sv"):
        assert str(LABELS["risk_status"]["closed"]) == "Stängd"
        assert str(LABELS["commission_status"]["closed"]) == "Avslutat"


def test_list_search_folds_swedish_letters(db, demo, client, signed_in):
    """Searching in lowercase finds names with capital Å, Ä and Ö (on SQLite too)."""
    from portal.models import Organisation, Person

    signed_in("viewer")
    org = db.session.scalar(select(Organisation).limit(1))
    db.session.add(Person(key="asa-oberg", name="Åsa Öberg", organisation=org,
                          title="Äldreomsorgschef"))
    db.session.commit()
    for term in ("åsa", "ÖBERG", "äldreomsorg"):
        page = client.get(f"/personer?q={term}").get_data(as_text=True)
        assert "Åsa Öberg" in page, term
    found = client.get("/sok?q=åsa öberg").get_data(as_text=True)
    assert "<mark>Åsa</mark> <mark>Öberg</mark>" in found
