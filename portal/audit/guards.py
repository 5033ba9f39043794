"""Append-only below the application: database triggers that refuse changing the records.

The ORM already refuses to change or delete an audit entry (`portal.models.audit`) and a final
decision (`portal.models.decision`). These triggers refuse the same in SQL, on PostgreSQL and on
SQLite alike, so that a forgotten `UPDATE` in a script, a bulk statement, a second application
or a race between two requests cannot change them either:

- `audit_entry`: every UPDATE and DELETE is refused. The one exception is the rewrite of
  personal data when a person is pseudonymised (`rewrite_personal_data`), which may change
  only the `before`, `after`, `data` and `entity_key` columns:
  on PostgreSQL only through the function `portal_rewrite_audit(...)`, which runs as the role
  `portal_audit_rewriter` (SECURITY DEFINER); the trigger lets an UPDATE through only when that
  role runs it. The application's role has no UPDATE privilege on the table at all and may only
  EXECUTE the function (see `grant_application_role` and docs/security.md). No setting a
  client can change opens the table.
  On SQLite the trigger asks the function `portal_audit_rewrite()`, which only the portal's
  own connections define (`enable_sqlite_guards`) and which says yes only inside the rewrite;
  any other client that tries an UPDATE fails with "no such function".
- `decision`: UPDATE and DELETE of a row whose stored status is `final` are refused; drafts
  may change and become final.
- `status_report`: a status report is a record too; UPDATE and DELETE are refused, except
  that its author's account may go (`author_id` set to NULL by the foreign key).
- `decision_action` (the actions a decision links to): on PostgreSQL, links of a final
  decision can be neither added, changed nor removed, except in the transaction that wrote the
  decision itself (it creates the links with the record). On SQLite, which cannot tell one
  transaction from another, links of a final decision cannot be changed or removed; adding one
  is refused by the ORM (a change of `Decision.actions` is an update of the decision).

TRUNCATE fires no row trigger, so tests can still empty the tables, and a restore only inserts.
Whoever owns the tables can still drop the triggers (and a superuser can do anything): they
guard against mistakes and against the application, not against the database administrator.

Migrations call `install_guards(op.get_bind())` on upgrade and `remove_guards` on downgrade;
`create_all` installs them too (`install_on_create`), so tests run with the same guards.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, inspect, text
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session

from portal.models.audit import REWRITABLE, REWRITE_FLAG, AuditEntry, AuditTrailError

# PostgreSQL roles (cluster-wide): the owner of the rewrite function, and the group role the
# application's login role is a member of. See docs/security.md.
REWRITER_ROLE = "portal_audit_rewriter"
APPLICATION_ROLE = "portal_app"
# SQLite: the per-connection switch the audit trigger asks (`rewrite_personal_data` sets it).
_SQLITE_SWITCH = "portal_audit_rewrite"

_KEPT = ", ".join(f"'{c}'" for c in sorted(REWRITABLE))

_PG_AUDIT_FUNCTION = f"""
CREATE OR REPLACE FUNCTION portal_audit_append_only() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND current_user = '{REWRITER_ROLE}'
     AND (to_jsonb(NEW) - ARRAY[{_KEPT}]) = (to_jsonb(OLD) - ARRAY[{_KEPT}]) THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit_entry is append-only: % of entry % refused', TG_OP, OLD.id
    USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
_PG_REWRITE_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_rewrite_audit(
  entry_id integer, new_before json, new_after json, new_data json, new_entity_key text
) RETURNS void
LANGUAGE sql SECURITY DEFINER SET search_path = public, pg_temp AS $$
  -- NULL keeps a column as it is: a rewrite replaces personal data, it never removes a value.
  UPDATE audit_entry SET before = coalesce(new_before, before),
    after = coalesce(new_after, after), data = coalesce(new_data, data),
    entity_key = coalesce(new_entity_key, entity_key)
  WHERE id = entry_id
$$
"""
def _pg_row_guard(name: str, checks: str, declare: str = "") -> str:
    """A PL/pgSQL trigger function that raises in `checks` or else lets the row go on."""
    return f"""
CREATE OR REPLACE FUNCTION {name}() RETURNS trigger
LANGUAGE plpgsql AS $$
{declare}BEGIN
{checks}  IF TG_OP = 'DELETE' THEN
    RETURN OLD;
  END IF;
  RETURN NEW;
END;
$$
"""


_PG_DECISION_FUNCTION = _pg_row_guard("portal_final_decision_guard", """\
  IF OLD.status = 'final' THEN
    RAISE EXCEPTION 'decision % is final: % refused (correct it with a new version)',
      OLD.key, TG_OP USING ERRCODE = 'insufficient_privilege';
  END IF;
""")
# A row's xmin is the transaction that wrote its current version: a final decision written
# (created or made final) by this very transaction may still get its links.
_PG_LINK_FUNCTION = _pg_row_guard("portal_final_decision_links_guard", """\
  IF TG_OP = 'INSERT' THEN ids := ARRAY[NEW.decision_id];
  ELSIF TG_OP = 'DELETE' THEN ids := ARRAY[OLD.decision_id];
  ELSE ids := ARRAY[OLD.decision_id, NEW.decision_id];
  END IF;
  FOR locked IN
    SELECT key FROM decision
    WHERE id = ANY(ids) AND status = 'final'
      AND xmin::text::bigint <> txid_current() % 4294967296
  LOOP
    RAISE EXCEPTION 'decision % is final: % of its actions refused', locked.key, TG_OP
      USING ERRCODE = 'insufficient_privilege';
  END LOOP;
""", declare="""\
DECLARE
  ids integer[];
  locked record;
""")
# A status report is a record too (exchange format, second round): never changed or deleted.
# The one change let through is its author's account going away (`author_id` SET NULL).
_PG_REPORT_FUNCTION = """
CREATE OR REPLACE FUNCTION portal_status_report_guard() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'UPDATE' AND NEW.author_id IS NULL
     AND (to_jsonb(NEW) - 'author_id') = (to_jsonb(OLD) - 'author_id') THEN
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'status report % is a record: % refused', OLD.key, TG_OP
    USING ERRCODE = 'insufficient_privilege';
END;
$$
"""
_PG_TRIGGERS = (
    ("audit_entry", "portal_audit_append_only", "portal_audit_append_only()",
     "UPDATE OR DELETE"),
    ("decision", "portal_final_decision_guard", "portal_final_decision_guard()",
     "UPDATE OR DELETE"),
    ("decision_action", "portal_final_decision_links_guard",
     "portal_final_decision_links_guard()", "INSERT OR UPDATE OR DELETE"),
    ("status_report", "portal_status_report_guard", "portal_status_report_guard()",
     "UPDATE OR DELETE"),
)

_FINAL = "(SELECT status FROM decision WHERE id = {}.decision_id) = 'final'"
_SAME_IDENTITY = " AND ".join(
    f"NEW.{c} IS OLD.{c}" for c in ("id", "at", "user_id", "actor", "action", "entity_type"))
_REPORT = " AND ".join(f"NEW.{c} IS OLD.{c}" for c in (
    "id", "key", "commission_id", "reported_on", "light", "comment", "created_at"))
# table: {trigger: (event, condition or None)}
_SQLITE_TRIGGERS = {
    "audit_entry": {
        "portal_audit_no_delete": ("DELETE", None),
        "portal_audit_no_update": ("UPDATE", f"NOT ({_SQLITE_SWITCH}() = 1 AND {_SAME_IDENTITY})"),
    },
    "decision": {
        "portal_final_decision_no_update": ("UPDATE", "OLD.status = 'final'"),
        "portal_final_decision_no_delete": ("DELETE", "OLD.status = 'final'"),
    },
    "status_report": {
        "portal_status_report_no_delete": ("DELETE", None),
        "portal_status_report_no_update": ("UPDATE", f"NOT (NEW.author_id IS NULL AND {_REPORT})"),
    },
    "decision_action": {
        "portal_final_decision_links_no_delete": ("DELETE", _FINAL.format("OLD")),
        "portal_final_decision_links_no_update":
            ("UPDATE", f"{_FINAL.format('OLD')} OR {_FINAL.format('NEW')}"),
    },
}
_SQLITE_MESSAGES = {
    "audit_entry": "audit_entry is append-only",
    "decision": "decision is final: correct it with a new version",
    "decision_action": "decision is final: its actions cannot change",
    "status_report": "a status report is a record: it is never changed",
}


def _dialect(connection: Connection) -> str:
    return connection.dialect.name


def install_guards(connection: Connection, *, sqlite: bool = True) -> bool:
    """Create (or replace) the guard triggers of the tables that exist; True when installed.

    `sqlite=False` leaves SQLite alone (an early migration, before its tables were rebuilt).
    """
    tables = set(inspect(connection).get_table_names())
    if _dialect(connection) == "postgresql":
        _install_postgresql(connection, tables)
        return True
    if _dialect(connection) == "sqlite" and sqlite:
        _install_sqlite(connection, tables)
        return True
    return False


def _install_postgresql(connection: Connection, tables: set[str]) -> None:
    columns = {c["name"] for c in inspect(connection).get_columns("decision")}
    connection.execute(text(_PG_AUDIT_FUNCTION))
    guarded = [_PG_TRIGGERS[0]]
    if "status" in columns:  # the decision guards need the draft/final status
        connection.execute(text(_PG_DECISION_FUNCTION))
        connection.execute(text(_PG_LINK_FUNCTION))
        guarded += [t for t in _PG_TRIGGERS[1:3] if t[0] in tables]
    if "status_report" in tables:
        connection.execute(text(_PG_REPORT_FUNCTION))
        guarded.append(_PG_TRIGGERS[3])
    for table, name, function, events in guarded:
        connection.execute(text(f'DROP TRIGGER IF EXISTS {name} ON "{table}"'))
        connection.execute(text(
            f'CREATE TRIGGER {name} BEFORE {events} ON "{table}" '
            f"FOR EACH ROW EXECUTE FUNCTION {function}"
        ))
    _install_rewrite_function(connection)


def _create_role(connection: Connection, role: str) -> None:
    """Create a role without login unless it exists (roles are shared by the cluster)."""
    connection.execute(text(f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{role}') THEN
    CREATE ROLE {role} NOLOGIN;
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;  -- another database of the cluster created it at the same moment
END;
$$"""))


def _install_rewrite_function(connection: Connection) -> None:
    """The only way to rewrite personal data in the audit trail: a function of its own role."""
    _create_role(connection, REWRITER_ROLE)
    connection.execute(text(f"GRANT SELECT, UPDATE (before, after, data, entity_key) "
                            f"ON audit_entry TO {REWRITER_ROLE}"))
    connection.execute(text(_PG_REWRITE_FUNCTION))
    signature = "portal_rewrite_audit(integer, json, json, json, text)"
    connection.execute(text(f"ALTER FUNCTION {signature} OWNER TO {REWRITER_ROLE}"))
    connection.execute(text(f"REVOKE ALL ON FUNCTION {signature} FROM PUBLIC"))
    grant_application_role(connection)


def grant_application_role(connection: Connection) -> None:
    """What the application's role may do: read and write the tables, but not the audit trail.

    The login role the portal connects as is made a member of `portal_app` by the database
    administrator (docs/security.md). It may SELECT and INSERT audit entries, never UPDATE or
    DELETE them, and rewrites personal data only by executing `portal_rewrite_audit`.
    """
    _create_role(connection, APPLICATION_ROLE)
    role = APPLICATION_ROLE
    for statement in (
        f"GRANT USAGE ON SCHEMA public TO {role}",
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO {role}",
        f"REVOKE UPDATE, DELETE, TRUNCATE ON audit_entry FROM {role}",
        f"GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO {role}",
        "GRANT EXECUTE ON FUNCTION portal_rewrite_audit(integer, json, json, json, text) "
        f"TO {role}",
        # Tables that later migrations create are the application's too.
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public "
        f"GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO {role}",
        f"ALTER DEFAULT PRIVILEGES IN SCHEMA public GRANT USAGE, SELECT ON SEQUENCES TO {role}",
    ):
        connection.execute(text(statement))


def _install_sqlite(connection: Connection, tables: set[str]) -> None:
    for table, triggers in _SQLITE_TRIGGERS.items():
        if table not in tables:
            continue
        for name, (on, condition) in triggers.items():
            when = f"WHEN {condition} " if condition else ""
            connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
            connection.exec_driver_sql(
                f"CREATE TRIGGER {name} BEFORE {on} ON {table} FOR EACH ROW {when}"
                f"BEGIN SELECT RAISE(ABORT, '{_SQLITE_MESSAGES[table]}'); END"
            )


def remove_guards(connection: Connection) -> bool:
    """Drop the guard triggers and their functions (the roles stay: the cluster shares them)."""
    if _dialect(connection) == "postgresql":
        connection.execute(text(
            "DROP FUNCTION IF EXISTS portal_rewrite_audit(integer, json, json, json, text)"))
        for table, name, function, _events in _PG_TRIGGERS:
            connection.execute(text(f'DROP TRIGGER IF EXISTS {name} ON "{table}"'))
            connection.execute(text(f"DROP FUNCTION IF EXISTS {function}"))
        return True
    if _dialect(connection) == "sqlite":
        for triggers in _SQLITE_TRIGGERS.values():
            for name in triggers:
                connection.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        return True
    return False


def _after_create(_target, connection: Connection, **_kw) -> None:
    install_guards(connection)


def install_on_create(metadata) -> None:
    """Install the guards whenever `metadata.create_all` builds the schema (tests, a new file)."""
    if not event.contains(metadata, "after_create", _after_create):
        event.listen(metadata, "after_create", _after_create)


def enable_sqlite_guards(dbapi_connection: Any, connection_record: Any) -> None:
    """Define, on one of the portal's SQLite connections, the switch the audit trigger asks."""
    switch = {"on": False}
    connection_record.info[_SQLITE_SWITCH] = switch
    dbapi_connection.create_function(_SQLITE_SWITCH, 0, lambda: 1 if switch["on"] else 0)


@contextmanager
def rewrite_personal_data(session: Session) -> Iterator[None]:
    """Let the enclosed changes rewrite personal fields of past audit entries.

    Only `portal.privacy.services.pseudonymise` uses this, inside its own transaction: the ORM
    guard sees the session flag. On PostgreSQL the changed entries are then written by the
    function `portal_rewrite_audit` (the application may not UPDATE the table itself); on
    SQLite the portal's connection switches its trigger's function on for the flush and off
    again at once.
    """
    dialect = session.get_bind().dialect.name
    session.info[REWRITE_FLAG] = True
    try:
        yield
        if dialect == "postgresql":
            _rewrite_through_function(session)
        elif dialect == "sqlite":
            switch = session.connection().connection.info.get(_SQLITE_SWITCH)
            if switch is None:
                raise RuntimeError("this SQLite connection has no audit rewrite switch")
            switch["on"] = True
            try:
                session.flush()
            finally:
                switch["on"] = False
        else:
            session.flush()
    finally:
        session.info.pop(REWRITE_FLAG, None)


def _rewrite_through_function(session: Session) -> None:
    """Write each changed audit entry with `portal_rewrite_audit`, not with an UPDATE."""
    with session.no_autoflush:
        for entry in [o for o in session.dirty if isinstance(o, AuditEntry)]:
            changed = {a.key for a in inspect(entry).attrs if a.history.has_changes()}
            if not changed:
                continue
            if not changed <= REWRITABLE:
                raise AuditTrailError(
                    f"audit entry {entry.id}: only personal fields may be rewritten")
            # None keeps a column; a rewritten value that is empty is JSON null, not None.
            values = {name: (getattr(entry, name) if name in changed else None)
                      for name in REWRITABLE}
            session.execute(
                text("SELECT portal_rewrite_audit(:id, CAST(:before AS json), "
                     "CAST(:after AS json), CAST(:data AS json), :entity_key)"),
                {"id": entry.id, "entity_key": values["entity_key"],
                 **{k: (_json(values[k]) if k not in changed or values[k] is not None
                       else "null") for k in ("before", "after", "data")}},
            )
            session.expire(entry)  # written: the ORM has nothing left to flush for it


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)
