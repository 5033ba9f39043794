"""Cached builds in requests keep nothing of the request alive: memory stays flat.

A build of ≥ 50 ms used to freeze (gc.freeze) everything alive at its end, the request's ORM
rows included; Forum <-> membership cycles frozen that way were never collected again.
"""

from __future__ import annotations

import gc

from portal.audit.services import record
from portal.extensions import db
from portal.models import Setting

ROUNDS = 100
PAGE = "/"  # the overview: findings counts and the commission tables (rows with cycles)
STEADY = 20  # rounds after which every cache holds as many entries as it ever will


def _alive() -> tuple[int, int, int]:
    """After a full collection: objects frozen, objects alive and rows (ORM objects) alive,
    frozen ones included."""
    gc.collect()
    frozen = gc.get_freeze_count()
    gc.unfreeze()  # frozen objects are invisible to get_objects(); make them count
    objects = gc.get_objects()
    return frozen, len(objects), sum(isinstance(obj, db.Model) for obj in objects)


def _change_the_map(round_: int) -> None:
    """A committed write that gives the map a new version (so the next request builds)."""
    row = db.session.get(Setting, "memory.probe") or Setting(key="memory.probe")
    row.value = round_
    db.session.add(row)
    record(None, "update", "setting", "memory.probe")
    db.session.commit()


def test_a_hundred_cached_builds_leave_memory_flat(app, demo, client, signed_in):
    """A forum's map panel after each of 100 writes: every request builds the map and its
    findings again with the forum and its members loaded. Afterwards no row of those
    requests is alive, nothing is frozen, and the number of objects alive has stopped growing."""
    signed_in("leadership")
    db.session.expunge_all()
    *_, before_rows = _alive()
    for round_ in range(1, ROUNDS + 1):
        if round_ == STEADY:
            _frozen, steady, _rows = _alive()
        _change_the_map(round_)
        db.session.expunge_all()
        assert client.get(PAGE).status_code == 200
    frozen, after, after_rows = _alive()
    print(f"rows alive {before_rows} -> {after_rows}, {frozen} objects frozen; objects alive "
          f"{steady} -> {after} over the last {ROUNDS - STEADY} builds")
    assert frozen == 0
    assert after_rows <= before_rows
    assert after - steady < 5_000  # entries replace entries; a leak grows with every build
