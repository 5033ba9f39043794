"""Full-text search: Swedish stems, every kind, kept in step with writes, both databases."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select

from portal.models import Area, Decision, Forum, SearchEntry, User
from portal.search.index import stems
from portal.search.queries import mark, query_stems, search


def kinds(term: str) -> dict[str, list[str]]:
    """The keys found per kind."""
    return {g.kind: [h.obj.key for h in g.items] for g in search(term)}


def admin(db) -> User:
    return db.session.scalar(select(User).where(User.email == "admin@example.org"))


def test_an_inflected_word_finds_its_other_forms(db, demo):
    """"beslutet", "besluten" and "beslut" are one word to the search."""
    for term in ("beslut", "beslutet", "besluten"):
        assert "decision" in kinds(term), term
    assert kinds("beslutet") == kinds("beslut")


def test_a_word_being_typed_is_found_as_a_prefix(db, demo):
    """While the user types, "länssam" already finds the county collaboration group."""
    assert "lsg" in kinds("länssam").get("forum", [])


def test_swedish_letters_stay_distinct(db, demo):
    """"Östra Ärnäs" is found with its Ö and Ä; "ostra arnas" (other words) does not find it."""
    db.session.add(Area(key="x1", name="Östra Ärnäs"))
    db.session.commit()
    assert kinds("östra ärnäs").get("area") == ["x1"]
    assert "area" not in kinds("ostra arnas")


def test_every_word_must_match(db, demo):
    """Two words narrow the search: each must be in the thing found."""
    both = kinds("länssamverkansgruppen västerbotten")
    assert both.get("forum") and set(both["forum"]) <= set(kinds("länssamverkansgruppen")["forum"])
    assert search("länssamverkansgruppen qqqzzz") == []


def test_focus_areas_and_indicators_are_found(db, demo):
    """The search covers the register beyond forums and people."""
    area = db.session.scalars(select(Area)).first()
    found = kinds(area.name)
    assert area.key in found.get("area", [])


def test_matching_words_are_marked(db, demo):
    """The words that matched are highlighted, the rest of the text escaped."""
    marked = mark("Beslutet om <b>primärvård</b>", query_stems("beslut"))
    assert str(marked) == "<mark>Beslutet</mark> om &lt;b&gt;primärvård&lt;/b&gt;"
    page_groups = search("primärvård")
    assert any("<mark>" in str(h.title) or "<mark>" in str(h.snippet or "")
               for g in page_groups for h in g.items)


def test_a_title_match_ranks_above_a_match_in_the_text(db, demo):
    """Within a kind, the thing named by the words comes before one that mentions them."""
    from portal.decisions.services import DecisionData, log_decision

    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    log_decision(admin(db), lsg, DecisionData(title="Övrigt", date=date(2025, 2, 1),
                                               text="Vi talade om zebrafinkar."), final=True)
    log_decision(admin(db), lsg, DecisionData(title="Zebrafinkar i Umeå", date=date(2025, 2, 2)),
                 final=True)
    [decisions] = [g for g in search("zebrafinkar") if g.kind == "decision"]
    assert [h.obj.title for h in decisions.items] == ["Zebrafinkar i Umeå", "Övrigt"]
    assert "<mark>zebrafinkar</mark>" in str(decisions.items[1].snippet)


def test_the_index_follows_every_write(db, demo):
    """A renamed forum is found by its new name only; a deleted entity is gone."""
    forum = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    assert "lsg" in kinds("länssamverkansgruppen").get("forum", [])
    forum.name = "Kvittrande kanariefåglar"
    db.session.commit()
    assert kinds("kanariefåglar").get("forum") == ["lsg"]
    assert "lsg" not in kinds("länssamverkansgruppen").get("forum", [])
    area = Area(key="tillfalligt", name="Tillfälligt fokusområde")
    db.session.add(area)
    db.session.commit()
    assert kinds("tillfälligt").get("area") == ["tillfalligt"]
    db.session.delete(area)
    db.session.commit()
    assert "area" not in kinds("tillfälligt")


def test_a_corrected_decision_is_found_in_its_latest_version_only(db, demo):
    """After a correction only the new version is found; drafts never."""
    from portal.decisions.services import DecisionData, correct_decision, log_decision

    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    first = log_decision(admin(db), lsg, DecisionData(title="Pelikaner till Vindeln",
                                                       date=date(2025, 3, 1)), final=True)
    assert kinds("pelikaner").get("decision") == [first.key]
    correct_decision(admin(db), first, DecisionData(title="Pelikaner till Vindeln, rättat",
                                                    date=date(2025, 3, 1)), reason="Stavfel")
    found = kinds("pelikaner").get("decision")
    assert found and first.key not in found and len(found) == 1


def test_an_import_updates_the_index(db, demo):
    """Entities written by an import (bulk writes) are searchable at once."""
    from portal.exchange.services import import_text

    import_text('{"format": "samverkan/1", "areas": [{"key": "flamingo", '
                '"name": "Flamingor i glesbygd"}]}', admin(db))
    assert kinds("flamingor").get("area") == ["flamingo"]


DEMO_SEARCHES = ("lsg", "primärvård", "beslut", "kommun", "nära vård", "samverkan", "umeå",
                 "hälsocentral", "uppdrag", "fast läkarkontakt", "region")


@pytest.mark.parametrize("term", DEMO_SEARCHES)
def test_the_database_finds_what_the_stems_say(db, demo, term):
    """Both databases find exactly the entries whose stems start with every searched stem.

    The same reference holds on SQLite (FTS5) and PostgreSQL (tsvector), so the two give the
    same hits for the demo's searches.
    """
    wanted = query_stems(term)
    expected = set()
    for entry in db.session.scalars(select(SearchEntry).where(SearchEntry.is_hidden.is_(False))):
        tokens = f"{entry.title_stems} {entry.body_stems}".split()
        if all(any(t.startswith(s) for t in tokens) for s in wanted):
            expected.add((entry.kind, entry.ref_id))
    found = {(g.kind, h.obj.id) for g in search(term) for h in g.items}
    totals = sum(g.total for g in search(term))
    assert totals == len(expected)
    assert found <= expected


def test_stems_of_the_index_are_swedish(db):
    """The index keeps Swedish stems: inflections meet, å/ä/ö are kept."""
    assert stems("Beslutet besluten beslut") == "beslut beslut beslut"
    assert stems("Mötet möten") == "möt möt"
    assert stems("Primärvården") == "primärvård"


def test_drafts_are_hidden_until_final(db, demo):
    """A draft is not found; once final, it is."""
    from portal.decisions.services import DecisionData, log_decision, update_draft

    lsg = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    draft = log_decision(admin(db), lsg, DecisionData(title="Kolibrier i Sorsele",
                                                       date=date(2025, 4, 1)), final=False)
    assert "decision" not in kinds("kolibrier")
    update_draft(admin(db), draft, DecisionData(title="Kolibrier i Sorsele", date=date(2025, 4, 1)),
                 final=True)
    assert kinds("kolibrier").get("decision") == [draft.key]
    assert db.session.get(Decision, draft.id).status == "final"
