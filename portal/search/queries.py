"""Finding anything by its words: the databases' full-text search over Swedish stems.

A search term's words are stemmed like the index (portal.search.index) and each stem is
matched as a prefix, all of them required: "beslutet om" finds "Beslut om ...", and "besl"
finds it while the user is still typing. Results come grouped by kind, the kind with the best
hit first, each group ranked (bm25 on SQLite, ts_rank on PostgreSQL; titles weigh more).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import select, text
from sqlalchemy.orm import selectinload

from portal.extensions import db
from portal.models import (
    Action,
    Area,
    Commission,
    Decision,
    Document,
    Forum,
    Indicator,
    Meeting,
    Organisation,
    Person,
)
from portal.search.index import WORD, stem

PER_KIND = 10
MIN_LENGTH = 2
MAX_WORDS = 8
SNIPPET = 80  # characters either side of the first match in the other words

# kind -> (model, eager loads, endpoint of its page)
KINDS: dict[str, tuple[Any, tuple, str]] = {
    "forum": (Forum, (), "directory.forum"),
    "person": (Person, (selectinload(Person.organisation),), "directory.person"),
    "organisation": (Organisation, (), "directory.organisation"),
    "area": (Area, (), "directory.area"),
    "indicator": (Indicator, (), "indicators.detail"),
    "commission": (Commission, (), "commissions.detail"),
    "action": (Action, (selectinload(Action.commission),), "commissions.action"),
    "decision": (Decision, (selectinload(Decision.forum),), "decisions.detail"),
    "meeting": (Meeting, (selectinload(Meeting.forum),), "meetings.detail"),
    "document": (Document, (), "documents.detail"),
}

# The matches with their rank (lower is better), then the best PER_KIND of each kind.
_MATCHED_SQLITE = """
  SELECT e.kind, e.ref_id, bm25(search_fts, 10.0, 1.0) AS rank
  FROM search_fts JOIN search_entry e ON e.id = search_fts.rowid
  WHERE search_fts MATCH :query AND NOT e.is_hidden
"""
_MATCHED_POSTGRESQL = """
  SELECT e.kind, e.ref_id, -ts_rank(e.tsv, q.query) AS rank
  FROM search_entry e, to_tsquery('simple', :query) AS q(query)
  WHERE e.tsv @@ q.query AND NOT e.is_hidden
"""
_BEST = """
WITH matched AS MATERIALIZED ({matched})
SELECT kind, ref_id, rank, total FROM (
  SELECT kind, ref_id, rank, count(*) OVER (PARTITION BY kind) AS total,
         row_number() OVER (PARTITION BY kind ORDER BY rank, ref_id) AS n
  FROM matched
) AS ranked WHERE n <= :per_kind
"""


@dataclass
class Hit:
    """One thing found: the object, its page's endpoint, and its words with matches marked."""

    obj: Any
    endpoint: str | None
    title: Markup
    snippet: Markup | None


@dataclass(frozen=True)
class Group:
    """The hits of one kind: the best few, and how many there are."""

    kind: str
    items: list[Hit]
    total: int


def query_stems(term: str) -> list[str]:
    """The distinct stems of the term's words (at most MAX_WORDS)."""
    return list(dict.fromkeys(stem(w) for w in WORD.findall(term)))[:MAX_WORDS]


def _query(stems: list[str], dialect: str) -> str:
    """The full-text query: every stem required, each as a prefix."""
    if dialect == "postgresql":
        return " & ".join(f"{s}:*" for s in stems)
    return " ".join(f'"{s}"*' for s in stems)


def mark(value: str | None, stems: list[str]) -> Markup:
    """The text with every word whose stem starts with one of the stems in <mark>."""
    value = value or ""
    out, last = [], 0
    for match in WORD.finditer(value):
        if any(stem(match.group()).startswith(s) for s in stems):
            out += [escape(value[last:match.start()]), Markup("<mark>"),
                    escape(match.group()), Markup("</mark>")]
            last = match.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)


def snippet(value: str | None, stems: list[str]) -> Markup | None:
    """A short piece of a longer text around its first match, marked; None without a match."""
    for match in WORD.finditer(value or ""):
        if any(stem(match.group()).startswith(s) for s in stems):
            start, end = max(0, match.start() - SNIPPET), match.end() + SNIPPET
            piece = value[start:end]
            return Markup("").join([Markup("… ") if start else Markup(""), mark(piece, stems),
                                    Markup(" …") if end < len(value) else Markup("")])
    return None


def _title(kind: str, obj: Any) -> str:
    if kind == "meeting":
        return obj.title or obj.forum.name
    return getattr(obj, "name", None) or getattr(obj, "title", "")


# The longer text of a kind, from which a snippet around the match is shown.
LONG_TEXT = {"forum": "mandate", "decision": "text", "document": "summary",
             "area": "description", "indicator": "definition"}


def _body(kind: str, obj: Any) -> str | None:
    return getattr(obj, LONG_TEXT[kind], None) if kind in LONG_TEXT else None


def _endpoint(kind: str) -> str | None:
    endpoint = KINDS[kind][2]
    return endpoint if endpoint in current_app.view_functions else None


def search(term: str) -> list[Group]:
    """Everything whose words match the term, grouped by kind, best group first."""
    stems = query_stems(term)
    if len(term) < MIN_LENGTH or not stems:
        return []
    dialect = db.session.get_bind().dialect.name
    sql = _BEST.format(matched=_MATCHED_POSTGRESQL if dialect == "postgresql"
                       else _MATCHED_SQLITE)
    rows = db.session.execute(text(sql), {"query": _query(stems, dialect),
                                          "per_kind": PER_KIND}).all()
    by_kind: dict[str, list] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    groups = []
    for kind, hits in by_kind.items():
        model, options, _page = KINDS[kind]
        found = {o.id: o for o in db.session.scalars(
            select(model).where(model.id.in_([h.ref_id for h in hits])).options(*options))}
        ranked = sorted(hits, key=lambda h: (h.rank, h.ref_id))
        items = [Hit(obj, _endpoint(kind), mark(_title(kind, obj), stems),
                     snippet(_body(kind, obj), stems))
                 for obj in (found.get(h.ref_id) for h in ranked) if obj is not None]
        groups.append((ranked[0].rank, kind, Group(kind, items, hits[0].total)))
    return [g for _rank, _kind, g in sorted(groups, key=lambda x: (x[0], x[1]))]

