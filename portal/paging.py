"""Lists in pages: a page number past the end shows the last page.

Every list that pages goes through here: `page_of` for a query, `last_page_if_past` for a
list already in memory.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import Select, func, select

from portal.extensions import db


def last_page_if_past(page: int, total: int, per_page: int) -> int:
    """The page to show: the one asked for, or the last one when it is past the end."""
    return max(1, min(page, -(-total // per_page)))


def page_of(stmt: Select, page: int, per_page: int, *,
            scalars: bool = False) -> tuple[list[Any], int, int]:
    """One page of the statement's rows, how many rows there are in all, and the page shown."""
    total = db.session.scalar(select(func.count()).select_from(stmt.order_by(None).subquery()))
    page = last_page_if_past(page, total, per_page)
    result = db.session.execute(stmt.limit(per_page).offset((page - 1) * per_page))
    return (result.scalars() if scalars else result).all(), total, page


def slice_of(items: list[Any], page: int, per_page: int) -> tuple[list[Any], int]:
    """One page of a list in memory, and the page shown."""
    page = last_page_if_past(page, len(items), per_page)
    return items[(page - 1) * per_page: page * per_page], page
