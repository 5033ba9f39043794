"""Derived data of the stored map in one place: its version, caches and shared results.

Everything computed from the map (the exchange document, look-ups, findings, metrics, the
drawn map, rendered tables) is kept under the map's *version*, a token stored in the `setting`
table (key `derived.version`). Nothing has to remember to invalidate:

- every INSERT, UPDATE or DELETE on a table of the map marks its connection (an engine event
  that sees ORM flushes, Core statements and the importer's bulk writes alike, audit trail or
  not); just before that transaction commits, the version is replaced by a new random token
  in the same transaction. A rolled-back write changes nothing.
- a session that holds uncommitted writes to the map gets fresh values and stores none.

Values are kept in this process (a thread-safe LRU per application, `cachetools` under a lock)
and, for the expensive findings documents, in the table `analysis_result`, which every worker
process and `flask analyze` share. Keys are tuples of known values; callers pass only values
they have checked (an area that exists, a parsed date), never raw query text.

Bound in `portal.extensions` as `derived` and initialised by the app factory.
"""

from __future__ import annotations

import hashlib
import json
import logging
import re
import secrets
import threading
from collections.abc import Callable, Hashable
from datetime import UTC, datetime
from typing import Any

from cachetools import LRUCache
from flask import Flask, current_app
from flask_babel import get_locale
from markupsafe import Markup
from sqlalchemy import (
    JSON,
    DateTime,
    Integer,
    String,
    column,
    delete,
    event,
    insert,
    select,
    table,
)
from sqlalchemy.engine import Engine
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session
from sqlalchemy.pool import Pool

from portal.runtime import gc_paused

log = logging.getLogger(__name__)

VERSION_KEY = "derived.version"
CACHE_SIZE = 16  # maps, models, findings documents: a few megabytes each at national scale
HTML_CACHE_SIZE = 256  # rendered fragments of pages, each some tens of kilobytes at most

# Tables whose rows no derived value reads: writing them leaves the version alone (sign-ins,
# sessions and notifications would otherwise empty every cache many times an hour).
QUIET_TABLES = frozenset({
    "audit_entry", "user", "user_session", "account_token", "notification_preference",
    "notification_sent", "analysis_result", "structure_snapshot", "search_entry", "search_fts",
    "alembic_version", "security_event", "signin_counter",
})

_setting = table("setting", column("key", String), column("value", JSON))
_results = table("analysis_result", column("id", Integer), column("state", Integer),
                 column("key", String), column("payload", String),
                 column("created_at", DateTime(timezone=True)))

_WRITE = re.compile(r'^\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|UPDATE|DELETE\s+FROM)\s+"?(\w+)"?',
                    re.IGNORECASE)
_WROTE = "derived.wrote"  # connection info: this transaction wrote something
_CHANGED = "derived.changed"  # connection info: this transaction wrote to the map
_GIVEN = "derived.given"  # connection info: this transaction wrote the version row itself
_MEMO = "derived.version"  # session info: the version read in this transaction


class _Caches:
    """One application's caches, each guarded by its own lock."""

    def __init__(self, size: int, html_size: int) -> None:
        self.values: LRUCache = LRUCache(maxsize=size)
        self.html: LRUCache = LRUCache(maxsize=html_size)
        self.lock = threading.Lock()

    def get(self, cache: LRUCache, key: Hashable) -> tuple[bool, Any]:
        with self.lock:
            try:
                return True, cache[key]  # an LRU read reorders: it is a write too
            except KeyError:
                return False, None

    def put(self, cache: LRUCache, key: Hashable, value: Any) -> None:
        with self.lock:
            cache[key] = value


class DerivedData:
    """The map's version, the in-process caches, the shared results and the HTML cache."""

    def init_app(self, app: Flask) -> None:
        app.extensions["derived"] = _Caches(
            app.config.get("DERIVED_CACHE_SIZE", CACHE_SIZE),
            app.config.get("DERIVED_HTML_CACHE_SIZE", HTML_CACHE_SIZE),
        )

    @staticmethod
    def _caches() -> _Caches:
        return current_app.extensions["derived"]

    @staticmethod
    def _session() -> Session:
        return current_app.extensions["sqlalchemy"].session()

    def version(self) -> int | None:
        """The map's version as this transaction sees it; None while it holds map writes.

        Read once per transaction (kept in the session's info): a page asks for several
        cached values. A flush, commit or rollback forgets it.
        """
        session = self._session()
        if _MEMO not in session.info:
            stored = session.execute(
                select(_setting.c.value).where(_setting.c.key == VERSION_KEY)).scalar()
            session.info[_MEMO] = int(stored or 0)
        if self.has_uncommitted_changes():
            return None
        return session.info[_MEMO]

    def has_uncommitted_changes(self) -> bool:
        """True when this session's transaction wrote to the map and has not committed."""
        session = self._session()
        if session.new or session.deleted or any(session.is_modified(o) for o in session.dirty):
            return True
        if not session.in_transaction():
            return False
        return bool(session.connection().info.get(_CHANGED))

    def clear(self) -> None:
        """Empty this application's caches (the shared table is left as it is)."""
        caches = self._caches()
        with caches.lock:
            caches.values.clear()
            caches.html.clear()

    def cached(self, key: tuple, compute: Callable[[], Any]) -> Any:
        """A value of this process's cache, or `compute()` kept under `key`.

        `key` is `(name, version, *known values)`; the version is `version()` for values read
        from the map, or a constant for values that do not depend on it. A version of None
        (uncommitted writes) is computed and not kept. Two threads missing the same key at
        once both compute it; the second result replaces the first.
        """
        return self._through(self._caches().values, key, compute)

    def html(self, name: str, *parts: Hashable, render: Callable[[], str],
             keep: bool = True) -> Markup:
        """HTML that depends only on the stored map: rendered once per version, language, parts.

        For the heavy parts of pages (the findings list, overview tables, a commission as
        those who may not change it see it). What `render` produces must depend on who asks
        only through what `parts` name (a role, a person, a permission answered beforehand),
        and never hold a CSRF token. `parts` must be known values (checked filters), never
        raw query text; a caller with a value it does not know passes `keep=False` and gets it
        rendered afresh.
        """
        if keep:
            key = (name, self.version(), str(get_locale()), *parts)
            html = self._through(self._caches().html, key, render)
        else:
            html = render()
        return Markup(html)  # noqa: S704 - rendered by our own autoescaping templates

    def _through(self, cache: LRUCache, key: tuple, compute: Callable[[], Any]) -> Any:
        if None in key[1:2]:  # the version: uncommitted writes, compute afresh
            return compute()
        caches = self._caches()
        found, value = caches.get(cache, key)
        if found:
            return value
        with gc_paused():  # a large acyclic build: the collector would find nothing
            value = compute()
        caches.put(cache, key, value)
        return value

    def shared(self, key: tuple, compute: Callable[[], dict]) -> dict:
        """A JSON result kept in `analysis_result` for this version, so other processes reuse it.

        Gunicorn's workers and `flask analyze` are separate processes, each with its own cache;
        the table lets the first one to need a result compute it and the others read it.
        Results are stored only when committing cannot carry anything else with it, and a
        new version removes the rows of older ones.
        """
        state = key[1]
        if state is None:
            return compute()
        session = self._session()
        digest = hashlib.sha256(json.dumps(key[:1] + key[2:], default=str).encode()).hexdigest()
        stored = session.execute(select(_results.c.payload).where(
            _results.c.state == state, _results.c.key == digest)).scalar()
        if stored is not None:
            return json.loads(stored)
        value = compute()
        if self._may_store(session):
            try:
                session.execute(insert(_results).values(
                    state=state, key=digest, payload=json.dumps(value, ensure_ascii=False),
                    created_at=datetime.now(UTC)))
                session.execute(delete(_results).where(_results.c.state != state))
                session.commit()
            except SQLAlchemyError:  # another process stored it first, or the database is busy
                session.rollback()
        return value

    @staticmethod
    def _may_store(session: Session) -> bool:
        """True when committing cannot carry anything but the stored result with it."""
        if session.new or session.dirty or session.deleted:
            return False
        return not (session.in_transaction() and session.connection().info.get(_WROTE))


# Writes are noticed on the connection, whichever way they were made (ORM, Core, bulk).
@event.listens_for(Engine, "after_cursor_execute")
def _note_write(conn, cursor, statement, parameters, _context, _executemany) -> None:
    match = _WRITE.match(statement)
    if match is None or cursor.rowcount == 0:  # a backfill of an empty table changes nothing
        return
    conn.info[_WROTE] = True
    name = match.group(1).lower()
    if name == "setting" and VERSION_KEY in str(parameters):
        conn.info[_GIVEN] = True  # a restore writes the version it had: it stays
    if name not in QUIET_TABLES:
        conn.info[_CHANGED] = True


@event.listens_for(Engine, "commit")
def _new_version(conn) -> None:
    """Just before a transaction that wrote to the map commits, give the map a new version."""
    conn.info.pop(_WROTE, None)
    given = conn.info.pop(_GIVEN, False)
    if not conn.info.pop(_CHANGED, False) or given:
        return
    _write_version(conn, secrets.randbelow(2**31 - 2) + 1)


def _write_version(conn, token: int) -> None:
    """Upsert the version with the driver's own cursor (no statement events, no recursion)."""
    postgres = conn.dialect.name == "postgresql"
    mark = "%s" if conn.dialect.paramstyle in ("format", "pyformat") else "?"
    value = f"{mark}::json" if postgres else mark
    sql = (f"INSERT INTO setting (key, value) VALUES ({mark}, {value}) "  # noqa: S608 - no input
           "ON CONFLICT (key) DO UPDATE SET value = excluded.value")
    cursor = conn.connection.dbapi_connection.cursor()
    try:
        if postgres:
            cursor.execute("SAVEPOINT derived_version")
        cursor.execute(sql, (VERSION_KEY, json.dumps(token)))
        if postgres:
            cursor.execute("RELEASE SAVEPOINT derived_version")
    except conn.dialect.loaded_dbapi.Error as exc:  # no setting table yet (early migrations)
        if postgres:
            cursor.execute("ROLLBACK TO SAVEPOINT derived_version")
        log.warning("the map's version was not changed: %s", exc)
    finally:
        cursor.close()


@event.listens_for(Engine, "rollback")
def _forget_writes(conn) -> None:
    for flag in (_WROTE, _CHANGED, _GIVEN):
        conn.info.pop(flag, None)


@event.listens_for(Pool, "checkin")
def _forget_writes_at_checkin(_dbapi_connection, record) -> None:
    if record is not None:
        for flag in (_WROTE, _CHANGED, _GIVEN):
            record.info.pop(flag, None)


@event.listens_for(Session, "after_flush")
@event.listens_for(Session, "after_commit")
@event.listens_for(Session, "after_rollback")
def _forget_version(session: Session, *_args) -> None:
    session.info.pop(_MEMO, None)
