"""Lists in pages: a page number past the end shows the last page."""

from __future__ import annotations


def last_page_if_past(page: int, total: int, per_page: int) -> int:
    """The page to show: the one asked for, or the last one when it is past the end."""
    return max(1, min(page, -(-total // per_page)))
