"""Documents the work rests on: directives, plans, reports, shared definitions, agreements."""

from __future__ import annotations

from datetime import date

from sqlalchemy import Column, ForeignKey, String, Table, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.base import SHORT_TEXT, KeyedMixin, key_column
from portal.models.directory import Area
from portal.models.forum import Forum

DOCUMENT_KINDS = ("directive", "plan", "report", "definition", "agreement", "other")

document_area = Table(
    "document_area",
    db.metadata,
    Column("document_id", ForeignKey("document.id", ondelete="CASCADE"), primary_key=True),
    Column("area_id", ForeignKey("area.id", ondelete="CASCADE"), primary_key=True, index=True),
)


class Document(KeyedMixin, db.Model):
    """A plan, directive, report or shared definition, placed under the one it implements."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = key_column()
    title: Mapped[str] = mapped_column(String(SHORT_TEXT))
    kind: Mapped[str] = mapped_column(String(16))
    dated_on: Mapped[date | None]
    owner_forum_id: Mapped[int | None] = mapped_column(
        ForeignKey("forum.id", ondelete="SET NULL"), index=True
    )
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("document.id", ondelete="SET NULL"), index=True
    )
    summary: Mapped[str | None] = mapped_column(Text)
    url: Mapped[str | None] = mapped_column(Text)

    owner_forum: Mapped[Forum | None] = relationship()
    parent: Mapped[Document | None] = relationship(remote_side=[id], back_populates="children")
    children: Mapped[list[Document]] = relationship(
        back_populates="parent", order_by="Document.title"
    )
    areas: Mapped[list[Area]] = relationship(secondary=document_area, order_by=Area.name)
