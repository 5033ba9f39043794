"""Fixtures for backup, restore and crash tests: extra empty databases of the suite's kind."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from config import TestConfig, normalise_database_url
from portal import create_app
from portal.audit.guards import install_guards
from portal.extensions import db


@pytest.fixture
def make_database(tmp_path):
    """Return a function that creates an empty database (SQLite file, or PostgreSQL database
    next to TEST_DATABASE_URL) and returns its URL; the databases are dropped afterwards."""
    server_url = os.environ.get("TEST_DATABASE_URL")
    created: list[str] = []
    admin = None
    if server_url:
        url = make_url(normalise_database_url(server_url))
        admin = create_engine(url.set(database="postgres"), isolation_level="AUTOCOMMIT")

    def make(label: str) -> str:
        if admin is None:
            return f"sqlite:///{tmp_path / label}.sqlite"
        name = f"samverkan_{label}_{uuid.uuid4().hex[:8]}"
        with admin.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
        created.append(name)
        return url.set(database=name).render_as_string(hide_password=False)

    yield make
    if admin is not None:
        with admin.connect() as connection:
            for name in created:
                connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@contextmanager
def portal_on(url: str) -> Iterator:
    """A test app on `url`, inside its app context, with the schema and (on PostgreSQL) the
    append-only guards; its connections are closed afterwards."""
    app = create_app(type("OnUrl", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": url}))
    with app.app_context():
        db.create_all()
        with db.engine.begin() as connection:
            install_guards(connection)
        try:
            yield app
        finally:
            db.session.remove()
            db.engine.dispose()
