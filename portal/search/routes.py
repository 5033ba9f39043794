"""The search page; the header's search box leads here."""

from __future__ import annotations

from flask import Blueprint

from portal.search import queries
from portal.views import render, search_term

bp = Blueprint("search", __name__)


@bp.get("/sok")
def index():
    """Find anything by its words, grouped by kind, the matching words marked."""
    term = search_term()
    groups = queries.search(term)
    return render(
        "search/index.html", "search/_results.html", q=term, groups=groups,
        total=sum(g.total for g in groups), min_length=queries.MIN_LENGTH,
        per_kind=queries.PER_KIND,
    )
