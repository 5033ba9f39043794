"""Reading and keeping documents: the hierarchy, what surrounds a document, admin edits.

Writes go through the register's shared steps: the entry is checked with the import's rules
(a `parent` cycle is refused there), written, and recorded in the audit trail before and after.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal.directory.services import by_key, by_keys, create, update
from portal.exchange.schema import DOCUMENT_KINDS
from portal.extensions import db
from portal.models import Area, Commission, Decision, Document, Forum, Milestone

if TYPE_CHECKING:
    from portal.models import User

Entry = dict[str, Any]
# The road map first, then plans, directives, agreements, definitions, reports, the rest.
KIND_ORDER = {kind: n for n, kind in enumerate(
    ("plan", "directive", "agreement", "definition", "report", "other"))}


@dataclass
class Node:
    """A document in the hierarchy with the documents that implement it."""

    document: Document
    children: list[Node] = field(default_factory=list)


def hierarchy() -> list[Node]:
    """Every document once, placed under its parent; roots ordered plans first, then by title."""
    documents = db.session.scalars(
        select(Document).options(selectinload(Document.owner_forum),
                                 selectinload(Document.areas))
    ).all()
    nodes = {d.id: Node(d) for d in documents}
    roots: list[Node] = []
    for d in documents:
        parent = nodes.get(d.parent_id)
        (parent.children if parent is not None else roots).append(nodes[d.id])

    def order(items: list[Node]) -> list[Node]:
        items.sort(key=lambda n: (KIND_ORDER.get(n.document.kind, 9), n.document.title.lower()))
        for n in items:
            order(n.children)
        return items

    return order(roots)


def ancestors(document: Document) -> list[Document]:
    """The chain of parents from the top down (stops at a cycle, which the import refuses)."""
    chain: list[Document] = []
    seen = {document.id}
    parent = document.parent
    while parent is not None and parent.id not in seen:
        chain.append(parent)
        seen.add(parent.id)
        parent = parent.parent
    return list(reversed(chain))


def surroundings(document: Document) -> dict[str, Any]:
    """The decisions that adopt or rest on the document, the commissions working from it,
    the milestones those decisions took, and the forums around it (by their role)."""
    decisions = db.session.scalars(
        select(Decision).where(Decision.documents.any(Document.id == document.id),
                               Decision.status == "final")
        .options(selectinload(Decision.forum)).order_by(Decision.decided_on.desc())
    ).all()
    commissions = db.session.scalars(
        select(Commission).where(Commission.directive_id == document.id)
        .options(selectinload(Commission.owner_forum), selectinload(Commission.co_owners),
                 selectinload(Commission.lead)).order_by(Commission.title)
    ).all()
    decision_ids = [d.id for d in decisions]
    milestones = db.session.scalars(
        select(Milestone).where(Milestone.decided_by.any(Decision.id.in_(decision_ids)))
        .order_by(Milestone.due_on)
    ).all() if decision_ids else []
    forums: dict[str, tuple[Forum, list[str]]] = {}

    def add(forum: Forum | None, role: str) -> None:
        if forum is None:
            return
        entry = forums.setdefault(forum.key, (forum, []))
        if role not in entry[1]:
            entry[1].append(role)

    add(document.owner_forum, "owner")
    for d in decisions:
        add(d.forum, "decided")
    for c in commissions:
        add(c.owner_forum, "commission_owner")
        for co in c.co_owners:
            add(co, "commission_owner")
    return {"decisions": decisions, "commissions": commissions, "milestones": milestones,
            "forums": sorted(forums.values(), key=lambda f: f[0].name.lower())}


def document_choices(exclude: Document | None = None) -> list[tuple[str, str]]:
    """Documents as (key, title) for a choice: those a decision rests on, or a document's
    parent (not the document itself)."""
    rows = db.session.execute(select(Document.key, Document.title).order_by(Document.title))
    return [(k, t) for k, t in rows if exclude is None or k != exclude.key]


def create_document(actor: User, entry: Entry) -> Document:
    """Add a document (admins).

    :raise PermissionDenied: unless the actor is an admin.
    :raise EntryError: naming each field the import would refuse.
    """
    return create(actor, "documents", Document, entry, _apply)


def update_document(actor: User, document: Document, entry: Entry,
                    based_on: str | None = None) -> Document:
    """Change a document (admins); placing it under itself or a descendant is refused.

    :raise Conflict: when `based_on` (see `directory.services.update`) is no longer what is
        stored: someone else saved the document after the editor opened it.
    """
    return update(actor, "documents", document, entry, _apply, based_on=based_on)


def _apply(document: Document, entry: Entry) -> None:
    document.title, document.kind = entry["title"], entry["kind"]
    document.dated_on = entry.get("date")
    document.owner_forum = by_key(Forum, entry.get("owner"))
    document.parent = by_key(Document, entry.get("parent"))
    document.areas = by_keys(Area, entry.get("areas"))
    document.summary, document.url = entry.get("summary"), entry.get("url")


__all__ = ["DOCUMENT_KINDS", "Node", "ancestors", "create_document", "document_choices",
           "hierarchy", "surroundings", "update_document"]
