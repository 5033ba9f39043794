"""On PostgreSQL the portal under test connects as the application's role, as in production.

The suite's TEST_DATABASE_URL names the owner, who creates and empties the schema; the app
connects as `tests.conftest.APPLICATION_LOGIN`, a member of `portal_app` and nothing else
(docs/security.md). These tests prove it, so CI cannot drift back to a superuser unnoticed.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select, text
from sqlalchemy.exc import DBAPIError

from portal.audit.services import record
from portal.models import AuditEntry
from tests.conftest import APPLICATION_LOGIN

pytestmark = pytest.mark.postgres


@pytest.fixture
def entry(db):
    """One committed audit entry, written by the application."""
    made = record(None, "create", "area", "a", after={"name": "Area"})
    db.session.commit()
    return made


def test_the_app_connects_as_the_application_role(db):
    """current_user is the login role: no superuser, no role creation, no bypass of row
    security; a member of portal_app, and of no role that could rewrite the audit trail."""
    session = db.session
    assert session.scalar(text("SELECT current_user")) == APPLICATION_LOGIN
    role = session.execute(text(
        "SELECT rolsuper, rolcreaterole, rolcreatedb, rolbypassrls FROM pg_roles "
        "WHERE rolname = current_user")).one()
    assert tuple(role) == (False, False, False, False)
    member_of = set(session.scalars(text(
        "SELECT b.rolname FROM pg_auth_members m JOIN pg_roles b ON b.oid = m.roleid "
        "JOIN pg_roles u ON u.oid = m.member WHERE u.rolname = current_user")))
    assert member_of == {"portal_app"}
    owner = session.scalar(text("SELECT tableowner FROM pg_tables WHERE tablename = "
                                "'audit_entry'"))
    assert owner != APPLICATION_LOGIN


@pytest.mark.parametrize("statement", [
    "UPDATE audit_entry SET actor = 'x'",
    "UPDATE audit_entry SET after = '{}'",
    "DELETE FROM audit_entry",
    "TRUNCATE audit_entry",
])
def test_the_app_cannot_change_the_audit_trail(db, entry, statement):
    """No UPDATE, DELETE or TRUNCATE privilege on audit_entry: refused before any trigger."""
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(text(statement))
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.actor)) == "system"


@pytest.mark.parametrize("switch", [
    "SET LOCAL portal.audit_rewrite = 'on'",
    "SELECT set_config('portal.audit_rewrite', 'on', false)",
])
def test_setting_the_rewrite_variable_opens_nothing(db, entry, switch):
    """The variable can be set (any client can set a custom setting) but has no effect."""
    db.session.execute(text(switch))
    with pytest.raises(DBAPIError, match="permission denied"):
        db.session.execute(text("UPDATE audit_entry SET after = '{}'"))
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).after == {"name": "Area"}


@pytest.mark.parametrize("escape", [
    "SET LOCAL session_replication_role = replica",  # would switch the triggers off
    "SET LOCAL ROLE portal_audit_rewriter",  # the function's owner
    "ALTER TABLE audit_entry DISABLE TRIGGER portal_audit_append_only",
])
def test_the_app_cannot_switch_the_guards_off(db, entry, escape):
    with pytest.raises(DBAPIError, match="permission denied|must be owner"):
        db.session.execute(text(escape))
    db.session.rollback()


def test_the_app_rewrites_personal_data_only_through_the_function(db, entry):
    """What pseudonymisation needs still works as the application's role."""
    db.session.execute(text("SELECT portal_rewrite_audit(:id, NULL, CAST(:after AS json), "
                            "NULL, NULL)"), {"id": entry.id, "after": '{"name": "Pseudonym"}'})
    db.session.commit()
    db.session.expire_all()
    stored = db.session.get(AuditEntry, entry.id)
    assert (stored.after, stored.actor) == ({"name": "Pseudonym"}, "system")
