"""Recording entries in the audit trail; callers commit together with their write."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from portal.extensions import db
from portal.models import AuditEntry

if TYPE_CHECKING:
    from portal.models import User

SYSTEM_ACTOR = "system"


def actor_name(user: User | None) -> str:
    """Return how the audit trail names the acting user."""
    return user.email if user is not None else SYSTEM_ACTOR


def record(
    actor: User | None,
    action: str,
    entity_type: str | None = None,
    entity_key: str | None = None,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
    data: dict[str, Any] | None = None,
    actor_label: str | None = None,
) -> AuditEntry:
    """Add one audit entry to the current transaction and return it."""
    entry = AuditEntry(
        user_id=actor.id if actor is not None else None,
        actor=actor_label or actor_name(actor),
        action=action,
        entity_type=entity_type,
        entity_key=entity_key,
        before=before,
        after=after,
        data=data,
    )
    db.session.add(entry)
    return entry


