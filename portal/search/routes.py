"""The search page; the header's search box leads here."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Blueprint, render_template
from markupsafe import Markup

from portal.extensions import derived
from portal.search import queries
from portal.views import render, search_term

bp = Blueprint("search", __name__)


@dataclass(frozen=True)
class Shown:
    """One kind's hits as the page shows them: rendered, how many, of how many."""

    kind: str
    hits: Markup
    shown: int
    total: int


@bp.get("/sok")
def index():
    """Find anything by its words, grouped by kind, the matching words marked.

    The full-text search runs for every request. The hits it found of each kind are the same
    for everyone, so their list is rendered once per version of the map, language, kind,
    stems and the ids found (values the search checked against the map; portal.derived).
    """
    term = search_term()
    stems, found = queries.ranked(term)
    groups = [Shown(f.kind, derived.html(
        "search-hits", f.kind, tuple(stems), f.ids, render=lambda f=f: render_template(
            "search/_hits.html", kind=f.kind, items=queries.hits(f, stems))),
        len(f.ids), f.total) for f in found]
    return render(
        "search/index.html", "search/_results.html", q=term, groups=groups,
        total=sum(g.total for g in groups), min_length=queries.MIN_LENGTH,
        per_kind=queries.PER_KIND,
    )
