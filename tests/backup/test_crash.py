"""A process killed in the middle of an import leaves the database as it was."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from bench.generate import generate
from portal import ROOT
from portal.backup.services import write_backup
from portal.demo.loader import load_demo
from portal.extensions import db
from tests.backup.conftest import portal_on

SCALE = 0.1  # about 500 people and 100 forums: a second or more of writing
DEADLINE_S = 120


def _content() -> list[str]:
    """Every row of every table, as the backup writes them (without its time stamp)."""
    out = io.StringIO()
    write_backup(db.engine, db.metadata, out)
    return out.getvalue().splitlines()[1:]


def _writing_started_sqlite(url: str):
    """SQLite keeps a rollback journal next to the file while a write transaction is open."""
    journal = Path(make_url(url).database + "-journal")
    return journal.exists


def _writing_started_postgresql(url: str):
    """A PostgreSQL backend that has a transaction id has written something."""
    name = make_url(url).database
    monitor = create_engine(make_url(url).set(database="postgres"),
                            isolation_level="AUTOCOMMIT")

    def started() -> bool:
        with monitor.connect() as connection:
            return bool(connection.scalar(text(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                "AND backend_xid IS NOT NULL AND pid <> pg_backend_pid()"), {"d": name}))

    started.dispose = monitor.dispose  # type: ignore[attr-defined]
    return started


def _backends_gone(url: str) -> None:
    """Wait until the server has noticed the dead client and rolled its transaction back."""
    name = make_url(url).database
    monitor = create_engine(make_url(url).set(database="postgres"),
                            isolation_level="AUTOCOMMIT")
    try:
        for _ in range(200):
            with monitor.connect() as connection:
                if not connection.scalar(text(
                        "SELECT count(*) FROM pg_stat_activity WHERE datname = :d "
                        "AND backend_xid IS NOT NULL"), {"d": name}):
                    return
            time.sleep(0.05)
    finally:
        monitor.dispose()


def test_killing_an_import_midway_leaves_the_database_as_it_was(make_database, tmp_path):
    """`flask import` of a large map, killed with SIGKILL while writing, changes nothing."""
    url = make_database("crash")
    document = tmp_path / "large.json"
    document.write_text(json.dumps(generate(SCALE)), encoding="utf-8")
    with portal_on(url):
        load_demo()
        before = _content()
        db.session.remove()
        db.engine.dispose()
        postgresql = url.startswith("postgresql")
        started = _writing_started_postgresql(url) if postgresql else _writing_started_sqlite(url)
        env = {**os.environ, "DATABASE_URL": url, "FLASK_APP": "portal",
               "PYTHONPATH": str(ROOT)}
        process = subprocess.Popen(  # noqa: S603 - our own command line
            [sys.executable, "-m", "flask", "import", str(document)], cwd=ROOT, env=env,
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            deadline = time.monotonic() + DEADLINE_S
            while not started() and process.poll() is None and time.monotonic() < deadline:
                time.sleep(0.01)
            assert started(), "the import never started writing"
            time.sleep(0.2)  # well inside the writing, which takes a second or more
            assert process.poll() is None, "the import ended before it could be killed"
            process.send_signal(signal.SIGKILL)
            assert process.wait(timeout=30) == -signal.SIGKILL
        finally:
            if process.poll() is None:
                process.kill()
                process.wait()
            getattr(started, "dispose", lambda: None)()
        if postgresql:
            _backends_gone(url)
        assert _content() == before
