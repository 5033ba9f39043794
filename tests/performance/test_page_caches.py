"""Pages whose content is kept rendered show what a fresh render would: for this reader, now."""

from __future__ import annotations

from sqlalchemy import select, update

from portal.demo.loader import DEMO_PASSWORD
from portal.extensions import derived
from portal.models import Action, Commission, Forum
from tests.conftest import AuthActions

COMMISSION = "fm2025-uppdragil3"


def _sign_in(app, email: str):
    client = app.test_client()
    assert AuthActions(client).login(email, DEMO_PASSWORD).status_code == 302
    return client


def test_a_change_to_the_map_shows_on_the_next_request(app, db, demo):
    """A leader's commission, forum and start pages follow a change as soon as it commits."""
    leader = _sign_in(app, "ledning@example.org")
    action = db.session.scalar(select(Action).join(Commission).where(
        Commission.key == COMMISSION).limit(1))
    pages = [f"/uppdrag/{COMMISSION}", "/forum/lsg", "/forum", "/uppdrag"]
    before = {url: leader.get(url).get_data(as_text=True) for url in pages}
    old = f'/atgarder/{action.key}">{action.title}</a>'
    assert old in before[pages[0]]

    db.session.execute(update(Action).where(Action.id == action.id)
                       .values(title="Nytt namn på åtgärden"))
    db.session.execute(update(Forum).where(Forum.key == "lsg")
                       .values(name="Ledningsgruppen för nära vård"))
    db.session.commit()
    commission = leader.get(pages[0]).get_data(as_text=True)
    assert "Nytt namn på åtgärden" in commission and old not in commission
    for url in pages[1:3]:
        assert "Ledningsgruppen för nära vård" in leader.get(url).get_data(as_text=True), url


def test_each_reader_sees_what_they_may_do(app, db, demo):
    """The admin's buttons never reach a leader who asks after the admin, nor the other way."""
    admin, leader = _sign_in(app, "admin@example.org"), _sign_in(app, "ledning@example.org")
    lead = _sign_in(app, "uppdrag@example.org")
    for first in (admin, leader):
        derived.clear()
        for url, button in (("/forum", "/forum/ny"), ("/dokument", "/dokument/ny")):
            first.get(url)
            assert (button in admin.get(url).get_data(as_text=True)), url
            assert (button not in leader.get(url).get_data(as_text=True)), url
    add_action = f"/uppdrag/{COMMISSION}/atgarder/ny"
    leader.get(f"/uppdrag/{COMMISSION}")
    assert add_action not in leader.get(f"/uppdrag/{COMMISSION}").get_data(as_text=True)
    assert add_action in lead.get(f"/uppdrag/{COMMISSION}").get_data(as_text=True)


def _main(client, url: str) -> str:
    page = client.get(url).get_data(as_text=True)
    return page[page.index("<main"):page.index("</main>")]


def test_the_start_page_is_each_persons_own(app, db, demo):
    """Each person sees their own commissions and forums on the start page, asked in turn."""
    member, lead = _sign_in(app, "forum@example.org"), _sign_in(app, "uppdrag@example.org")
    mine, theirs = _main(member, "/"), _main(lead, "/")
    assert mine != theirs
    assert "Mina uppdrag" in theirs and "Mina uppdrag" not in mine
    assert _main(member, "/") == mine and _main(lead, "/") == theirs


def test_what_a_query_string_adds_stays_with_its_request(app, db, demo):
    """An argument the page does not check is not shown to the next reader of the page."""
    leader = _sign_in(app, "ledning@example.org")
    assert leader.get("/karta?level=local&odd=%3Cx%3E").status_code == 200
    assert "odd" not in leader.get("/karta?level=local").get_data(as_text=True)
    assert leader.get("/beslut?page=2&odd=1").status_code == 200
    assert "odd=1" not in leader.get("/beslut?page=2").get_data(as_text=True)
