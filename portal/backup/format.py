"""The backup format's constants, and typed column values as JSON and back.

Values are written so that a restore gives the very same values: dates and times as ISO text
(datetimes with a time zone in UTC), floats exactly (non-finite ones as text), decimals as text,
binary data as base64, JSON columns as the JSON they hold.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import math
import uuid
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import types

FORMAT = "samverkan-backup"
VERSION = 2  # 2: digests per table and over the whole file; 1 had none
READABLE = (1, 2)
ABOUT = "Samverkansportalen backup: JSON lines, see docs/backup-format.md"
KEYED, PLAIN = "hmac-sha256", "sha256"


class BackupError(Exception):
    """A backup could not be made or restored; the message says why."""


def algorithm(key: bytes | None) -> str:
    """The digest a backup made with `key` (or without one) carries."""
    return KEYED if key else PLAIN


def hasher(key: bytes | None):
    """A new digest of backup lines: HMAC-SHA256 with the key, else plain SHA-256."""
    return hmac.new(key, digestmod=hashlib.sha256) if key else hashlib.sha256()


def line_bytes(line: str) -> bytes:
    """What a digest covers of one line: its text in UTF-8 with one newline."""
    return line.rstrip("\n").encode("utf-8") + b"\n"


def key_bytes(key: str | bytes | None) -> bytes | None:
    """The configured BACKUP_KEY as bytes (None or empty: no key)."""
    if not key:
        return None
    return key if isinstance(key, bytes) else key.encode("utf-8")


def kind(column_type: types.TypeEngine) -> str:
    """The backup's name for how a column's values are written."""
    checks = (
        (types.JSON, "json"),
        (types.DateTime, "datetime"),
        (types.Date, "date"),
        (types.Time, "time"),
        (types.Interval, "interval"),
        (types.Boolean, "boolean"),
        (types.Float, "float"),  # before Numeric: Float is a Numeric
        (types.Numeric, "decimal"),
        (types.Integer, "integer"),
        (types.LargeBinary, "binary"),
        (types.Uuid, "uuid"),
    )
    for cls, name in checks:
        if isinstance(column_type, cls):
            if name == "datetime" and column_type.timezone:
                return "datetime_tz"
            return name
    return "text"


def encode(value: Any, value_kind: str) -> Any:
    """A column value as JSON: exact, and the same whichever database it was read from."""
    if value is None:
        return None
    match value_kind:
        case "datetime_tz":
            # SQLite hands back naive datetimes; the portal stores them in UTC.
            aware = value if value.tzinfo else value.replace(tzinfo=UTC)
            return aware.astimezone(UTC).isoformat()
        case "datetime" | "date" | "time":
            return value.isoformat()
        case "interval":
            return value.total_seconds()
        case "float":
            number = float(value)
            return number if math.isfinite(number) else repr(number)  # 'nan', 'inf', '-inf'
        case "decimal" | "uuid":
            return str(value)
        case "binary":
            return base64.b64encode(bytes(value)).decode("ascii")
        case "boolean":
            return bool(value)
        case "integer":
            return int(value)
    return value  # text and JSON are JSON already


def decode(value: Any, value_kind: str) -> Any:
    """The Python value of a column from its JSON form in a backup."""
    if value is None:
        return None
    match value_kind:
        case "datetime_tz" | "datetime":
            return datetime.fromisoformat(value)
        case "date":
            return date.fromisoformat(value)
        case "time":
            return time.fromisoformat(value)
        case "interval":
            return timedelta(seconds=value)
        case "float":
            return float(value)
        case "decimal":
            return Decimal(value)
        case "uuid":
            return uuid.UUID(value)
        case "binary":
            return base64.b64decode(value)
    return value
