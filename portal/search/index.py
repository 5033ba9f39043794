"""The search index: Swedish stems of everything a person looks for, kept in step with writes.

Each searchable entity has one `SearchEntry` with its words and their stems (Snowball's Swedish
stemmer, so "beslutet" and "besluten" both become "beslut"). The same stems are indexed by
each database's own full-text search, so both databases find the same things:

- SQLite: an FTS5 table `search_fts` over the stem columns (external content, kept in step by
  triggers on `search_entry`; `unicode61 remove_diacritics 0` keeps å, ä and ö apart);
- PostgreSQL: a generated `tsvector` column `tsv` (the `simple` configuration, since the text
  is already stemmed) with a GIN index.

Writes through the ORM update the entries in the same flush (`_after_flush`); bulk writes with
SQLAlchemy Core (the importer, a restore) call `refresh` for what they wrote.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from typing import Any

from snowballstemmer.swedish_stemmer import SwedishStemmer
from sqlalchemy import Connection, column, delete, event, insert, select, table, text, update
from sqlalchemy.orm import Session

from portal.models.search import SearchEntry

WORD = re.compile(r"[^\W_]+")
# The Swedish stemmer alone: the package itself imports the stemmers of 30 languages.
_STEMMER = SwedishStemmer()


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    """The Swedish stem of one word, in lower case."""
    return _STEMMER.stemWord(word.lower())


def words(value: str | None) -> list[str]:
    """The words of a text: runs of letters and digits."""
    return WORD.findall(value or "")


def stems(value: str | None) -> str:
    """The stems of a text's words, separated by spaces."""
    return " ".join(stem(w) for w in words(value))


@dataclass(frozen=True)
class Source:
    """A table whose rows are searched: the columns shown as the title and the other words."""

    kind: str
    table: str
    title: tuple[str, ...]
    body: tuple[str, ...]


SOURCES: tuple[Source, ...] = (
    Source("forum", "forum", ("name",), ("key", "mandate", "meets")),
    Source("person", "person", ("name",), ("title",)),
    Source("organisation", "organisation", ("name",), ("key",)),
    Source("area", "area", ("name",), ("description",)),
    Source("indicator", "indicator", ("name",), ("definition", "source")),
    Source("commission", "commission", ("title",), ("key", "goals")),
    Source("action", "action", ("title",), ("key",)),
    Source("decision", "decision", ("title",), ("text",)),
    Source("meeting", "meeting", ("title",), ("place", "meets_on")),
    Source("document", "document", ("title",), ("summary", "key")),
)
BY_TABLE = {s.table: s for s in SOURCES}
KINDS = tuple(s.kind for s in SOURCES)
# The exchange format's lists (samverkan/1) whose entries are searched, and their kinds.
KIND_OF_LIST = {"organisations": "organisation", "people": "person", "areas": "area",
                "forums": "forum", "commissions": "commission", "actions": "action",
                "decisions": "decision", "indicators": "indicator", "meetings": "meeting",
                "documents": "document"}


def _text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list | tuple):
        return " ".join(_text(v) for v in value)
    return str(value)


def _joined(values: Mapping[str, Any], names: tuple[str, ...]) -> str:
    return " ".join(t for t in (_text(values.get(n)) for n in names) if t)


def entry_values(source: Source, values: Mapping[str, Any]) -> dict[str, Any]:
    """The index columns of one row (a mapping of its column values)."""
    title, body = _joined(values, source.title), _joined(values, source.body)
    hidden = source.kind == "decision" and values.get("status") != "final"
    return {"kind": source.kind, "ref_id": values["id"], "title": title, "body": body,
            "title_stems": stems(title), "body_stems": stems(body), "is_hidden": hidden}


def _columns(source: Source) -> list[str]:
    extra = ("status", "supersedes_id") if source.kind == "decision" else ()
    return ["id", *dict.fromkeys((*source.title, *source.body, *extra))]


# --- Bulk: the importer, a restore, the migration --------------------------------------------


def refresh(connection: Connection, kinds: Iterable[str] | None = None) -> int:
    """Rebuild the entries of these kinds (all when None) from their tables; how many rows."""
    wanted = set(KINDS if kinds is None else kinds)
    written = 0
    for source in SOURCES:
        if source.kind not in wanted:
            continue
        names = _columns(source)
        rows = connection.execute(
            select(*(column(n) for n in names)).select_from(table(source.table))
        ).mappings().all()
        entries = [entry_values(source, row) for row in rows]
        if source.kind == "decision":
            superseded = {r["supersedes_id"] for r in rows if r["supersedes_id"] is not None}
            for entry in entries:
                entry["is_hidden"] = entry["is_hidden"] or entry["ref_id"] in superseded
        connection.execute(delete(SearchEntry.__table__).where(
            SearchEntry.__table__.c.kind == source.kind))
        for start in range(0, len(entries), 5000):
            connection.execute(insert(SearchEntry.__table__), entries[start:start + 5000])
        written += len(entries)
    return written


# --- Single writes through the ORM ------------------------------------------------------------


def _after_flush(session: Session, _context) -> None:
    """Write the entries of the searchable objects this flush created, changed or deleted."""
    changed = [o for o in (*session.new, *session.dirty)
               if getattr(o, "__tablename__", None) in BY_TABLE]
    deleted = [o for o in session.deleted if getattr(o, "__tablename__", None) in BY_TABLE]
    if not (changed or deleted):
        return
    connection = session.connection()
    entries = SearchEntry.__table__
    for obj in deleted:
        source = BY_TABLE[obj.__tablename__]
        connection.execute(delete(entries).where(entries.c.kind == source.kind,
                                                 entries.c.ref_id == obj.id))
    for obj in changed:
        source = BY_TABLE[obj.__tablename__]
        values = entry_values(source, {n: getattr(obj, n, None) for n in _columns(source)})
        done = connection.execute(
            update(entries).where(entries.c.kind == source.kind,
                                  entries.c.ref_id == values["ref_id"])
            .values(**{k: v for k, v in values.items() if k not in ("kind", "ref_id")}))
        if not done.rowcount:
            connection.execute(insert(entries), [values])
        if source.kind == "decision" and getattr(obj, "supersedes_id", None) is not None:
            connection.execute(update(entries).where(
                entries.c.kind == "decision", entries.c.ref_id == obj.supersedes_id,
            ).values(is_hidden=True))


event.listen(Session, "after_flush", _after_flush)


# --- The databases' own full-text indexes ----------------------------------------------------

_SQLITE = (
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5(title_stems, body_stems, "
    "content='search_entry', content_rowid='id', tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS search_entry_ai AFTER INSERT ON search_entry BEGIN "
    "INSERT INTO search_fts(rowid, title_stems, body_stems) "
    "VALUES (new.id, new.title_stems, new.body_stems); END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_ad AFTER DELETE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, body_stems) "
    "VALUES ('delete', old.id, old.title_stems, old.body_stems); END",
    "CREATE TRIGGER IF NOT EXISTS search_entry_au AFTER UPDATE ON search_entry BEGIN "
    "INSERT INTO search_fts(search_fts, rowid, title_stems, body_stems) "
    "VALUES ('delete', old.id, old.title_stems, old.body_stems); "
    "INSERT INTO search_fts(rowid, title_stems, body_stems) "
    "VALUES (new.id, new.title_stems, new.body_stems); END",
    "INSERT INTO search_fts(search_fts) VALUES ('rebuild')",
)
_POSTGRESQL = (
    "ALTER TABLE search_entry ADD COLUMN IF NOT EXISTS tsv tsvector GENERATED ALWAYS AS ("
    "setweight(to_tsvector('simple', title_stems), 'A') || "
    "setweight(to_tsvector('simple', body_stems), 'B')) STORED",
    "CREATE INDEX IF NOT EXISTS ix_search_entry_tsv ON search_entry USING GIN (tsv)",
)
SQLITE_TABLE_PREFIX = "search_fts"  # FTS5 makes search_fts and its shadow tables
POSTGRESQL_COLUMN = "tsv"
POSTGRESQL_INDEX = "ix_search_entry_tsv"


def install(connection: Connection) -> None:
    """Create the database's full-text index over `search_entry` (idempotent)."""
    statements = _POSTGRESQL if connection.dialect.name == "postgresql" else _SQLITE
    for statement in statements:
        connection.execute(text(statement))


def uninstall(connection: Connection) -> None:
    """Remove what `install` made (before `search_entry` itself is dropped)."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("DROP INDEX IF EXISTS ix_search_entry_tsv"))
        connection.execute(text("ALTER TABLE search_entry DROP COLUMN IF EXISTS tsv"))
    else:
        connection.execute(text("DROP TABLE IF EXISTS search_fts"))


def is_full_text_object(name: str, type_: str) -> bool:
    """True for what `install` made, which the models leave out (for Alembic's comparisons)."""
    if type_ == "table":
        return name.startswith(SQLITE_TABLE_PREFIX)
    return (type_, name) in (("column", POSTGRESQL_COLUMN), ("index", POSTGRESQL_INDEX))


event.listen(SearchEntry.__table__, "after_create",
             lambda _table, connection, **_kw: install(connection))
event.listen(SearchEntry.__table__, "before_drop",
             lambda _table, connection, **_kw: uninstall(connection))
