"""Finding anything by its words: the databases' full-text search over Swedish stems.

A search term's words are stemmed like the index (portal.search.index) and each stem is
matched as a prefix, all of them required: "beslutet om" finds "Beslut om ...", and "besl"
finds it while the user is still typing. Results come grouped by kind, the kind with the best
hit first, each group ranked (bm25 on SQLite, ts_rank on PostgreSQL; titles weigh more).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from flask import current_app
from markupsafe import Markup, escape
from sqlalchemy import bindparam, select, text
from sqlalchemy.orm import joinedload

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
# (each hit's one parent is joined in the same statement: one statement per kind found)
KINDS: dict[str, tuple[Any, tuple, str]] = {
    "forum": (Forum, (), "directory.forum"),
    "person": (Person, (joinedload(Person.organisation),), "directory.person"),
    "organisation": (Organisation, (), "directory.organisation"),
    "area": (Area, (), "directory.area"),
    "indicator": (Indicator, (), "indicators.detail"),
    "commission": (Commission, (), "commissions.detail"),
    "action": (Action, (joinedload(Action.commission),), "commissions.action"),
    "decision": (Decision, (joinedload(Decision.forum),), "decisions.detail"),
    "meeting": (Meeting, (joinedload(Meeting.forum),), "meetings.detail"),
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


def _matches(value: str, stems: list[str]):
    """The words of the text whose stem starts with one of the stems, in order.

    A stem is the start of its word in lower case (the Swedish stemmer only cuts endings), so
    only the words that start with a stem can match: those are found by one pattern and then
    stemmed, rather than every word of the text.
    """
    starts = re.compile(r"(?<![^\W_])(?:" + "|".join(map(re.escape, stems)) + r")[^\W_]*",
                        re.IGNORECASE)
    for match in starts.finditer(value):
        if any(stem(match.group()).startswith(s) for s in stems):
            yield match


def mark(value: str | None, stems: list[str]) -> Markup:
    """The text with every word whose stem starts with one of the stems in <mark>."""
    value = value or ""
    out, last = [], 0
    for match in _matches(value, stems):
        out += [escape(value[last:match.start()]), Markup("<mark>"),
                escape(match.group()), Markup("</mark>")]
        last = match.end()
    out.append(escape(value[last:]))
    return Markup("").join(out)


def snippet(value: str | None, stems: list[str]) -> Markup | None:
    """A short piece of a longer text around its first match, marked; None without a match."""
    for match in _matches(value or "", stems):
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


@lru_cache(maxsize=len(KINDS))
def _by_ids(kind: str):
    """The statement that loads hits of a kind by their ids (built once: building an IN of
    literal values and its cache key cost more than running it)."""
    model, options, _page = KINDS[kind]
    return select(model).where(model.id.in_(bindparam("ids", expanding=True))).options(*options)


@dataclass(frozen=True)
class Found:
    """What matched of one kind: the best few ids, best first, and how many match in all."""

    kind: str
    ids: tuple[int, ...]
    total: int


def ranked(term: str) -> tuple[list[str], list[Found]]:
    """The term's stems and what matches them, per kind, the kind with the best hit first."""
    stems = query_stems(term)
    if len(term) < MIN_LENGTH or not stems:
        return stems, []
    dialect = db.session.get_bind().dialect.name
    sql = _BEST.format(matched=_MATCHED_POSTGRESQL if dialect == "postgresql"
                       else _MATCHED_SQLITE)
    rows = db.session.execute(text(sql), {"query": _query(stems, dialect),
                                          "per_kind": PER_KIND}).all()
    by_kind: dict[str, list] = {}
    for row in rows:
        by_kind.setdefault(row.kind, []).append(row)
    found = []
    for kind, hits in by_kind.items():
        best = sorted(hits, key=lambda h: (h.rank, h.ref_id))
        found.append((best[0].rank, kind, Found(kind, tuple(h.ref_id for h in best),
                                                hits[0].total)))
    return stems, [f for _rank, _kind, f in sorted(found, key=lambda x: (x[0], x[1]))]


def hits(found: Found, stems: list[str]) -> list[Hit]:
    """The things found of one kind, in their order, with the matching words marked."""
    objects = {o.id: o for o in db.session.scalars(_by_ids(found.kind), {"ids": list(found.ids)})}
    return [Hit(obj, _endpoint(found.kind), mark(_title(found.kind, obj), stems),
                snippet(_body(found.kind, obj), stems))
            for obj in (objects.get(i) for i in found.ids) if obj is not None]


def search(term: str) -> list[Group]:
    """Everything whose words match the term, grouped by kind, best group first."""
    stems, found = ranked(term)
    return [Group(f.kind, hits(f, stems), f.total) for f in found]
