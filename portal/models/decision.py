"""Decisions logged by forums: a final decision is a record and is never changed."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Column, DateTime, ForeignKey, String, Table, Text, event, select
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.account import User
from portal.models.base import KeyedMixin, key_column, utcnow
from portal.models.commission import Action
from portal.models.directory import Area, Person
from portal.models.document import Document
from portal.models.forum import Forum
from portal.models.meeting import AgendaItem, Meeting

decision_action = Table(
    "decision_action",
    db.metadata,
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True),
)

# What a decision adopts or rests on (its beslutsunderlag), e.g. the report it approves.
decision_document = Table(
    "decision_document",
    db.metadata,
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)

# The focus areas of an action a draft proposes.
proposed_action_area = Table(
    "proposed_action_area",
    db.metadata,
    Column("proposed_action_id", ForeignKey("proposed_action.id", ondelete="CASCADE"),
           primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class FinalDecisionError(RuntimeError):
    """A final decision was about to be changed or deleted; correct it with a new version."""


class Decision(KeyedMixin, db.Model):
    """A decision a forum took, linked to the actions it creates or changes.

    A draft may be edited; a final decision is corrected by a new version that
    `supersedes` it, and stays as it was.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(Text)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    decided_on: Mapped[date]
    text: Mapped[str | None] = mapped_column(Text)
    # Imported decisions come from minutes, so they are final unless a form says otherwise.
    status: Mapped[str] = mapped_column(String(16), default="final", server_default="final")
    version_no: Mapped[int] = mapped_column(default=1, server_default="1")
    # Unique: a version is corrected once; two corrections at once leave one winner.
    supersedes_id: Mapped[int | None] = mapped_column(
        ForeignKey("decision.id"), index=True, unique=True
    )
    corrected_reason: Mapped[str | None] = mapped_column(Text)
    # The meeting whose minutes hold the decision, and the agenda item it was taken on.
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="SET NULL"), index=True
    )
    agenda_item_id: Mapped[int | None] = mapped_column(
        ForeignKey("agenda_item.id", ondelete="SET NULL"), index=True
    )
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True), default=utcnow)

    forum: Mapped[Forum] = relationship()
    actions: Mapped[list[Action]] = relationship(secondary=decision_action, order_by=Action.key)
    # One way only: a back reference would make the old version dirty when it is corrected.
    supersedes: Mapped[Decision | None] = relationship(remote_side=[id])
    created_by: Mapped[User | None] = relationship()
    meeting: Mapped[Meeting | None] = relationship()
    agenda_item: Mapped[AgendaItem | None] = relationship()
    documents: Mapped[list[Document]] = relationship(
        secondary=decision_document, order_by=Document.title
    )
    # What a draft would create: kept with the draft, made actions when it becomes final.
    proposed_actions: Mapped[list[ProposedAction]] = relationship(
        back_populates="decision", cascade="all, delete-orphan", passive_deletes=True,
        order_by="ProposedAction.position",
    )


class ProposedAction(db.Model):
    """An action a draft decision proposes: not an action until the decision is final.

    It is in no action list, count, export or analysis. When the decision becomes final
    (saved as final, or its meeting's minutes approved) it becomes an action linked to the
    decision; discarding the draft discards it.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    decision_id: Mapped[int] = mapped_column(
        ForeignKey("decision.id", ondelete="CASCADE"), index=True
    )
    position: Mapped[int] = mapped_column(default=0)
    title: Mapped[str] = mapped_column(Text)
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    owner_forum_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum.id", ondelete="SET NULL"), index=True
    )
    due_on: Mapped[date | None]

    decision: Mapped[Decision] = relationship(back_populates="proposed_actions")
    owner_person: Mapped[Person | None] = relationship()
    owner_forum: Mapped[Forum | None] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=proposed_action_area, order_by=Area.name)

    def __repr__(self) -> str:
        return f"<ProposedAction decision={self.decision_id} {self.title!r}>"


def _stored_status(connection, target: Decision) -> str | None:
    """The status the database holds, whatever this session has changed or expired."""
    table = Decision.__table__
    return connection.scalar(select(table.c.status).where(table.c.id == target.id))


@event.listens_for(Decision, "before_update")
def _refuse_update_of_final(_mapper, connection, target: Decision) -> None:
    """Nothing that goes through the ORM may change a final decision."""
    if _stored_status(connection, target) != "draft":
        raise FinalDecisionError(f"decision {target.key!r} is final and cannot be changed")


@event.listens_for(Decision, "before_delete")
def _refuse_delete_of_final(_mapper, connection, target: Decision) -> None:
    """Nothing that goes through the ORM may delete a final decision."""
    if _stored_status(connection, target) != "draft":
        raise FinalDecisionError(f"decision {target.key!r} is final and cannot be deleted")
