"""Commissions, their milestones, recommendations and actions."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from sqlalchemy import JSON, Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.exchange.schema import ACTION_STATUSES, COMMISSION_STATUSES  # noqa: F401
from portal.extensions import db
from portal.models.base import SHORT_TEXT, KeyedMixin, key_column
from portal.models.directory import Area, Person

if TYPE_CHECKING:
    from portal.models.decision import Decision
    from portal.models.document import Document
    from portal.models.forum import Forum

OPEN_ACTION_STATUSES = ("planned", "in_progress", "blocked")

commission_member = Table(
    "commission_member",
    db.metadata,
    Column("commission_id", ForeignKey("commission.id", ondelete="CASCADE"), primary_key=True),
    Column("person_id", ForeignKey("person.id", ondelete="CASCADE"), primary_key=True, index=True),
)
recommendation_area = Table(
    "recommendation_area",
    db.metadata,
    Column(
        "recommendation_id", ForeignKey("recommendation.id", ondelete="CASCADE"), primary_key=True
    ),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True),
)
# Other bodies that gave a commission together with its owner (the 2025 directive: HSN and RS).
commission_co_owner = Table(
    "commission_co_owner",
    db.metadata,
    Column("commission_id", ForeignKey("commission.id", ondelete="CASCADE"), primary_key=True),
    Column("forum_id", ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True, index=True),
)
# The final decisions that took a decision point (BP1 was decided by HSN and by RS).
milestone_decision = Table(
    "milestone_decision",
    db.metadata,
    Column("milestone_id", ForeignKey("milestone.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "decision_id", ForeignKey("decision.id", ondelete="CASCADE"), primary_key=True, index=True
    ),
)
action_area = Table(
    "action_area",
    db.metadata,
    Column("action_id", ForeignKey("action.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Commission(KeyedMixin, db.Model):
    """A commission (uppdrag) given by a body, led by a commission lead."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(String(SHORT_TEXT))
    owner_forum_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum.id", ondelete="SET NULL"), index=True
    )
    lead_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    directive_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )
    starts_on: Mapped[date | None]
    ends_on: Mapped[date | None]
    goals: Mapped[list[str]] = mapped_column(JSON, default=list)
    status: Mapped[str] = mapped_column(String(16), default="active")

    owner_forum: Mapped[Forum | None] = relationship()
    co_owners: Mapped[list[Forum]] = relationship(
        secondary=commission_co_owner, order_by="Forum.key"
    )
    directive: Mapped[Document | None] = relationship()
    lead: Mapped[Person | None] = relationship()
    members: Mapped[list[Person]] = relationship(
        secondary=commission_member, order_by=Person.name
    )
    milestones: Mapped[list[Milestone]] = relationship(
        back_populates="commission", order_by="Milestone.due_on"
    )
    recommendations: Mapped[list[Recommendation]] = relationship(back_populates="commission")
    actions: Mapped[list[Action]] = relationship(back_populates="commission")


class Milestone(KeyedMixin, db.Model):
    """A decision point (BP0–BP3) or checkpoint (MS1) of a commission."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    commission_id: Mapped[int] = mapped_column(
        ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    code: Mapped[str | None] = mapped_column(String(SHORT_TEXT))
    title: Mapped[str] = mapped_column(String(SHORT_TEXT))
    due_on: Mapped[date]
    done_on: Mapped[date | None]
    version: Mapped[int] = mapped_column(default=1)

    commission: Mapped[Commission] = relationship(back_populates="milestones")
    decided_by: Mapped[list[Decision]] = relationship(
        secondary=milestone_decision, order_by="Decision.decided_on"
    )

    __mapper_args__ = {"version_id_col": version}


class Recommendation(KeyedMixin, db.Model):
    """A recommendation made by a commission, realised by actions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    text: Mapped[str] = mapped_column(Text)
    commission_id: Mapped[int | None] = mapped_column(
        ForeignKey("commission.id", ondelete="SET NULL"), index=True
    )

    version: Mapped[int] = mapped_column(default=1)

    commission: Mapped[Commission | None] = relationship(back_populates="recommendations")
    areas: Mapped[list[Area]] = relationship(secondary=recommendation_area, order_by=Area.name)
    actions: Mapped[list[Action]] = relationship(back_populates="recommendation")

    __mapper_args__ = {"version_id_col": version}


class Action(KeyedMixin, db.Model):
    """An action with an owner, a deadline, a status and progress."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(Text)
    commission_id: Mapped[int | None] = mapped_column(
        ForeignKey("commission.id", ondelete="SET NULL"), index=True
    )
    recommendation_id: Mapped[int | None] = mapped_column(
        ForeignKey("recommendation.id", ondelete="SET NULL"), index=True
    )
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    owner_forum_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum.id", ondelete="SET NULL"), index=True
    )
    due_on: Mapped[date | None]
    status: Mapped[str] = mapped_column(String(16), default="planned")
    progress: Mapped[int] = mapped_column(default=0)
    version: Mapped[int] = mapped_column(default=1)

    commission: Mapped[Commission | None] = relationship(back_populates="actions")
    recommendation: Mapped[Recommendation | None] = relationship(back_populates="actions")
    owner_person: Mapped[Person | None] = relationship()
    owner_forum: Mapped[Forum | None] = relationship()
    areas: Mapped[list[Area]] = relationship(secondary=action_area, order_by=Area.name)

    __mapper_args__ = {"version_id_col": version}

    @property
    def is_open(self) -> bool:
        """True while the action is neither done nor cancelled."""
        return self.status in OPEN_ACTION_STATUSES
