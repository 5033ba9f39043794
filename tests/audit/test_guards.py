"""The audit trail and final decisions are append-only, in the ORM and (PostgreSQL) in SQL."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, select, text, update
from sqlalchemy.exc import DBAPIError

from portal.audit.guards import install_guards, remove_guards, rewrite_personal_data
from portal.audit.services import record
from portal.models import AuditEntry, Decision
from portal.models.audit import AuditTrailError


@pytest.fixture
def entry(db):
    """One committed audit entry."""
    made = record(None, "create", "area", "a", after={"name": "Area"})
    db.session.commit()
    return made


@pytest.fixture
def postgresql(db):
    """The database, on PostgreSQL (tests using it are marked `postgres`, see conftest)."""
    assert db.engine.dialect.name == "postgresql"
    return db


def test_an_audit_entry_cannot_be_changed_through_the_orm(db, entry):
    """Changing a field of a stored entry is refused at the flush."""
    entry.actor = "someone else"
    with pytest.raises(AuditTrailError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id).actor == "system"


def test_an_audit_entry_cannot_be_deleted_through_the_orm(db, entry):
    """Deleting a stored entry is refused."""
    db.session.delete(entry)
    with pytest.raises(AuditTrailError, match="append-only"):
        db.session.commit()
    db.session.rollback()
    assert db.session.get(AuditEntry, entry.id) is not None


@pytest.mark.parametrize("statement", [
    update(AuditEntry).values(actor="x"),
    delete(AuditEntry),
])
def test_bulk_statements_on_the_audit_trail_are_refused(db, entry, statement):
    """`update(AuditEntry)` and `delete(AuditEntry)` through the session are refused too."""
    with pytest.raises(AuditTrailError):
        db.session.execute(statement)
    db.session.rollback()
    assert db.session.scalar(select(AuditEntry.actor)) == "system"


def test_the_controlled_rewrite_changes_only_personal_fields(db, entry):
    """Inside the rewrite, before/after may change but who and when may not."""
    with rewrite_personal_data(db.session):
        entry.after = {"name": "Pseudonymiserad person 1"}
    db.session.commit()
    assert db.session.get(AuditEntry, entry.id).after == {"name": "Pseudonymiserad person 1"}
    with pytest.raises(AuditTrailError), rewrite_personal_data(db.session):
        entry.actor = "rewritten"
    db.session.rollback()


@pytest.mark.postgres
def test_sql_update_and_delete_of_the_audit_trail_fail(postgresql, entry):
    """On PostgreSQL a plain UPDATE or DELETE of audit_entry is refused by a trigger."""
    for statement in ("UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError, match="append-only"):
            postgresql.session.execute(text(statement))
        postgresql.session.rollback()
    assert postgresql.session.scalar(select(AuditEntry.actor)) == "system"


@pytest.mark.postgres
def test_sql_rewrite_setting_allows_only_personal_fields(postgresql, entry):
    """With the rewrite setting on, the trigger lets before/after change and nothing else."""
    session = postgresql.session
    session.execute(text("SELECT set_config('portal.audit_rewrite', 'on', true)"))
    session.execute(text("UPDATE audit_entry SET after = '{}'"))
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("UPDATE audit_entry SET at = now()"))
    session.rollback()


@pytest.mark.postgres
def test_sql_cannot_change_or_delete_a_final_decision(postgresql, demo):
    """A final decision is refused at the SQL level; a draft may still change."""
    session = postgresql.session
    final = session.scalar(select(Decision).where(Decision.status == "final").limit(1))
    for statement in ("UPDATE decision SET title = 'x' WHERE id = :id",
                      "DELETE FROM decision WHERE id = :id"):
        with pytest.raises(DBAPIError, match="is final"):
            session.execute(text(statement), {"id": final.id})
        session.rollback()
    draft = Decision(key="draft-1", title="Draft", forum=final.forum,
                     decided_on=final.decided_on, status="draft")
    session.add(draft)
    session.commit()
    session.execute(text("UPDATE decision SET title = 'Better', status = 'final' "
                         "WHERE id = :id"), {"id": draft.id})
    session.commit()
    with pytest.raises(DBAPIError, match="is final"):
        session.execute(text("UPDATE decision SET title = 'Worse' WHERE id = :id"),
                        {"id": draft.id})
    session.rollback()


@pytest.mark.postgres
def test_guards_can_be_removed_and_installed_again(postgresql, entry):
    """The migration's downgrade removes the triggers; installing them again works."""
    with postgresql.engine.begin() as connection:
        assert remove_guards(connection)
    try:
        postgresql.session.execute(text("UPDATE audit_entry SET actor = 'x'"))
        postgresql.session.rollback()
    finally:
        with postgresql.engine.begin() as connection:
            assert install_guards(connection)


@pytest.mark.sqlite_only
def test_guards_are_orm_only_on_sqlite(db):
    """On SQLite there are no triggers to install; the ORM guards are what there is."""
    with db.engine.begin() as connection:
        assert install_guards(connection) is False
