"""Finding entities by their names and titles, grouped by kind."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from portal.directory.queries import like_pattern
from portal.extensions import db
from portal.models import Action, Commission, Decision, Forum, Organisation, Person

PER_KIND = 10
MIN_LENGTH = 2


@dataclass(frozen=True)
class Group:
    """The matches of one kind: the first few and how many there are."""

    kind: str
    items: list
    total: int


def _matching(*columns):
    """A filter: the text of any of the columns contains the pattern."""

    def where(pattern: str):
        return or_(*(func.lower(func.coalesce(c, "")).like(pattern, escape="\\")
                     for c in columns))
    return where


_KINDS = (
    ("forums", Forum, _matching(Forum.name, Forum.key), Forum.name,
     (selectinload(Forum.reports_to),)),
    ("people", Person, _matching(Person.name, Person.title), Person.name,
     (selectinload(Person.organisation),)),
    ("organisations", Organisation, _matching(Organisation.name, Organisation.key),
     Organisation.name, ()),
    ("commissions", Commission, _matching(Commission.title, Commission.key),
     Commission.title, ()),
    ("actions", Action, _matching(Action.title, Action.key), Action.title,
     (selectinload(Action.owner_person), selectinload(Action.owner_forum))),
    ("decisions", Decision, _matching(Decision.title, Decision.text), Decision.title,
     (selectinload(Decision.forum),)),
)


def search(term: str) -> list[Group]:
    """Every kind with matches for the term (case-insensitive), in a fixed order."""
    if len(term) < MIN_LENGTH:
        return []
    pattern = like_pattern(term)
    groups = []
    for kind, model, where, order, options in _KINDS:
        stmt = select(model).where(where(pattern))
        if model is Decision:  # final records, each in its latest version
            newer = select(Decision.supersedes_id).where(Decision.supersedes_id.is_not(None))
            stmt = stmt.where(Decision.status == "final", Decision.id.not_in(newer))
        total = db.session.scalar(select(func.count()).select_from(stmt.subquery()))
        if total:
            items = db.session.scalars(stmt.options(*options).order_by(order).limit(PER_KIND))
            groups.append(Group(kind, list(items), total))
    return groups
