"""Decisions find the agenda item they were taken on again after an import.

The format links a decision to its meeting only; the portal matches the item inside the
meeting by title, then by what the item is about (an action the decision links, a milestone
it decided), the first by position.
"""

from __future__ import annotations

import json

from sqlalchemy import select

from portal.exchange import services
from portal.models import Decision, Meeting, Milestone
from tests.conftest import _empty_tables
from tests.exchange.validator_sample import valid_document


def _import(doc: dict):
    return services.import_text(json.dumps(doc), None)


def _items(db) -> dict[str, int | None]:
    """Each decision's agenda item position (None: not linked to an item)."""
    return {d.key: d.agenda_item.position if d.agenda_item else None
            for d in db.session.scalars(select(Decision))}


def _start_afresh(db, database_url) -> None:
    """An empty portal, schema kept (final decisions cannot be deleted row by row); on
    PostgreSQL as the owner, since the portal's role may not TRUNCATE."""
    db.session.remove()
    if db.engine.dialect.name == "sqlite":
        db.drop_all()
        db.create_all()
    else:
        _empty_tables(database_url)


def test_an_imported_decision_is_linked_to_the_item_it_was_taken_on(db):
    doc = valid_document()
    doc["decisions"] += [
        {"key": "d2", "title": "  delmål ", "forum": "lsg", "date": "2025-02-01",
         "meeting": "m1"},
        {"key": "d3", "title": "Övrigt", "forum": "lsg", "date": "2025-02-01", "meeting": "m1"},
        {"key": "d4", "title": "Kartläggning", "forum": "lsg", "date": "2025-01-15"},
    ]
    _import(doc)
    # d1 links the action of item 1; d2 has item 2's title; d3 matches nothing; d4 no meeting.
    assert _items(db) == {"d1": 1, "d2": 2, "d3": None, "d4": None}


def test_a_milestone_the_decision_took_links_it_to_the_item_about_the_milestone(db):
    doc = valid_document()
    doc["decisions"][0]["actions"] = []
    _import(doc)
    assert _items(db) == {"d1": 2}  # item 2 is about BP3, which d1 decided


def test_export_then_import_keeps_the_links(db, database_url):
    """Decisions logged on items in the portal are on the same items after a round trip."""
    doc = valid_document()
    doc["decisions"], doc["milestones"][0]["decided_by"] = [], []
    _import(doc)
    meeting = db.session.scalar(select(Meeting).where(Meeting.key == "m1"))
    first, second = meeting.agenda
    bp3 = db.session.scalar(select(Milestone).where(Milestone.key == "fm2025-bp3"))
    on_second = Decision(key="lsg-delmal", title="LSG godkänner delmålet", forum=meeting.forum,
                         decided_on=meeting.meets_on, status="final", meeting=meeting,
                         agenda_item=second)
    db.session.add_all([
        Decision(key="lsg-kartlaggning", title="Kartläggning", forum=meeting.forum,
                 decided_on=meeting.meets_on, status="final", meeting=meeting,
                 agenda_item=first),
        on_second,
    ])
    db.session.flush()
    bp3.decided_by = [on_second]
    db.session.commit()
    before = _items(db)
    exported = services.export_text()

    _start_afresh(db, database_url)
    _import(json.loads(exported))
    assert _items(db) == before == {"lsg-kartlaggning": 1, "lsg-delmal": 2}
