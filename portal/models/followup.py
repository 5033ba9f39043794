"""Following a commission up: its status reports and its risk register."""

from __future__ import annotations

import secrets
from datetime import date, datetime

from sqlalchemy import DateTime, ForeignKey, String, Text, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from portal.extensions import db
from portal.models.account import User
from portal.models.base import KEY_LENGTH, SHORT_TEXT, utcnow
from portal.models.commission import Commission
from portal.models.directory import Person

STATUS_LIGHTS = ("on_track", "at_risk", "off_track")
RISK_STATUSES = ("open", "mitigated", "closed")
RISK_SCALE = range(1, 6)


def _new_key(prefix: str):
    """A default exchange-format key for an entry made in the portal (the format needs one)."""
    return lambda: f"{prefix}-{secrets.token_hex(6)}"


class StatusReport(db.Model):
    """A dated traffic-light report on a commission; append-only, never edited."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), unique=True, index=True, default=_new_key("sr")
    )
    commission_id: Mapped[int] = mapped_column(
        ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    reported_on: Mapped[date]
    light: Mapped[str] = mapped_column(String(16))
    comment: Mapped[str | None] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    commission: Mapped[Commission] = relationship()
    author: Mapped[User | None] = relationship()

    def __repr__(self) -> str:
        return f"<StatusReport {self.commission_id} {self.reported_on} {self.light}>"


class RecordChangeError(RuntimeError):
    """A status report was about to be changed or deleted; it is a record."""


@event.listens_for(StatusReport, "before_update")
def _refuse_update_of_report(_mapper, _connection, target: StatusReport) -> None:
    """Nothing that goes through the ORM changes a status report."""
    raise RecordChangeError(f"status report {target.key!r} is a record and cannot be changed")


@event.listens_for(StatusReport, "before_delete")
def _refuse_delete_of_report(_mapper, _connection, target: StatusReport) -> None:
    """Nothing that goes through the ORM deletes a status report."""
    raise RecordChangeError(f"status report {target.key!r} is a record and cannot be deleted")


class Risk(db.Model):
    """A risk to a commission, scored by likelihood and consequence (1–5 each)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(
        String(KEY_LENGTH), unique=True, index=True, default=_new_key("risk")
    )
    commission_id: Mapped[int] = mapped_column(
        ForeignKey("commission.id", ondelete="CASCADE"), index=True
    )
    title: Mapped[str] = mapped_column(String(SHORT_TEXT))
    likelihood: Mapped[int]
    consequence: Mapped[int]
    owner_person_id: Mapped[int | None] = mapped_column(
        ForeignKey("person.id", ondelete="SET NULL"), index=True
    )
    mitigation: Mapped[str | None] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default="open")
    version: Mapped[int] = mapped_column(default=1)

    commission: Mapped[Commission] = relationship()
    owner_person: Mapped[Person | None] = relationship()

    __mapper_args__ = {"version_id_col": version}

    @property
    def score(self) -> int:
        """Likelihood times consequence, 1–25."""
        return self.likelihood * self.consequence

    @property
    def level(self) -> str:
        """The score in words: low (1–4), medium (5–9) or high (10–25)."""
        if self.score >= 10:
            return "high"
        return "medium" if self.score >= 5 else "low"

    def __repr__(self) -> str:
        return f"<Risk {self.id} {self.title!r} {self.status}>"
