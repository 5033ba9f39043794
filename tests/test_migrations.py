"""`flask db upgrade` builds the schema on an empty database, matching the models."""

from __future__ import annotations

import os
import uuid

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from flask_migrate import upgrade
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.engine import make_url

from config import normalise_database_url
from portal import ROOT, create_app
from portal.extensions import db
from portal.migrate import init_migrate
from portal.search.index import is_full_text_object


def _fresh_database(tmp_path):
    """An empty database of the kind the suite runs on; yields its URL."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    if not server_url:
        yield f"sqlite:///{tmp_path / 'empty.sqlite'}"
        return
    url = make_url(normalise_database_url(server_url))
    name = f"samverkan_mig_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture
def empty_database(tmp_path):
    """URL of a database with nothing in it."""
    yield from _fresh_database(tmp_path)


def test_upgrade_creates_the_schema_of_the_models(empty_database):
    """After `db upgrade` every table exists and Alembic finds no difference to the models."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    init_migrate(app)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        tables = set(inspect(db.engine).get_table_names())
        assert {t.name for t in db.metadata.sorted_tables} <= tables
        with db.engine.connect() as connection:
            context = MigrationContext.configure(connection, opts={
                "compare_type": True, "render_as_batch": True,
                "include_object": lambda o, name, type_, reflected, compare_to: not (
                    reflected and compare_to is None and is_full_text_object(name, type_)),
            })
            diff = compare_metadata(context, db.metadata)
        assert diff == []
        db.engine.dispose()


def test_upgrade_command_on_an_empty_database(empty_database):
    """The documented command `flask --app portal db upgrade` works on an empty database."""
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    with app.app_context():
        assert "forum" in inspect(db.engine).get_table_names()
        db.engine.dispose()


def test_upgrade_joins_versions_split_by_simultaneous_corrections(empty_database):
    """Two "version 2" records of one decision become v2 and v3 of one chain, audit-trailed;
    after that a version can be corrected only once (the database says so)."""
    from datetime import UTC, datetime

    from sqlalchemy import select
    from sqlalchemy.exc import IntegrityError

    from portal.demo.loader import load_demo
    from portal.models import AuditEntry, Decision

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    init_migrate(app)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="1675932dc0cc")
        load_demo()
        first = db.session.scalar(select(Decision).where(Decision.key == "lsg-2024-10-nav"))
        for n, key in enumerate(["lsg-2024-10-nav.v2", "lsg-2024-10-nav.v2-2"]):
            db.session.add(Decision(
                key=key, forum=first.forum, title=f"Rättad {n}", decided_on=first.decided_on,
                status="final", version_no=2, supersedes_id=first.id, corrected_reason="Fel",
                created_at=datetime(2026, 1, 1 + n, tzinfo=UTC)))
        db.session.commit()
        db.session.remove()
        upgrade(directory=str(ROOT / "migrations"))
        chain = {d.key: (d.supersedes.key if d.supersedes else None, d.version_no)
                 for d in db.session.scalars(select(Decision).where(
                     Decision.key.like("lsg-2024-10-nav%")))}
        assert chain == {"lsg-2024-10-nav": (None, 1),
                         "lsg-2024-10-nav.v2": ("lsg-2024-10-nav", 2),
                         "lsg-2024-10-nav.v2-2": ("lsg-2024-10-nav.v2", 3)}
        entry = db.session.scalar(select(AuditEntry).where(AuditEntry.action == "rechain"))
        assert (entry.entity_key, entry.after) == (
            "lsg-2024-10-nav.v2-2", {"supersedes": "lsg-2024-10-nav.v2", "version_no": 3})
        db.session.remove()
        forum_id = db.session.scalar(select(Decision.forum_id).limit(1))
        v1 = db.session.scalar(select(Decision.id).where(Decision.key == "lsg-2024-10-nav"))
        db.session.remove()
        # a second correction of v1 cannot be stored
        with db.engine.connect() as connection, pytest.raises(IntegrityError):
            connection.execute(Decision.__table__.insert().values(
                key="another-v2", forum_id=forum_id, title="x", status="draft",
                decided_on=datetime(2026, 1, 1).date(), version_no=2, supersedes_id=v1))
        db.engine.dispose()


def test_upgrade_lists_stored_dates_outside_the_portals_range(empty_database):
    """A date stored before dates had one range (an action due 9999-12-31) is named."""
    import importlib.util
    from datetime import date

    from sqlalchemy import update

    from portal.demo.loader import load_demo
    from portal.models import Action

    path = next((ROOT / "migrations" / "versions").glob("*_3b8e51d0a9c4_*.py"))
    spec = importlib.util.spec_from_file_location("records_migration", path)
    migration = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(migration)
    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    init_migrate(app)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"))
        load_demo()
        db.session.execute(update(Action).where(Action.key == "a25-gemensam-plan")
                           .values(due_on=date(9999, 12, 31)))
        db.session.commit()
        with db.engine.connect() as connection:
            assert migration.dates_out_of_range(connection) == [
                "action.due_on a25-gemensam-plan: 9999-12-31"]
        db.session.remove()
        db.engine.dispose()


def test_upgrade_reads_an_empty_comment_or_mitigation_as_none(empty_database):
    """The "" that stood for "no text" becomes NULL; a status report stays append-only."""
    from datetime import UTC, date, datetime

    from sqlalchemy import select
    from sqlalchemy.exc import DatabaseError

    from portal.demo.loader import load_demo
    from portal.models import Commission
    from portal.models.followup import Risk, StatusReport

    app = create_app({"SQLALCHEMY_DATABASE_URI": empty_database, "TESTING": True})
    init_migrate(app)
    with app.app_context():
        upgrade(directory=str(ROOT / "migrations"), revision="3ae21e07c553")
        load_demo()
        commission_id = db.session.scalar(select(Commission.id).limit(1))
        db.session.remove()
        with db.engine.begin() as connection:
            connection.execute(StatusReport.__table__.insert().values(
                key="sr-empty", commission_id=commission_id, reported_on=date(2025, 1, 1),
                light="on_track", comment="", created_at=datetime(2025, 1, 1, tzinfo=UTC)))
            connection.execute(Risk.__table__.insert().values(
                key="risk-empty", commission_id=commission_id, title="R", likelihood=1,
                consequence=1, mitigation="", status="open", version=1))
        upgrade(directory=str(ROOT / "migrations"))
        assert db.session.scalar(
            select(StatusReport.comment).where(StatusReport.key == "sr-empty")) is None
        assert db.session.scalar(select(Risk.mitigation).where(Risk.key == "risk-empty")) is None
        db.session.remove()
        with db.engine.connect() as connection, pytest.raises(DatabaseError):
            connection.execute(StatusReport.__table__.update().where(
                StatusReport.__table__.c.key == "sr-empty").values(comment="changed"))
        db.engine.dispose()
