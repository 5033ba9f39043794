"""Organisations, people and focus areas."""

from __future__ import annotations

from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.exchange.schema import ORGANISATION_KINDS  # noqa: F401 - one list of kinds
from portal.extensions import db
from portal.models.base import SHORT_TEXT, KeyedMixin, key_column

if TYPE_CHECKING:
    from portal.models.forum import ForumMembership



class Organisation(KeyedMixin, db.Model):
    """A region, municipality, unit, provider, union or user organisation."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(String(SHORT_TEXT))
    kind: Mapped[str] = mapped_column(String(32))
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("organisation.id", ondelete="SET NULL"), index=True
    )
    is_principal: Mapped[bool] = mapped_column(default=False)

    parent: Mapped[Organisation | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Organisation]] = relationship(back_populates="parent")
    people: Mapped[list[Person]] = relationship(back_populates="organisation")


class Person(KeyedMixin, db.Model):
    """An official who sits in forums, leads commissions or owns actions."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(String(SHORT_TEXT))
    organisation_id: Mapped[int] = mapped_column(ForeignKey("organisation.id"), index=True)
    title: Mapped[str | None] = mapped_column(Text)
    email: Mapped[str | None] = mapped_column(Text)

    organisation: Mapped[Organisation] = relationship(back_populates="people")
    memberships: Mapped[list[ForumMembership]] = relationship(back_populates="person")


class Area(KeyedMixin, db.Model):
    """A focus area, such as the eight areas of the national ordinance."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    name: Mapped[str] = mapped_column(String(SHORT_TEXT))
    description: Mapped[str | None] = mapped_column(Text)
