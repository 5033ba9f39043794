"""Append-only below the application: database triggers that refuse changing the records.

The ORM already refuses to change or delete an audit entry (`portal.models.audit`) and a final
decision (`portal.models.decision`). On PostgreSQL these triggers refuse the same at the SQL
level, so a forgotten `UPDATE` in a script, a bulk statement or a second application cannot
change them either:

- `audit_entry`: every UPDATE and DELETE is refused, except the controlled rewrite of personal
  data when a person is pseudonymised (see `rewrite_personal_data`), which may change only the
  `before`, `after`, `data` and `entity_key` columns, and only while the transaction has set
  `portal.audit_rewrite` to `on`.
- `decision` (when it has a `status` column): UPDATE and DELETE of a row whose stored status is
  `final` are refused; drafts may change and become final.

TRUNCATE fires no row trigger, so tests can still empty the tables, and a restore only inserts.
Whoever owns the tables can still drop the triggers: they guard against mistakes and against
the application, not against the database administrator, whose actions the database logs.

The lead's migration calls `install_guards(op.get_bind())` on upgrade and `remove_guards` on
downgrade; both do nothing on SQLite, where the ORM guards are what there is.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from portal.models.audit import REWRITABLE, REWRITE_FLAG

SETTING = "portal.audit_rewrite"

_AUDIT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION portal_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND coalesce(current_setting('{SETTING}', true), '') = 'on'
     AND (to_jsonb(NEW) - ARRAY[{", ".join(f"'{c}'" for c in sorted(REWRITABLE))}])
       = (to_jsonb(OLD) - ARRAY[{", ".join(f"'{c}'" for c in sorted(REWRITABLE))}]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_entry is append-only: % of entry % refused', TG_OP, OLD.id
    USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
_DECISION_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_final_decision_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF OLD.status = 'final' THEN
    RAISE EXCEPTION 'decision % is final: % refused (correct it with a new version)',
      OLD.key, TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$
"""
_TRIGGERS = (
    ("audit_entry", "portal_audit_append_only", "portal_audit_append_only()"),
    ("decision", "portal_final_decision_guard", "portal_final_decision_guard()"),
)


def _is_postgresql(connection: Connection) -> bool:
    return connection.dialect.name == "postgresql"


def install_guards(connection: Connection) -> bool:
    """Create (or replace) the guard triggers; True when installed, False on other databases."""
    if not _is_postgresql(connection):
        return False
    columns = {c["name"] for c in inspect(connection).get_columns("decision")}
    connection.execute(text(_AUDIT_FUNCTION))
    guarded = [_TRIGGERS[0]]
    if "status" in columns:  # the decision guard needs the draft/final status
        connection.execute(text(_DECISION_FUNCTION))
        guarded.append(_TRIGGERS[1])
    for table, name, function in guarded:
        connection.execute(text(f'DROP TRIGGER IF EXISTS {name} ON "{table}"'))
        connection.execute(text(
            f'CREATE TRIGGER {name} BEFORE UPDATE OR DELETE ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}"
        ))
    return True


def remove_guards(connection: Connection) -> bool:
    """Drop the guard triggers and their functions; True when on PostgreSQL."""
    if not _is_postgresql(connection):
        return False
    for table, name, function in _TRIGGERS:
        connection.execute(text(f'DROP TRIGGER IF EXISTS {name} ON "{table}"'))
        connection.execute(text(f"DROP FUNCTION IF EXISTS {function}"))
    return True


@contextmanager
def rewrite_personal_data(session: Session) -> Iterator[None]:
    """Let the enclosed flushes rewrite personal fields of past audit entries.

    Only `portal.privacy.services.pseudonymise` uses this, inside its own transaction: the ORM
    guard sees the session flag, the SQL trigger sees a setting local to the transaction, and
    both are switched off again before the transaction goes on.
    """
    postgresql = session.get_bind().dialect.name == "postgresql"
    session.info[REWRITE_FLAG] = True
    if postgresql:
        session.execute(text("SELECT set_config(:name, 'on', true)"), {"name": SETTING})
    try:
        yield
        session.flush()
    finally:
        session.info.pop(REWRITE_FLAG, None)
    if postgresql:  # after an error the caller rolls back, which ends the setting too
        session.execute(text("SELECT set_config(:name, 'off', true)"), {"name": SETTING})
