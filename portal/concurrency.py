"""Writes that race: one clean winner, and a 409 that says what is stored now for the rest.

A service that must decide on what is stored (is this decision still a draft? has this version
been corrected already?) decides *inside* the write lock: `lock_row` serialises the writers of
one row (`SELECT … FOR UPDATE` on PostgreSQL, the database's write lock on SQLite), so that the
check and the write it guards see the same state. A writer that lost raises `Conflict`, which
`portal.errors` answers with 409 and the message, which names what is stored now.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from sqlalchemy import select

from portal.extensions import db


class Conflict(Exception):
    """The write was based on a state that another write has changed in the meantime.

    `message` says what is stored now (for the person); `link` is (endpoint, values, label) of
    the page that shows it.
    """

    def __init__(self, message: str,
                 link: tuple[str, dict[str, Any], str] | None = None) -> None:
        super().__init__(message)
        self.message, self.link = message, link


class StaleEdit(Exception):
    """Someone saved the object after the form was opened; `current` is how it is now.

    Forms that carry the version they were opened at get it; `portal.views.submit` answers 409
    with the form filled with what was saved.
    """

    def __init__(self, current: Any) -> None:
        super().__init__(f"{current!r} changed since the form was opened")
        self.current = current


def lock_row(model: Any, row_id: int) -> None:
    """Hold the write lock of one row (PostgreSQL) or of the database (SQLite) until commit.

    Everything read after this call and before the commit is what the next writer will see:
    checks made after it cannot be overtaken by a concurrent write.
    """
    connection = db.session.connection()
    if connection.dialect.name == "sqlite":
        driver = connection.connection.driver_connection
        if not driver.in_transaction:  # pysqlite opens a transaction only at the first write
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        return
    db.session.execute(select(model.id).where(model.id == row_id).with_for_update())


def fingerprint(state: dict[str, Any], fields: Any = None) -> str:
    """A short digest of an entity's state (its snapshot), limited to `fields` when given.

    An edit form carries the fingerprint of what it showed (`based_on`); the save compares it
    with the state it finds under the write lock, so that an edit based on a state someone
    else has changed since is refused instead of silently undoing their change.
    """
    shown = state if fields is None else {name: state.get(name) for name in fields}
    text = json.dumps(shown, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:32]
