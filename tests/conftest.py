"""Fixtures: an app on SQLite (or on PostgreSQL with TEST_DATABASE_URL), clients, users, data."""

from __future__ import annotations

import contextvars
import os
from pathlib import Path

import pytest
from flask.testing import FlaskClient
from jinja2 import BytecodeCache
from sqlalchemy import create_engine, text
from sqlalchemy.engine import Engine, make_url
from sqlalchemy.orm import Session
from sqlalchemy.pool import NullPool

from config import TestConfig
from portal import create_app
from portal.extensions import db as _db
from tests.helpers import PASSWORD, AuthActions

FIXTURES = Path(__file__).parent / "fixtures"
IN_CI = os.environ.get("CI", "").lower() == "true"
def _share_url_builders() -> None:
    """Build each URL rule's `url_for` function once per test process, not once per app.

    The suite builds a new app for every test. For each of its ~135 URL rules Werkzeug writes a
    builder function as Python source (an AST) and compiles it: 0.17 s of every test's set-up
    on a busy machine. The function it makes depends only on the rule's text, its parts and
    defaults and whether unknown values are appended; it reaches the rule's converters through
    its first argument (the rule it is bound to), so one compiled function serves the same rule
    of every app. Memoised by exactly those inputs: an app's set-up then takes ~13 ms. The
    portal itself builds one app per process and is left as it is.
    """
    from werkzeug.routing.rules import Rule

    compile_builder = Rule._compile_builder
    built: dict[tuple, object] = {}

    def shared(self, append_unknown=True):
        key = (self.rule, tuple(self._trace), repr(sorted((self.defaults or {}).items())),
               append_unknown)
        function = built.get(key)
        if function is None:
            function = built[key] = compile_builder(self, append_unknown)
        return function

    Rule._compile_builder = shared


_share_url_builders()

class _SharedTemplateCode(BytecodeCache):
    """Compiled templates kept in memory for every app of the test process.

    Each test's new app has a new Jinja environment that compiled each template it rendered
    again: a third of a page test's time. Jinja's own bytecode cache keys a template by its
    name and the checksum of its source, so a changed template is compiled afresh; every
    test app's environment has the same settings. The portal's own processes keep their one
    environment's templates as Jinja does anyway.
    """

    def __init__(self) -> None:
        self.codes: dict[str, bytes] = {}

    def load_bytecode(self, bucket) -> None:
        code = self.codes.get(bucket.key)
        if code is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket) -> None:
        self.codes[bucket.key] = bucket.bytecode_to_string()


TEMPLATE_CODE = _SharedTemplateCode()

# On PostgreSQL the portal under test connects as this login role, a member of `portal_app`
# and nothing else, as in production (docs/security.md); TEST_DATABASE_URL names the owner,
# who creates and empties the schema. The password serves servers that ask for one (md5,
# scram); with trust authentication on 127.0.0.1 it is not even read.
APPLICATION_LOGIN = "samverkan_test_app"
APPLICATION_PASSWORD = "samverkan-test-app"  # noqa: S105 - a test database's role


class FreshContextClient(FlaskClient):
    """Runs each request in its own app context, as a real server does.

    The tests hold an app context open for their database work; without this, requests
    would share its `g` (and so cached users and CSRF tokens) with each other.
    """

    def open(self, *args, **kwargs):
        return contextvars.Context().run(super().open, *args, **kwargs)


def _check_database(url: str) -> None:
    """A configured test database must answer; silently skipping it would hide failures."""
    engine = create_engine(url)
    try:
        with engine.connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as exc:  # noqa: BLE001 - any connection problem is fatal here
        pytest.exit(f"TEST_DATABASE_URL is set but the database does not answer: {exc}", 3)
    finally:
        engine.dispose()


def _worker_database(url: str) -> str:
    """With pytest-xdist, each worker gets its own PostgreSQL database next to the named one."""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker:
        return url
    base = make_url(url)
    name = f"{base.database}_{worker}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return base.set(database=name).render_as_string(hide_password=False)


@pytest.fixture(scope="session")
def database_url() -> str:
    """The database the suite runs on (one per xdist worker on PostgreSQL), as its owner."""
    url = TestConfig.SQLALCHEMY_DATABASE_URI
    if url.startswith("sqlite"):
        return url
    _check_database(url)
    return _worker_database(url)


def application_url(owner_url: str) -> str:
    """The same database as the portal connects to it: as APPLICATION_LOGIN on PostgreSQL."""
    if owner_url.startswith("sqlite"):
        return owner_url
    url = make_url(owner_url).set(username=APPLICATION_LOGIN, password=APPLICATION_PASSWORD)
    return url.render_as_string(hide_password=False)


_OWNER_ENGINES: dict[str, Engine] = {}


def owner_engine(owner_url: str) -> Engine:
    """An engine that connects as the owner (no pool: it keeps no connection open)."""
    if owner_url not in _OWNER_ENGINES:
        _OWNER_ENGINES[owner_url] = create_engine(owner_url, poolclass=NullPool)
    return _OWNER_ENGINES[owner_url]


def _create_application_login(owner_url: str) -> None:
    """The application's login role: LOGIN, a member of `portal_app` (made by the guards)."""
    with owner_engine(owner_url).begin() as connection:
        connection.execute(text(f"""
DO $$
BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '{APPLICATION_LOGIN}') THEN
    CREATE ROLE {APPLICATION_LOGIN} LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE
      PASSWORD '{APPLICATION_PASSWORD}';
  END IF;
EXCEPTION WHEN duplicate_object OR unique_violation THEN
  NULL;  -- another worker (or another database of the cluster) made it at the same moment
END;
$$"""))
        connection.execute(text(f"GRANT portal_app TO {APPLICATION_LOGIN}"))


@pytest.fixture(scope="session")
def owner_config(database_url):
    """The test configuration as the owner of this worker's database (schema, setup)."""
    return type("OwnerTestConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": database_url})


@pytest.fixture(scope="session")
def test_config(database_url, _schema):
    """The test configuration, pointed at this worker's database as the application's role."""
    return type("WorkerTestConfig", (TestConfig,),
                {"SQLALCHEMY_DATABASE_URI": application_url(database_url)})


@pytest.fixture(scope="session")
def _schema(database_url, owner_config):
    """On a server database, create the schema once (as its owner) and empty it between tests."""
    if database_url.startswith("sqlite"):
        yield None
        return
    from portal.audit.guards import install_guards, remove_guards

    app = create_app(owner_config)
    with app.app_context():
        _db.drop_all()
        _db.create_all()
        with _db.engine.begin() as connection:  # as the migration does: append-only in SQL
            install_guards(connection)  # and the GRANTs of portal_app
        _db.engine.dispose()
    _create_application_login(database_url)
    yield app
    with app.app_context():
        with _db.engine.begin() as connection:
            remove_guards(connection)
        _db.drop_all()
        _db.engine.dispose()
    owner_engine(database_url).dispose()


def _empty_tables(owner_url: str) -> None:
    """Remove every row, fast, keeping the schema: as the owner (the portal may not delete the
    audit trail), and the id sequences start again at 1.

    DELETE with the triggers off (`session_replication_role`, a superuser's, as for copying the
    demo in), not TRUNCATE: TRUNCATE gives every table and index a new file, 0.3–1.3 s each
    time against ~20 ms for deleting a test's few rows. The current app's session ends its
    transaction first, so that it holds no lock.
    """
    from flask import has_app_context

    if has_app_context():
        _db.session.remove()
    tables = _db.metadata.sorted_tables
    sql = ["SET LOCAL session_replication_role = replica;"]
    sql += [f'DELETE FROM "{table.name}";' for table in reversed(tables)]  # noqa: S608 - ours
    sql.append("SELECT " + ", ".join(
        f"setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), 1, false)"
        for table in tables if "id" in table.c) + ";")
    with owner_engine(owner_url).begin() as connection:
        connection.exec_driver_sql("\n".join(sql))


@pytest.fixture(scope="session")
def _sqlite_schema_image(database_url, test_config) -> bytes | None:
    """On SQLite, the empty schema (tables, triggers, the full-text index) built once per
    worker and serialised: each test's in-memory database starts as a copy of it."""
    if database_url != "sqlite://":
        return None
    image = create_app(test_config)
    with image.app_context():
        _db.create_all()
        connection = _db.engine.raw_connection()
        try:
            return connection.driver_connection.serialize()
        finally:
            connection.close()
            _db.engine.dispose()


@pytest.fixture
def app(database_url, test_config, _schema, _sqlite_schema_image):
    """A fresh application with an empty database (on PostgreSQL, as the application's role)."""
    app = create_app(test_config)
    app.test_client_class = FreshContextClient
    app.jinja_env.bytecode_cache = TEMPLATE_CODE
    with app.app_context():
        if _sqlite_schema_image is not None:  # the in-memory database lives as long as the engine
            connection = _db.engine.raw_connection()
            connection.driver_connection.deserialize(_sqlite_schema_image)
            connection.close()
        elif database_url.startswith("sqlite"):  # a file named by TEST_DATABASE_URL
            _db.create_all()
        else:
            _empty_tables(database_url)
        yield app
        _db.session.remove()
        if _sqlite_schema_image is None and database_url.startswith("sqlite"):
            _db.drop_all()
        _db.engine.dispose()


@pytest.fixture
def db(app):
    """The database handle, bound to the test app."""
    return _db


@pytest.fixture
def client(app):
    """A test client of the app."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """A CLI runner of the app."""
    return app.test_cli_runner()


@pytest.fixture
def make_user(app):
    """Create accounts: make_user("admin") or make_user("forum_member", person=p)."""
    from portal.auth.services import create_user

    def make(role: str = "viewer", email: str | None = None, person=None):
        return create_user(None, email or f"{role}@test.example", PASSWORD, role, person)

    return make


@pytest.fixture
def auth(client):
    """Sign-in helper bound to the test client."""
    return AuthActions(client)


@pytest.fixture(scope="session")
def demo_image(tmp_path_factory, database_url, test_config, _schema):
    """The demo loaded once per session: a SQLite file to copy, or rows to insert again."""
    from portal.demo.loader import load_demo

    if database_url.startswith("sqlite"):
        path = tmp_path_factory.mktemp("demo") / "demo.sqlite"
        config = type("DemoImage", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
        image = create_app(config)
        with image.app_context():
            _db.create_all()
            accounts = load_demo()
            _db.session.remove()
            _db.engine.dispose()
        return {"path": path, "accounts": accounts}
    image = create_app(test_config)
    with image.app_context():  # loaded by the application's role, as the portal would
        _empty_tables(database_url)
        accounts = load_demo()
        _db.session.commit()
        copies = _copy_out(owner_engine(database_url))
        _empty_tables(database_url)
        _db.session.remove()
        _db.engine.dispose()
    return {"copies": copies, "accounts": accounts}


def _columns(table) -> str:
    return ", ".join(f'"{column.name}"' for column in table.c)


def _copy_out(engine) -> dict[str, bytes]:
    """Every table's rows in PostgreSQL's COPY text format (tables with rows only)."""
    copies = {}
    with engine.connect() as connection:
        cursor = connection.connection.driver_connection.cursor()
        for table in _db.metadata.sorted_tables:
            with cursor.copy(f'COPY "{table.name}" ({_columns(table)}) TO STDOUT') as copy:
                data = b"".join(bytes(block) for block in copy)
            if data:
                copies[table.name] = data
    return copies


def _copy_in(owner_url: str, copies: dict[str, bytes]) -> None:
    """Put copied rows back (tables in dependency order) and move the id sequences on.

    COPY takes the demo's few thousand rows in one statement per table, where an INSERT per
    row took a good part of each test's set-up. As the owner: skipping the foreign-key checks
    while copying (rows may point forward inside a table: reports_to, parent) needs
    `session_replication_role`, a superuser's.
    """
    with owner_engine(owner_url).begin() as connection:
        connection.execute(text("SET LOCAL session_replication_role = replica"))
        cursor = connection.connection.driver_connection.cursor()
        moved = []
        for table in _db.metadata.sorted_tables:
            data = copies.get(table.name)
            if not data:
                continue
            with cursor.copy(f'COPY "{table.name}" ({_columns(table)}) FROM STDIN') as copy:
                copy.write(data)
            if "id" in table.c:  # table names: our metadata
                moved.append(f"setval(pg_get_serial_sequence('\"{table.name}\"', 'id'), "  # noqa: S608
                             f'(SELECT max(id) FROM "{table.name}"))')
        if moved:
            connection.execute(text("SELECT " + ", ".join(moved)))


@pytest.fixture
def owner_session(app, database_url):
    """A session as the database's owner, for tests that act as a hostile SQL client with
    every table privilege (the triggers, not the GRANTs, must stop it); on SQLite the app's."""
    if database_url.startswith("sqlite"):
        yield _db.session
        return
    session = Session(bind=owner_engine(database_url))
    try:
        yield session
    finally:
        session.close()


@pytest.fixture
def demo(app, demo_image, database_url):
    """The Region Västerbotten demo data and its accounts (copied from the session's image)."""
    import sqlite3

    if "path" in demo_image:
        source = sqlite3.connect(str(demo_image["path"]))
        target = _db.engine.raw_connection()
        try:
            source.backup(target.driver_connection)
        finally:
            target.close()
            source.close()
    else:
        _copy_in(database_url, demo_image["copies"])
    return demo_image["accounts"]


@pytest.fixture
def signed_in(client, auth, make_user):
    """A client signed in with a given role: signed_in("leadership")."""

    def sign_in(role: str = "viewer", person=None):
        user = make_user(role, person=person)
        response = auth.login(user.email)
        assert response.status_code == 302, response.get_data(as_text=True)
        return user

    return sign_in


@pytest.fixture
def role_account(make_user):
    """The account a role of a permission matrix signs in as; an area's conftest may override.

    Here a new account of that role, and nobody for "anonymous" or "signed_out".
    """
    return lambda role: None if role in ("anonymous", "signed_out") else make_user(role)


@pytest.fixture
def as_role(auth, role_account):
    """Sign the client in as role_account(role) (nobody: stay signed out); return the CSRF token."""
    return lambda role: auth.as_user(role_account(role))


def pytest_collection_modifyitems(config, items):
    """Leave out tests written for the other database, so neither run shows them as skipped.

    CI runs the suite twice (SQLite, then PostgreSQL), so every test runs in one of the two.
    """
    on_postgres = not TestConfig.SQLALCHEMY_DATABASE_URI.startswith("sqlite")
    other = "sqlite_only" if on_postgres else "postgres"
    kept, left_out = [], []
    for item in items:
        (left_out if item.get_closest_marker(other) else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


def require_or_skip(available: bool, reason: str) -> None:
    """Skip on a laptop without the tool; fail in CI, where it must be there."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: this is a failure, not a skip)")
    pytest.skip(reason)


@pytest.fixture
def live_portal(database_url, tmp_path):
    """A migrated database of its own; `.load(fill)` it, `.start()` gunicorn, make requests."""
    from tests.live import LivePortal, live_database

    for url in live_database(database_url, tmp_path):
        portal = LivePortal(url)
        try:
            yield portal
        finally:
            portal.stop()
            with portal.app.app_context():
                _db.engine.dispose()


def refusals(source: str) -> int:
    """How many refused requests the security events count for an account (its address)."""
    from sqlalchemy import func, select

    from portal.models import SecurityEvent

    return _db.session.scalar(select(func.coalesce(func.sum(SecurityEvent.count), 0)).where(
        SecurityEvent.kind == "access_denied", SecurityEvent.source == source))

@pytest.fixture
def based_on():
    """`based_on(client, path, after="")`: the edit form's `based_on` field, as a dict to add to
    the posted data (empty when the page has no such form, e.g. for a role that may not edit).
    `after` picks the first form after that text (one row of a table of forms)."""
    import re

    def read(client, path: str, after: str = "") -> dict[str, str]:
        page = client.get(path).get_data(as_text=True)
        start = page.find(after) if after else 0
        match = re.compile(r'name="based_on" value="([^"]*)"').search(page, max(start, 0))
        return {"based_on": match.group(1)} if match else {}

    return read
