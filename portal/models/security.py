"""Security events, counted per minute, and the sign-in failure counters.

Neither is a record: both are counters that the portal updates in place and deletes after
the retention period (`flask security-events prune`), so that an anonymous client cannot
grow the database without bound. The audit trail keeps the writes.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, DateTime, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from portal.extensions import db


class SecurityEvent(db.Model):
    """How often one kind of event came from one source in one minute (UTC)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(32))
    # The client's address for a failed sign-in; the account's address for a refused request.
    source: Mapped[str] = mapped_column(String(320))
    minute: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    count: Mapped[int] = mapped_column(default=1)

    __table_args__ = (UniqueConstraint("kind", "source", "minute",
                                       name="uq_security_event_kind_source_minute"),)

    def __repr__(self) -> str:
        return f"<SecurityEvent {self.kind} {self.source} {self.minute} ×{self.count}>"


class SigninCounter(db.Model):
    """Failed sign-ins (or reset requests) counted against one account or address.

    The window starts at the first failure and lasts the configured period; `key` is
    `<kind>:<scope>:<digest or address>`. Only used when the portal has no Redis.
    """

    key: Mapped[str] = mapped_column(String(128), primary_key=True)
    window_start: Mapped[int] = mapped_column(BigInteger)  # seconds since the epoch, UTC
    count: Mapped[int] = mapped_column(default=0)

    def __repr__(self) -> str:
        return f"<SigninCounter {self.key} {self.count}>"
