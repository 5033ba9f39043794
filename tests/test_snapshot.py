"""The audit trail's snapshot of an entity equals its exchange entry."""

from __future__ import annotations

from sqlalchemy import select

from portal.audit.snapshot import changed_fields, snapshot
from portal.exchange.exporter import export_document
from portal.exchange.importer import LIST_ORDER, MODELS, canonical, jsonable


def test_snapshot_of_every_demo_entity_equals_its_exported_entry(db, demo):
    """For each list, the snapshot of each stored entity is its entry in the export."""
    exported = export_document(db.session)
    for name in LIST_ORDER:
        entries = {e["key"]: jsonable(canonical(name, e)) for e in exported[name]}
        for obj in db.session.scalars(select(MODELS[name])):
            assert canonical(name, snapshot(obj)) == entries[obj.key], (name, obj.key)


def test_changed_fields_names_what_differs():
    """Only the fields whose values differ are named."""
    assert changed_fields({"a": 1, "b": 2}, {"a": 1, "b": 3, "c": None}) == ["b"]
