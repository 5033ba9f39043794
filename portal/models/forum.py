"""Forums (collaboration structures) and their members."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ForeignKey, String, Table, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.exchange.schema import FORUM_KINDS, FORUM_LEVELS, MEMBER_ROLES  # noqa: F401
from portal.extensions import db
from portal.models.base import SHORT_TEXT, KeyedMixin, key_column
from portal.models.directory import Area, Organisation, Person

forum_area = Table(
    "forum_area",
    db.metadata,
    Column("forum_id", ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True),
)
# The organisations whose population a (usually local) forum serves; informative only.
forum_scope = Table(
    "forum_scope",
    db.metadata,
    Column("forum_id", ForeignKey("forum.id", ondelete="CASCADE"), primary_key=True),
    Column(
        "organisation_id",
        ForeignKey("organisation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)
# The organisations a member represents in the forum besides their own (on_behalf_of).
membership_principal = Table(
    "membership_principal",
    db.metadata,
    Column(
        "membership_id", ForeignKey("forum_membership.id", ondelete="CASCADE"), primary_key=True
    ),
    Column(
        "organisation_id",
        ForeignKey("organisation.id", ondelete="CASCADE"),
        primary_key=True,
        index=True,
    ),
)


class Forum(KeyedMixin, db.Model):
    """A standing group that meets and decides, with a mandate and a reporting line."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(String(SHORT_TEXT))
    kind: Mapped[str] = mapped_column(String(32))
    level: Mapped[str] = mapped_column(String(16))
    is_apex: Mapped[bool] = mapped_column(default=False)
    reports_to_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum.id", ondelete="SET NULL"), index=True
    )
    mandate: Mapped[str | None] = mapped_column(Text)
    meets: Mapped[str | None] = mapped_column(Text)
    closed_on: Mapped[date | None]

    reports_to: Mapped[Forum | None] = relationship(remote_side=[id], back_populates="reporting")
    reporting: Mapped[list[Forum]] = relationship(back_populates="reports_to")
    areas: Mapped[list[Area]] = relationship(secondary=forum_area, order_by=Area.name)
    memberships: Mapped[list[ForumMembership]] = relationship(
        back_populates="forum", cascade="all, delete-orphan"
    )
    scope: Mapped[list[Organisation]] = relationship(
        secondary=forum_scope, order_by=Organisation.name
    )

    @property
    def is_closed(self) -> bool:
        """A closed forum no longer meets; its history is kept."""
        return self.closed_on is not None


class ForumMembership(db.Model):
    """A person's seat in a forum, with a role; an ended seat is kept as history."""

    __table_args__ = (UniqueConstraint("forum_id", "person_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    forum_id: Mapped[int] = mapped_column(ForeignKey("forum.id", ondelete="CASCADE"), index=True)
    person_id: Mapped[int] = mapped_column(
        ForeignKey("person.id", ondelete="CASCADE"), index=True
    )
    role: Mapped[str] = mapped_column(String(16), default="member")
    ended_on: Mapped[date | None]

    forum: Mapped[Forum] = relationship(back_populates="memberships")
    person: Mapped[Person] = relationship(back_populates="memberships")
    on_behalf_of: Mapped[list[Organisation]] = relationship(
        secondary=membership_principal, order_by=Organisation.name
    )

    def __repr__(self) -> str:
        return f"<ForumMembership forum={self.forum_id} person={self.person_id} {self.role}>"
