"""Named snapshots of the whole collaboration structure, to compare it over time."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.account import User
from portal.models.base import SHORT_TEXT, utcnow


class StructureSnapshot(db.Model):
    """The map (a ``samverkan/1`` document) and its findings as they were when saved.

    Both are stored as JSON exactly as exported, dates as ``YYYY-MM-DD`` text, so that a
    snapshot stays readable whatever later happens to the tables it was taken from.
    """

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(SHORT_TEXT))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow,
                                                 index=True)
    created_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    document: Mapped[dict] = mapped_column(JSON)
    findings: Mapped[dict] = mapped_column(JSON)
    summary: Mapped[dict] = mapped_column(JSON)

    created_by: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<StructureSnapshot {self.id} {self.name!r}>"
