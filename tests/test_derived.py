"""Derived data (portal.derived): the map's version, its caches and what may enter them."""

from __future__ import annotations

import sys
import threading
from datetime import date

from sqlalchemy import select, update

from portal.extensions import derived
from portal.findings import services
from portal.models import Area, Forum

AS_OF = date(2026, 11, 23)


def test_a_write_that_skips_the_audit_trail_still_gives_new_findings(app, db, demo):
    """An ORM write and a Core statement, neither audited, each change the version."""
    first = derived.version()
    before = services.findings(AS_OF, "sv")
    area = db.session.scalar(select(Area).where(Area.key == "tillganglighet"))
    forum = db.session.scalar(select(Forum).where(Forum.key == "lsg"))
    forum.areas.append(area)  # no audit entry
    db.session.commit()
    second = derived.version()
    after = services.findings(AS_OF, "sv")
    assert second not in (first, None)
    assert any(f["kind"] == "uncovered_area" for f in before["findings"])
    assert not any(f["kind"] == "uncovered_area" for f in after["findings"])

    db.session.execute(update(Forum).where(Forum.key == "lsg").values(name="Ledningsgruppen"))
    db.session.commit()
    assert derived.version() not in (second, None)
    assert any(f["name"] == "Ledningsgruppen" for f in services.map_document()["forums"])


def test_a_rolled_back_write_keeps_the_version(app, db, demo):
    """Nothing changes for a write that never commits; while it is open nothing is kept."""
    version = derived.version()
    db.session.add(Area(key="halvfardig", name="Halvfärdig"))
    db.session.flush()
    assert derived.version() is None  # uncommitted writes: computed afresh, never kept
    calls = []
    for _ in range(2):
        derived.cached(("probe", derived.version()), lambda: calls.append(1))
    assert len(calls) == 2
    db.session.rollback()
    assert derived.version() == version


def test_quiet_writes_keep_the_cache(app, db, demo, make_user):
    """Accounts, sessions and the audit trail are not the map: writing them keeps the cache."""
    version = derived.version()
    make_user("viewer")
    db.session.commit()
    assert derived.version() == version


def test_the_cache_is_safe_from_many_threads(app):
    """Eight threads reading and filling a small cache at once: no error, no wrong value."""
    app.extensions["derived"].values.maxsize  # noqa: B018 - the cache exists
    errors: list[BaseException] = []
    wrong: list[tuple] = []
    start = threading.Barrier(8)

    def work(offset: int) -> None:
        with app.app_context():
            start.wait()
            for i in range(2000):
                key = ("probe", 1, (i * 7 + offset) % 40)  # 40 keys through 16 places
                try:
                    value = derived.cached(key, lambda key=key: key[2] * 3)
                except BaseException as exc:  # noqa: BLE001 - any error is the failure
                    errors.append(exc)
                    return
                if value != key[2] * 3:
                    wrong.append((key, value))

    interval = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)  # switch threads as often as possible
    try:
        threads = [threading.Thread(target=work, args=(n,)) for n in range(8)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(interval)
    assert errors == [] and wrong == []
    assert len(app.extensions["derived"].values) <= app.extensions["derived"].values.maxsize


def test_unknown_filter_values_make_no_cache_entries(app, db, demo, client, signed_in):
    """Any signed-in user can type any query; only values the map has are kept."""
    signed_in("leadership")
    html = app.extensions["derived"].html
    assert client.get(f"/analys?as_of={AS_OF}").status_code == 200
    known = len(html)
    for n in range(20):
        for query in (f"area=nope-{n}", f"organisation=nope-{n}",
                      f"kind=uncovered_area&page={n + 9}"):
            page = client.get(f"/analys?as_of={AS_OF}&{query}")
            assert page.status_code == 200
    assert len(html) == known
    assert client.get(f"/analys?as_of={AS_OF}&area=tillganglighet").status_code == 200
    assert len(html) == known + 2  # the list and the filter form of a real area
