"""Decisions logged by forums."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ForeignKey, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import KeyedMixin, key_column
from portal.models.commission import Action
from portal.models.forum import Forum

decision_action = Table(
    "decision_action",
    db.metadata,
    Column("decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True),
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Decision(KeyedMixin, db.Model):
    """A decision a forum took, linked to the actions it creates or changes."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(Text)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id"), index=True)
    decided_on: Mapped[date]
    text: Mapped[str | None] = mapped_column(Text)

    forum: Mapped[Forum] = relationship()
    actions: Mapped[list[Action]] = relationship(secondary=decision_action, order_by=Action.key)
