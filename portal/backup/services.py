"""Copy every table to a backup file in one consistent read, and restore it into an empty database.

The file is JSON lines, described in docs/backup-format.md: a header, then per table a line that
names its columns and their kinds followed by one JSON array per row, then an end line. The
tables are those of `db.metadata`, so a table added to the models is in the next backup
without any change here. The audit trail, accounts and sign-in sessions are included; a restore
writes nothing of its own, so that the restored database is identical to the one backed up.
"""

from __future__ import annotations

import gzip
import io
import json
import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

from sqlalchemy import func, select, text
from sqlalchemy.engine import Connection, Engine

from portal.backup.format import (
    ABOUT,
    FORMAT,
    VERSION,
    BackupError,
    algorithm,
    encode,
    hasher,
    kind,
    line_bytes,
)
from portal.backup.restore import Restored, restore, schema_revision
from portal.models.base import utcnow

BATCH = 1000


@contextmanager
def _snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction that sees one consistent state of every table."""
    if engine.dialect.name == "postgresql":
        connection = engine.connect().execution_options(isolation_level="REPEATABLE READ")
        with connection, connection.begin():
            connection.execute(text("SET TRANSACTION READ ONLY"))
            yield connection
        return
    with engine.connect() as connection:
        # pysqlite only opens a transaction before writes; BEGIN makes the reads one snapshot.
        connection.exec_driver_sql("BEGIN")
        try:
            yield connection
        finally:
            connection.rollback()


def _write_line(out: IO[str], value: Any, *digests) -> None:
    line = json.dumps(value, ensure_ascii=False, allow_nan=False, separators=(",", ":"))
    out.write(line)
    out.write("\n")
    for digest in digests:
        digest.update(line_bytes(line))


def write_backup(engine: Engine, metadata, out: IO[str], key: bytes | None = None
                 ) -> dict[str, int]:
    """Write every table of `metadata` to `out`; return the number of rows per table.

    Each table's lines get a digest, and every line before the end line one more; with `key`
    (BACKUP_KEY) they are HMAC-SHA256, without it plain SHA-256. The end line carries them.
    """
    tables = list(metadata.sorted_tables)  # parents before the tables that refer to them
    counts: dict[str, int] = {}
    digests: dict[str, str] = {}
    whole = hasher(key)
    with _snapshot(engine) as connection:
        _write_line(out, {
            "format": FORMAT, "version": VERSION, "about": ABOUT,
            "created_at": utcnow().isoformat(), "database": engine.dialect.name,
            "schema_revision": schema_revision(connection),
            "tables": [t.name for t in tables], "digest": algorithm(key),
        }, whole)
        for table in tables:
            columns = list(table.columns)
            kinds = [kind(c.type) for c in columns]
            total = connection.scalar(select(func.count()).select_from(table))
            own = hasher(key)
            _write_line(out, {"table": table.name, "columns": [c.name for c in columns],
                              "kinds": kinds, "rows": total}, whole, own)
            order = list(table.primary_key.columns) or columns
            result = connection.execution_options(stream_results=True, yield_per=BATCH).execute(
                select(*columns).order_by(*order))
            written = 0
            for row in result:
                _write_line(out, [encode(v, k) for v, k in zip(row, kinds, strict=True)],
                            whole, own)
                written += 1
            if written != total:  # cannot happen inside one snapshot; refuse a torn copy
                raise BackupError(f"table {table.name} changed while it was read")
            counts[table.name] = total
            digests[table.name] = own.hexdigest()
        _write_line(out, {"end": True, "rows": sum(counts.values()), "tables": digests,
                          "digest": whole.hexdigest()})
    return counts


def backup_file(engine: Engine, metadata, path: Path, key: bytes | None = None
                ) -> dict[str, int]:
    """Write a backup to `path` (gzip when it ends in .gz), replacing it only when complete;
    `key` (BACKUP_KEY) makes its digests HMACs."""
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent or ".")
    os.close(handle)
    opener = gzip.open if path.suffix == ".gz" else open
    try:
        with opener(temporary, "wt", encoding="utf-8", newline="\n") as out:
            counts = write_backup(engine, metadata, out, key)
        with open(temporary, "rb+") as written:  # on disk before it takes the name
            os.fsync(written.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return counts


def open_backup(path: Path) -> IO[str]:
    """Open a backup file for reading, plain or gzip."""
    path = Path(path)
    with path.open("rb") as probe:
        gzipped = probe.read(2) == b"\x1f\x8b"
    if gzipped:
        return io.TextIOWrapper(gzip.open(path, "rb"), encoding="utf-8")
    return path.open(encoding="utf-8")


def restore_file(engine: Engine, metadata, path: Path, key: bytes | None = None) -> Restored:
    """Verify a backup file, then restore it into an empty database (the file is read twice:
    nothing is written until every digest has been checked)."""
    return restore(engine, metadata, lambda: open_backup(path), key)

