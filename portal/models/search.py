"""The full-text search index: one row per thing a person can search for."""

from __future__ import annotations

from sqlalchemy import Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SearchEntry(db.Model):
    """What the search finds for one entity: its words, and their Swedish stems.

    Derived data, written in the same transaction as the entity (portal.search.index). The
    stems are indexed by the database's own full-text search: SQLite's FTS5 table
    `search_fts` and PostgreSQL's `tsv` column with a GIN index, both made by
    `portal.search.index.install` and left out of the models on purpose.
    """

    __table_args__ = (UniqueConstraint("kind", "ref_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16), index=True)
    ref_id: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(Text, default="")
    body: Mapped[str] = mapped_column(Text, default="")
    title_stems: Mapped[str] = mapped_column(Text, default="")
    body_stems: Mapped[str] = mapped_column(Text, default="")
    # Drafts and corrected versions of decisions are not searched.
    is_hidden: Mapped[bool] = mapped_column(default=False)

    def __repr__(self) -> str:
        return f"<SearchEntry {self.kind} {self.ref_id} {self.title!r}>"
