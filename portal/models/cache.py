"""Results of the analysis kept in the database, shared by every process of the portal."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import DateTime, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db
from portal.models.base import utcnow


class AnalysisResult(db.Model):
    """One computed result (a findings document) for one state of the database.

    `state` is the state token of the findings services (the newest audit entry that changed
    the map), `key` a digest of what else the result depends on (kind, as-of date, language,
    thresholds). A row is never updated: a new state gives new rows, and older ones are
    removed when a newer one is stored. Derived data: deleting every row loses nothing.
    """

    __tablename__ = "analysis_result"
    __table_args__ = (UniqueConstraint("state", "key", name="uq_analysis_result_state_key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    state: Mapped[int] = mapped_column(Integer)  # leads the unique index
    key: Mapped[str] = mapped_column(String(64))
    payload: Mapped[str] = mapped_column(Text)  # JSON text, read back as it was computed
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    def __repr__(self) -> str:
        return f"<AnalysisResult state={self.state} {self.key[:8]}>"
