"""A process killed during an import leaves the database consistent: as it was when the kill
lands inside the transaction, completely imported when it lands after the commit.

The kill lands where the test means it to, every time: the import stops at a fault-injection
point (`portal.faults`, switched on through the environment) and writes a marker file; the
test waits for the marker, checks that the database is in the state the point promises (a
transaction open, or none), and only then sends SIGKILL.
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, func, select, text
from sqlalchemy.engine import make_url

from bench.generate import generate
from portal import ROOT
from portal.backup.services import write_backup
from portal.demo.loader import load_demo
from portal.derived import VERSION_KEY
from portal.extensions import db
from portal.models import AuditEntry, Person, Setting
from tests.backup.conftest import portal_on

SCALE = 0.01  # about 270 people and 2,200 meetings: far more rows than the pause point
PAUSE_AFTER_ROWS = 200
DEADLINE_S = 120


def _content() -> list[str]:
    """Every row of every table, as the backup writes them (without its header and end line,
    which carry the time of the backup)."""
    out = io.StringIO()
    write_backup(db.engine, db.metadata, out)
    return out.getvalue().splitlines()[1:-1]


def _wait_until(condition: Callable[[], bool], what: str, process=None) -> None:
    """Poll an observable condition until it holds; fail at the deadline or when the process
    it waits for has ended."""
    deadline = time.monotonic() + DEADLINE_S
    while not condition():
        if process is not None and process.poll() is not None:
            raise AssertionError(f"the import ended (exit {process.returncode}) before {what}")
        assert time.monotonic() < deadline, f"no {what} within {DEADLINE_S} s"
        time.sleep(0.02)


@contextmanager
def _monitor(url: str) -> Iterator[Callable[[], bool]]:
    """A function telling whether some connection holds an open write transaction: SQLite
    keeps a rollback journal next to the file, a PostgreSQL backend has a transaction id."""
    if not url.startswith("postgresql"):
        yield Path(make_url(url).database + "-journal").exists
        return
    name = make_url(url).database
    engine = create_engine(make_url(url).set(database="postgres"), isolation_level="AUTOCOMMIT")

    def writing() -> bool:
        with engine.connect() as connection:
            return bool(connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"), {"d": name}))

    try:
        yield writing
    finally:
        engine.dispose()


def _import_killed_at(point: str, url: str, document: Path, marker: Path) -> None:
    """Run `flask import` until it stops at the fault-injection point, check the transaction
    state the point promises, then kill it with SIGKILL and wait for the database to notice."""
    env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "portal", "PYTHONPATH": str(ROOT),
           "PORTAL_FAULT_PAUSE": point, "PORTAL_FAULT_MARKER": str(marker)}
    env.pop("PORTAL_ENV", None)
    log = marker.with_name("import.log")
    with log.open("wb") as output:
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "flask", "import", str(document)], cwd=ROOT, env=env,
            stdout=output, stderr=subprocess.STDOUT)
    with _monitor(url) as writing:
        try:
            try:
                _wait_until(marker.exists, f"stop at {point}", process)
            except AssertionError as exc:
                raise AssertionError(f"{exc}\n{log.read_text(errors='replace')}") from None
            assert int(marker.read_text(encoding="utf-8")) == process.pid
            inside = point.startswith("import-rows")
            assert writing() is inside, (
                "the import stopped outside its transaction" if inside else
                "the import stopped after its commit with a transaction still open")
            process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
            if url.startswith("postgresql"):  # it rolls back once it notices the socket
                _wait_until(lambda: not writing(), "rollback of the killed transaction")
            # (SQLite: the next connection to open the file rolls its hot journal back.)
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()


def _prepared(make_database, tmp_path) -> tuple[str, Path]:
    url = make_database("crash")
    document = tmp_path / "large.json"
    document.write_text(json.dumps(generate(SCALE)), encoding="utf-8")
    return url, document


def test_killing_an_import_inside_its_transaction_leaves_the_database_as_it_was(
        make_database, tmp_path):
    """`flask import` killed with SIGKILL after writing rows, before its commit, changes
    nothing at all."""
    url, document = _prepared(make_database, tmp_path)
    with portal_on(url):
        load_demo()
        before = _content()
        db.session.remove()
        db.engine.dispose()
        _import_killed_at(f"import-rows:{PAUSE_AFTER_ROWS}", url, document,
                          tmp_path / "paused")
        assert _content() == before


def test_killing_an_import_after_its_commit_leaves_it_complete_and_audited(
        make_database, tmp_path):
    """Killed just after the commit, the import is complete: every entry is in, the audit
    trail records the import and each entry it created, and the derived data's version has
    changed (no cached page shows the map as it was)."""
    url, document = _prepared(make_database, tmp_path)
    keys = {person["key"] for person in json.loads(document.read_text())["people"]}
    with portal_on(url):
        load_demo()
        people_before = db.session.scalar(select(func.count()).select_from(Person))
        version_before = db.session.scalar(select(Setting.value).where(
            Setting.key == VERSION_KEY))
        db.session.remove()
        db.engine.dispose()
        _import_killed_at("import-committed", url, document, tmp_path / "paused")

        stored = set(db.session.scalars(select(Person.key).where(Person.key.in_(keys))))
        assert stored == keys
        source = f"cli:{document.name}"
        imports = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "import")).all()
        imports = [entry for entry in imports if entry.data.get("source") == source]
        assert len(imports) == 1
        created = imports[0].data["created"]["people"]
        people_now = db.session.scalar(select(func.count()).select_from(Person))
        assert people_now - people_before == created > 0
        audited = db.session.scalars(select(AuditEntry).where(
            AuditEntry.action == "create", AuditEntry.entity_type == "person")).all()
        assert sum(1 for entry in audited if (entry.data or {}).get("source") == source) \
            == created
        assert db.session.scalar(select(Setting.value).where(
            Setting.key == VERSION_KEY)) != version_before


def test_the_pause_points_are_inert_without_the_switch_and_in_production(tmp_path, monkeypatch):
    """Without PORTAL_FAULT_PAUSE, with PORTAL_ENV=production, or at another point than the
    one switched on, `pause_at` returns at once and writes nothing."""
    import threading

    from portal import faults

    marker = tmp_path / "paused"
    monkeypatch.setenv("PORTAL_FAULT_MARKER", str(marker))
    cases = [({}, "import-committed", 0),
             ({"PORTAL_FAULT_PAUSE": "import-committed", "PORTAL_ENV": "production"},
              "import-committed", 0),
             ({"PORTAL_FAULT_PAUSE": "import-rows:200"}, "import-rows", 199),
             ({"PORTAL_FAULT_PAUSE": "import-rows:200"}, "import-committed", 0)]
    for env, point, reached in cases:
        monkeypatch.delenv("PORTAL_FAULT_PAUSE", raising=False)
        monkeypatch.delenv("PORTAL_ENV", raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        call = threading.Thread(target=faults.pause_at, args=(point, reached), daemon=True)
        call.start()
        call.join(timeout=10)
        assert not call.is_alive(), f"pause_at stopped with {env} at {point}"
    assert not marker.exists()
