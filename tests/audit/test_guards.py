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


def test_sql_update_and_delete_of_the_audit_trail_fail(db, entry, owner_session):
    """A plain UPDATE or DELETE of audit_entry is refused by a trigger, on either database,
    even for a client that holds every privilege on the table (the owner, on PostgreSQL)."""
    for statement in ("UPDATE audit_entry SET actor = 'x'", "DELETE FROM audit_entry"):
        with pytest.raises(DBAPIError, match="append-only"):
            owner_session.execute(text(statement))
        owner_session.rollback()
    assert db.session.scalar(select(AuditEntry.actor)) == "system"


@pytest.mark.postgres
def test_no_setting_opens_the_audit_trail(postgresql, entry, owner_session):
    """The old switch `portal.audit_rewrite` opens nothing any more, even for the owner."""
    session = owner_session
    session.execute(text("SELECT set_config('portal.audit_rewrite', 'on', true)"))
    with pytest.raises(DBAPIError, match="append-only"):
        session.execute(text("UPDATE audit_entry SET after = '{}'"))
    session.rollback()


@pytest.mark.postgres
def test_the_application_role_may_only_rewrite_through_the_function(postgresql, entry):
    """As `portal_app`: no UPDATE or DELETE of the audit trail at all, setting or not; the
    SECURITY DEFINER function rewrites personal fields, and only those."""
    session = postgresql.session
    for statement in ("UPDATE audit_entry SET after = '{}'", "DELETE FROM audit_entry"):
        session.execute(text("SET LOCAL ROLE portal_app"))
        session.execute(text("SELECT set_config('portal.audit_rewrite', 'on', true)"))
        with pytest.raises(DBAPIError, match="permission denied"):
            session.execute(text(statement))
        session.rollback()
    session.execute(text("SET LOCAL ROLE portal_app"))
    session.execute(text("SELECT portal_rewrite_audit(:id, NULL, CAST(:after AS json), NULL, "
                         "NULL)"), {"id": entry.id, "after": '{"name": "Pseudonym"}'})
    session.commit()
    stored = session.get(AuditEntry, entry.id)
    session.refresh(stored)
    assert (stored.after, stored.actor) == ({"name": "Pseudonym"}, "system")


def test_sql_cannot_change_or_delete_a_final_decision(db, demo):
    """A final decision is refused at the SQL level; a draft may still change."""
    session = db.session
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


def _final_with_actions(session):
    return session.execute(text(
        "SELECT d.id, min(l.action_id) FROM decision d JOIN decision_action l "
        "ON l.decision_id = d.id WHERE d.status = 'final' GROUP BY d.id LIMIT 1")).one()


def test_sql_cannot_detach_the_actions_of_a_final_decision(db, demo):
    """DELETE or UPDATE of a final decision's links in decision_action is refused."""
    session = db.session
    decision_id, action_id = _final_with_actions(session)
    for statement in ("DELETE FROM decision_action WHERE decision_id = :d",
                      "UPDATE decision_action SET action_id = action_id WHERE decision_id = :d"):
        with pytest.raises(DBAPIError, match="is final"):
            session.execute(text(statement), {"d": decision_id})
        session.rollback()
    count = "SELECT count(*) FROM decision_action WHERE decision_id = :d"
    assert session.scalar(text(count), {"d": decision_id}) >= 1


@pytest.mark.postgres
def test_sql_cannot_add_actions_to_a_final_decision_later(postgresql, demo):
    """On PostgreSQL a link to a final decision is refused unless it is written with it."""
    session = postgresql.session
    decision_id, _action = _final_with_actions(session)
    other = session.scalar(text(
        "SELECT id FROM action WHERE id NOT IN "
        "(SELECT action_id FROM decision_action WHERE decision_id = :d) LIMIT 1"),
        {"d": decision_id})
    with pytest.raises(DBAPIError, match="is final"):
        session.execute(text("INSERT INTO decision_action (decision_id, action_id) "
                             "VALUES (:d, :a)"), {"d": decision_id, "a": other})
    session.rollback()


def test_guards_can_be_removed_and_installed_again(db, entry, owner_session):
    """The migration's downgrade (run by the owner) removes the triggers; installing them
    again works."""
    owner = owner_session.get_bind()
    with owner.begin() as connection:
        assert remove_guards(connection)
    try:
        owner_session.execute(text("UPDATE audit_entry SET actor = 'x'"))
        owner_session.rollback()
    finally:
        with owner.begin() as connection:
            assert install_guards(connection)
    with pytest.raises(DBAPIError, match="append-only"):
        owner_session.execute(text("UPDATE audit_entry SET actor = 'x'"))
    owner_session.rollback()


@pytest.fixture
def report(db, demo):
    """A stored status report of a demo commission."""
    from datetime import date

    from portal.models import Commission, StatusReport

    made = StatusReport(commission=db.session.scalar(select(Commission).limit(1)),
                        reported_on=date(2025, 11, 1), light="at_risk", comment="Försenad")
    db.session.add(made)
    db.session.commit()
    return made


def test_a_status_report_is_a_record_in_the_orm(db, report):
    """Changing or deleting a status report through the ORM is refused."""
    from portal.models.followup import RecordChangeError

    report.light = "on_track"
    with pytest.raises(RecordChangeError):
        db.session.flush()
    db.session.rollback()
    db.session.delete(report)
    with pytest.raises(RecordChangeError):
        db.session.flush()
    db.session.rollback()


def test_a_status_report_is_a_record_in_sql(db, report):
    """UPDATE and DELETE of a status report are refused by the database, on either one."""
    for statement in ("UPDATE status_report SET light = 'on_track' WHERE id = :id",
                      "DELETE FROM status_report WHERE id = :id"):
        with pytest.raises(DBAPIError, match="record"):
            db.session.execute(text(statement), {"id": report.id})
        db.session.rollback()
    db.session.execute(text("UPDATE status_report SET author_id = NULL WHERE id = :id"),
                       {"id": report.id})  # the author's account may go
    db.session.rollback()
