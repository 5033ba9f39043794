"""Query helpers shared by the areas' `queries` modules."""

from __future__ import annotations


def like_pattern(term: str) -> str:
    """A case-insensitive LIKE pattern with the user's wildcards escaped (use escape="\\")."""
    escaped = term.lower().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"
