"""Security events: failed sign-ins and refused requests, counted per kind, source and minute.

The audit trail keeps every write for good; these events would let an anonymous client grow
it without bound, so they are counted instead: one row per (kind, source, minute), its count
raised in place by one atomic upsert, and rows older than the retention period deleted
(`flask security-events prune`, SECURITY_EVENT_RETENTION_DAYS).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import delete, func, select
from sqlalchemy.dialects.postgresql import insert as postgresql_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from portal.extensions import db
from portal.models import SecurityEvent, SigninCounter
from portal.models.base import utcnow

KINDS = ("login_failed", "access_denied")
_SOURCE_LENGTH = 320


def upsert(table):
    """The INSERT … ON CONFLICT construct of the session's database (SQLite or PostgreSQL)."""
    dialect = db.session.get_bind().dialect.name
    return (postgresql_insert if dialect == "postgresql" else sqlite_insert)(table)


def count_event(kind: str, source: str | None, at: datetime | None = None) -> int:
    """Count one event of this kind from this source in its minute; commit; the new count.

    It commits at once, so it is for callers with nothing else pending (a refusal writes
    nothing else).
    """
    minute = (at or utcnow()).replace(second=0, microsecond=0)
    table = SecurityEvent.__table__
    stmt = upsert(table).values(kind=kind, source=(source or "?")[:_SOURCE_LENGTH],
                                minute=minute, count=1)
    stmt = stmt.on_conflict_do_update(
        index_elements=[table.c.kind, table.c.source, table.c.minute],
        set_={"count": table.c.count + 1},
    ).returning(table.c.count)
    count = db.session.execute(stmt).scalar_one()
    db.session.commit()
    return count


def recent_events(since: datetime, source: str | None = None, limit: int = 50) -> list:
    """Events since a moment, per kind and source: (kind, source, total, first, last)."""
    stmt = (
        select(SecurityEvent.kind, SecurityEvent.source, func.sum(SecurityEvent.count),
               func.min(SecurityEvent.minute), func.max(SecurityEvent.minute))
        .where(SecurityEvent.minute >= since)
        .group_by(SecurityEvent.kind, SecurityEvent.source)
        .order_by(func.max(SecurityEvent.minute).desc(), SecurityEvent.kind)
        .limit(limit)
    )
    if source is not None:
        stmt = stmt.where(SecurityEvent.source == source)
    return db.session.execute(stmt).all()


def prune(days: int, counter_age: timedelta = timedelta(days=1),
          now: datetime | None = None) -> tuple[int, int]:
    """Delete events older than `days` days, and sign-in counters whose window started more
    than `counter_age` ago (longer than any limit's window: their count no longer matters).

    Returns how many events and counters were deleted.
    """
    now = now or utcnow()
    events = db.session.execute(
        delete(SecurityEvent).where(SecurityEvent.minute < now - timedelta(days=days))
    ).rowcount
    counters = db.session.execute(
        delete(SigninCounter).where(
            SigninCounter.window_start < int((now - counter_age).timestamp()))
    ).rowcount
    db.session.commit()
    return events, counters


def count_refusal(actor) -> None:
    """Count a refused request of a signed-in account (source: the account's address)."""
    count_event("access_denied", getattr(actor, "email", None))
