"""Restore a backup into an empty database, in one transaction, in dependency order.

A version 2 file is read twice: first every digest is checked (nothing is written), then the
rows are inserted. A version 1 file has no digests: it is restored with a warning that it
could not be verified.
"""

from __future__ import annotations

import hmac
import json
from collections.abc import Callable, Iterable, Iterator
from contextlib import AbstractContextManager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Table, and_, bindparam, func, inspect, select, text
from sqlalchemy.engine import Connection, Engine
from sqlalchemy.schema import sort_tables_and_constraints

from portal.backup.format import (
    FORMAT,
    KEYED,
    PLAIN,
    READABLE,
    BackupError,
    decode,
    hasher,
    kind,
    line_bytes,
)

BATCH = 1000


def schema_revision(connection: Connection) -> str | None:
    """The Alembic revision the database is at, when it was made by migrations."""
    if not inspect(connection).has_table("alembic_version"):
        return None
    return connection.execute(text("SELECT version_num FROM alembic_version")).scalar()


class _Reader:
    """The lines of a backup file as JSON values, with the line number for messages."""

    def __init__(self, lines: Iterable[str]) -> None:
        self._lines = iter(lines)
        self.number = 0

    def line(self, what: str) -> str:
        """The next line's text; a missing line means the file was cut short."""
        try:
            line = next(self._lines)
        except StopIteration:
            raise BackupError(f"the file ends early (line {self.number + 1}: {what} expected); "
                              "it is incomplete, nothing was restored") from None
        except UnicodeDecodeError:
            raise BackupError(f"line {self.number + 1}: not UTF-8 text") from None
        self.number += 1
        return line

    def next(self, what: str) -> Any:
        """The next line's value."""
        return self.value(self.line(what))

    def value(self, line: str) -> Any:
        """A line's JSON value."""
        try:
            return json.loads(line)
        except ValueError as exc:
            raise BackupError(f"line {self.number}: not JSON ({exc})") from None


def _check_header(header: Any) -> list[str]:
    """Refuse another format or version; return the table names the file holds."""
    if not isinstance(header, dict) or header.get("format") != FORMAT:
        raise BackupError(f"this is not a {FORMAT} file")
    if header.get("version") not in READABLE:
        raise BackupError(f"the file is {FORMAT} version {header.get('version')}; this "
                          f"portal restores versions {', '.join(map(str, READABLE))}")
    tables = header.get("tables")
    if not (isinstance(tables, list) and all(isinstance(name, str) for name in tables)):
        raise BackupError("the header does not list the tables")
    return tables


Lines = Callable[[], AbstractContextManager[Iterable[str]]]


@dataclass
class Restored:
    """What a restore did: rows per table, and whether the file's digests were checked."""

    counts: dict[str, int] = field(default_factory=dict)
    verified: bool = True

    @property
    def warning(self) -> str | None:
        """Why the restored content could not be vouched for, when it could not."""
        if self.verified:
            return None
        return ("the file is backup format version 1, which has no digests: it could not be "
                "verified that it is the backup as it was made")


def verify(lines: Iterable[str], key: bytes | None) -> bool:
    """Check every digest of a backup before anything is written.

    Returns False for a version 1 file (it has none to check).

    :raise BackupError: naming the table whose lines do not match their digest, or saying that
        the header or end line was changed, that the file ends early, or that it needs the key.
    """
    reader = _Reader(lines)
    first = reader.line("the header")
    header = reader.value(first)
    names = _check_header(header)
    if header["version"] == 1:
        return False
    made_with = header.get("digest")
    if made_with not in (KEYED, PLAIN):
        raise BackupError(f"the header names no known digest ({made_with!r})")
    if made_with == KEYED and not key:
        raise BackupError("the file's digests were made with BACKUP_KEY: set the same "
                          "BACKUP_KEY to restore it")
    if made_with == PLAIN and key:
        raise BackupError("BACKUP_KEY is set but the file's digests were made without a key, "
                          "so they cannot show that nobody changed it; unset BACKUP_KEY for "
                          "this restore only if you trust where the file has been")
    whole = hasher(key)
    whole.update(line_bytes(first))
    found: dict[str, str] = {}
    for name in names:
        own = hasher(key)
        line = reader.line(f"the table {name}")
        section = reader.value(line)
        if not isinstance(section, dict) or section.get("table") != name:
            raise BackupError(f"line {reader.number}: the table {name} was expected")
        rows = _row_count(section, reader.number)
        _feed(line, whole, own)
        for _ in range(rows):
            _feed(reader.line(f"a row of {name}"), whole, own)
        found[name] = own.hexdigest()
    end = reader.next("the end line")
    stated = end.get("tables") if isinstance(end, dict) else None
    if not isinstance(stated, dict):
        raise BackupError("the end line has no table digests; nothing was restored")
    for name in names:
        if not hmac.compare_digest(str(stated.get(name, "")), found[name]):
            raise BackupError(
                f"the table {name} does not match its digest: the file was changed after the "
                "backup was made (or BACKUP_KEY is not the key it was made with); nothing was "
                "restored")
    if not hmac.compare_digest(str(end.get("digest", "")), whole.hexdigest()):
        raise BackupError("the file does not match its digest: its header or end line was "
                          "changed after the backup was made; nothing was restored")
    return True


def _feed(line: str, *digests) -> None:
    for digest in digests:
        digest.update(line_bytes(line))


def _row_count(section: dict, line: int) -> int:
    rows = section.get("rows")
    if not isinstance(rows, int) or isinstance(rows, bool) or rows < 0:
        raise BackupError(f"line {line}: the number of rows is missing")
    return rows


def _check_target(connection: Connection, metadata, header: dict, names: list[str]) -> None:
    """The database must have this schema and hold no rows at all."""
    tables = {t.name: t for t in metadata.sorted_tables}
    if set(names) != set(tables):
        missing, extra = sorted(set(tables) - set(names)), sorted(set(names) - set(tables))
        raise BackupError(f"the file's tables differ from the portal's (missing: {missing}, "
                          f"unknown: {extra}); restore with the portal version that made it")
    absent = [name for name in names if not inspect(connection).has_table(name)]
    if absent:
        raise BackupError(f"the database has no table {absent[0]}: run `flask db upgrade` on "
                          "the empty database first")
    ours, theirs = schema_revision(connection), header.get("schema_revision")
    if ours and theirs and ours != theirs:
        raise BackupError(f"the file was made at schema revision {theirs}, the database is at "
                          f"{ours}; migrate a copy to the same revision first")
    filled = [n for n in names if connection.scalar(select(func.count()).select_from(tables[n]))]
    if filled:
        raise BackupError(f"the database is not empty (table {filled[0]} has rows); a backup "
                          "is restored only into an empty database")


def _deferred_constraints(metadata) -> set:
    """Foreign keys between tables that refer to each other in a cycle: filled in afterwards."""
    last = sort_tables_and_constraints(metadata.sorted_tables)[-1]
    return set(last[1]) if last[0] is None else set()


def restore(engine: Engine, metadata, lines: Lines, key: bytes | None = None) -> Restored:
    """Verify a backup, then insert every row into an empty database and commit once.

    `lines` opens the file afresh (it is read twice); `key` is BACKUP_KEY.

    :raise BackupError: for another format or version, digests that do not match, a non-empty
        database, a schema that differs or an incomplete file; nothing is written then.
    """
    with lines() as first_read:
        verified = verify(first_read, key)
    with lines() as second_read:
        counts = _restore(engine, metadata, second_read)
    return Restored(counts, verified)


def _restore(engine: Engine, metadata, lines: Iterable[str]) -> dict[str, int]:
    """Insert every row of a backup (checked already) in one transaction."""
    reader = _Reader(lines)
    header = reader.next("the header")
    names = _check_header(header)
    tables = {t.name: t for t in metadata.sorted_tables}
    cyclic = _deferred_constraints(metadata)
    counts: dict[str, int] = {}
    later: list[tuple[Table, dict, dict]] = []
    with engine.begin() as connection:
        if engine.dialect.name == "sqlite":  # hold the write lock from the emptiness check on
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        _check_target(connection, metadata, header, names)
        for position, name in enumerate(names):
            table = tables[name]
            section = reader.next(f"the table {name}")
            columns = _check_section(section, table, name, reader.number)
            _check_order(table, names[:position], cyclic)
            rows = (dict(zip(columns, row, strict=True)) for row in
                    _rows(reader, section, name))
            counts[name] = _insert(connection, table, rows, cyclic, later)
        for table, key, values in later:
            connection.execute(table.update().where(_match(table, key)).values(**values))
        end = reader.next("the end line")
        if not (isinstance(end, dict) and end.get("end")) or end.get("rows") != sum(
                counts.values()):
            raise BackupError("the end line is missing or does not match; nothing was restored")
        if engine.dialect.name == "postgresql":
            _reset_sequences(connection, tables.values())
    return counts


def _check_section(section: Any, table: Table, name: str, line: int) -> list[str]:
    """A table's line must name this table with the portal's columns and kinds."""
    if not isinstance(section, dict) or section.get("table") != name:
        raise BackupError(f"line {line}: the table {name} was expected")
    ours = {c.name: kind(c.type) for c in table.columns}
    theirs = dict(zip(section.get("columns") or [], section.get("kinds") or [], strict=False))
    if ours != theirs:
        raise BackupError(f"line {line}: the columns of {name} differ from the portal's; "
                          "restore with the portal version that made the file")
    return list(section["columns"])


def _check_order(table: Table, before: list[str], cyclic: set) -> None:
    """Parents must come first in the file, or a row would refer to one not yet there."""
    for constraint in table.foreign_key_constraints:
        parent = constraint.referred_table.name
        if parent != table.name and constraint not in cyclic and parent not in before:
            raise BackupError(f"the file lists {table.name} before {parent}, which it refers to")


def _rows(reader: _Reader, section: dict, name: str) -> Iterator[list]:
    """The row lines of one table, decoded to Python values."""
    kinds = section["kinds"]
    for _ in range(int(section.get("rows") or 0)):
        row = reader.next(f"a row of {name}")
        if not isinstance(row, list) or len(row) != len(kinds):
            raise BackupError(f"line {reader.number}: a row of {name} with the wrong shape")
        yield [decode(value, k) for value, k in zip(row, kinds, strict=True)]


def _insert(connection: Connection, table: Table, rows: Iterator[dict], cyclic: set,
            later: list) -> int:
    """Insert one table's rows in batches; rows that refer to rows of the same table go after
    the rows they refer to, and references that go round in a circle are set afterwards."""
    deferred = [c for c in table.foreign_key_constraints if c in cyclic]
    own = [c for c in table.foreign_key_constraints if c.referred_table is table]
    if own:
        rows = iter(_parents_first(list(rows), table, own, later))
    count = 0
    batch: list[dict] = []
    for row in rows:
        for constraint in deferred:
            _defer(table, row, constraint, later)
        batch.append(row)
        count += 1
        if len(batch) >= BATCH:
            connection.execute(table.insert(), batch)
            batch = []
    if batch:
        connection.execute(table.insert(), batch)
    return count


def _key(table: Table, row: dict) -> dict:
    """The primary key values of a row."""
    return {c.name: row[c.name] for c in table.primary_key.columns}


def _match(table: Table, key: dict):
    return and_(*(table.c[name] == bindparam(f"k_{name}", value) for name, value in key.items()))


def _defer(table: Table, row: dict, constraint, later: list) -> None:
    """Insert the row without this reference and set it once every row is in."""
    values = {c.name: row[c.name] for c in constraint.columns if row[c.name] is not None}
    if values:
        later.append((table, _key(table, row), values))
        row.update(dict.fromkeys(values))


def _parents_first(rows: list[dict], table: Table, own: list, later: list) -> list[dict]:
    """Order rows so that a row comes after the rows of the same table it refers to."""
    links = [(list(c.columns)[0].name, list(c.elements)[0].column.name) for c in own]
    index = {name: {row[name]: i for i, row in enumerate(rows)} for _, name in links}
    state, order = [0] * len(rows), []  # 0 unseen, 1 being placed, 2 placed
    for start in range(len(rows)):
        if state[start]:
            continue
        state[start], stack = 1, [(start, 0)]
        while stack:
            i, step = stack[-1]
            if step == len(links):
                state[i] = 2
                order.append(rows[i])
                stack.pop()
                continue
            stack[-1] = (i, step + 1)
            column, target = links[step]
            parent = index[target].get(rows[i][column])
            if parent is None or parent == i or state[parent] == 2:
                continue
            if state[parent] == 1:  # a circle: break it here and close it afterwards
                later.append((table, _key(table, rows[i]), {column: rows[i][column]}))
                rows[i][column] = None
                continue
            state[parent] = 1
            stack.append((parent, 0))
    return order


def _reset_sequences(connection: Connection, tables: Iterable[Table]) -> None:
    """Move each id sequence past the restored ids, so new rows get fresh ones."""
    for table in tables:
        columns = list(table.primary_key.columns)
        if len(columns) != 1 or kind(columns[0].type) != "integer":
            continue
        column = columns[0]
        sequence = connection.scalar(select(func.pg_get_serial_sequence(
            f'"{table.name}"', column.name)))
        if sequence:
            highest = func.max(column)
            connection.execute(select(func.setval(sequence, func.coalesce(highest, 1),
                                                  highest.is_not(None))))
