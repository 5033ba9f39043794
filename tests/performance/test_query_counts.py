"""The number of SQL statements per page does not grow with the size of the map."""

from __future__ import annotations

import json

import pytest
from sqlalchemy import select

from bench.generate import generate
from bench.profile_pages import counting
from portal.demo.loader import DEMO_PASSWORD
from portal.exchange.exporter import export_document
from portal.exchange.services import import_text
from portal.exchange.validator import dump_document
from portal.models import Person, User
from tests.helpers import AuthActions

SCALE = 0.05  # about 1,250 people and 200 forums on top of the demo's 85 and 29
FORUM, COMMISSION = "lsg", "fm2025-uppdragil3"
# Pages whose lists are paginated are asked for a page that is short on the demo map and
# full on the large one, so that a query per row would show.
PAGES = {
    "dashboard": "/",
    "commission": f"/uppdrag/{COMMISSION}",
    "forum": f"/forum/{FORUM}",
    "findings": "/analys",
    "forum list": "/forum",
    "people list": "/personer?page=2",
}
# Constants that are not growth: a section that is empty on the demo (the forum owns no
# actions there) sends its eager loads only once it has rows, and the signed-in user's own
# person is loaded once more or less depending on whether a list already loaded it. A query
# per row would add dozens here.
SLACK = 2


def _measure(client, engine) -> dict[str, int]:
    counts = {}
    for name, url in PAGES.items():
        assert client.get(url).status_code == 200, url  # fills the analysis cache too
        with counting(engine) as count:
            assert client.get(url).status_code == 200, url
        counts[name] = count[0]
    return counts


def _grow(db) -> dict[str, int]:
    """Add a generated map about ten times the demo, and make the measured forum and
    commission ten times larger too (members, actions, milestones, decisions)."""
    generated = generate(SCALE)
    import_text(json.dumps(generated), None, source="test")
    doc = export_document(db.session)
    people = [p["key"] for p in generated["people"]]
    forum = next(f for f in doc["forums"] if f["key"] == FORUM)
    seated = {m["person"] for m in forum["members"]}
    forum["members"] += [{"person": p, "role": "member"} for p in people[:300] if p not in seated]
    member = db.session.scalar(select(Person.key).join(User, User.person_id == Person.id)
                               .where(User.email == "forum@example.org"))
    more_seats = [f for f in doc["forums"] if f["key"] in {g["key"] for g in generated["forums"]}]
    for other in more_seats[:12]:  # the forum member's overview lists each of their forums
        other["members"].append({"person": member, "role": "member"})
    commission = next(c for c in doc["commissions"] if c["key"] == COMMISSION)
    commission["members"] = sorted(set(commission["members"]) | set(people[:100]))
    extra = {
        "format": "samverkan/1",
        "forums": [forum, *more_seats[:12]],
        "commissions": [commission],
        "actions": [{"key": f"grow-a{i}", "title": f"Åtgärd {i}", "commission": COMMISSION,
                     "owner_forum": FORUM, "owner_person": people[i], "due": "2025-06-30"}
                    for i in range(60)],
        "milestones": [{"key": f"grow-m{i}", "title": f"Kontroll {i}", "commission": COMMISSION,
                        "due": f"2026-{1 + i % 12:02d}-15"} for i in range(30)],
        "decisions": [{"key": f"grow-d{i}", "title": f"Beslut {i}", "forum": FORUM,
                       "date": "2025-05-05", "actions": [f"grow-a{i}"]} for i in range(40)],
    }
    import_text(dump_document(extra), None, source="test")
    return {"people": len(doc["people"]), "forums": len(doc["forums"])}


@pytest.mark.parametrize("email", ["admin@example.org", "forum@example.org",
                                   "uppdrag@example.org"])
def test_queries_per_page_do_not_grow_with_the_map(app, db, demo, client, email):
    """Each page sends as many statements on a map ten times the demo as on the demo."""
    AuthActions(client).login(email, DEMO_PASSWORD)
    small = _measure(client, db.engine)
    size = _grow(db)
    assert size["people"] >= 10 * 85 and size["forums"] >= 7 * 31
    large = _measure(client, db.engine)
    grew = {page: (small[page], large[page]) for page in PAGES
            if abs(large[page] - small[page]) > SLACK}
    assert grew == {}, f"statements per page (demo, large): {grew}"
