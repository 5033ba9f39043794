"""The audit trail: one append-only row per write, sign-in or denied access."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, DateTime, ForeignKey, String, event, inspect
from sqlalchemy.orm import Mapped, Session, mapped_column, object_session

from portal.extensions import db
from portal.models.base import utcnow


class AuditEntry(db.Model):
    """Who did what, when, to which entity, with the values before and after."""

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow, index=True)
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user.id", ondelete="SET NULL"), index=True
    )
    actor: Mapped[str] = mapped_column(String(320))
    action: Mapped[str] = mapped_column(String(32), index=True)
    entity_type: Mapped[str | None] = mapped_column(String(32), index=True)
    entity_key: Mapped[str | None] = mapped_column(String(64), index=True)
    before: Mapped[dict | None] = mapped_column(JSON)
    after: Mapped[dict | None] = mapped_column(JSON)
    data: Mapped[dict | None] = mapped_column(JSON)

    def __repr__(self) -> str:
        return f"<AuditEntry {self.action} {self.entity_type}:{self.entity_key} by {self.actor}>"


class AuditTrailError(RuntimeError):
    """Something tried to change or delete an entry of the append-only audit trail."""


# Set in `Session.info` by `portal.audit.guards.rewrite_personal_data` only: the one operation
# that may rewrite fields of past entries (personal data of a pseudonymised person).
REWRITE_FLAG = "portal.audit_rewrite"
REWRITABLE = frozenset({"before", "after", "data", "entity_key"})


@event.listens_for(AuditEntry, "before_update")
def _refuse_update(_mapper, _connection, target: AuditEntry) -> None:
    """The audit trail is append-only; only the controlled rewrite may touch personal fields."""
    session = object_session(target)
    changed = {a.key for a in inspect(target).attrs if a.history.has_changes()}
    if session is not None and session.info.get(REWRITE_FLAG) and changed <= REWRITABLE:
        return
    raise AuditTrailError(f"audit entry {target.id} is append-only and cannot be changed")


@event.listens_for(AuditEntry, "before_delete")
def _refuse_delete(_mapper, _connection, target: AuditEntry) -> None:
    """No entry of the audit trail is ever deleted."""
    raise AuditTrailError(f"audit entry {target.id} is append-only and cannot be deleted")


@event.listens_for(Session, "do_orm_execute")
def _refuse_bulk_writes(state) -> None:
    """Bulk `update(AuditEntry)` / `delete(AuditEntry)` through a session are refused too."""
    if not (state.is_update or state.is_delete):
        return
    if not any(m.class_ is AuditEntry for m in state.all_mappers):
        return
    if state.is_update and state.session.info.get(REWRITE_FLAG):
        return
    raise AuditTrailError("the audit trail is append-only: bulk update or delete refused")
