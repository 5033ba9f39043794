"""Column helpers shared by the models."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

KEY_LENGTH = 64
SHORT_TEXT = 500


def utcnow() -> datetime:
    """Return the current time as an aware UTC datetime."""
    return datetime.now(UTC)


def key_column() -> Mapped[str]:
    """The exchange-format key of an entity: unique within its table."""
    return mapped_column(String(KEY_LENGTH), unique=True, index=True)


class KeyedMixin:
    """An entity addressed by its exchange-format key."""

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {getattr(self, 'key', None)!r}>"
