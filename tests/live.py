"""A real portal under gunicorn, for tests that make requests at the same time through HTTP.

`live_portal` (a fixture, see `tests/conftest.py`) migrates a database of its own (a SQLite
file, or a fresh PostgreSQL database beside the suite's) as its owner, lets the test fill it
in-process, then serves it with gunicorn, connected as the application's role: two worker
processes with four threads each, so that requests really overlap, as they do in production.

    def test_two_saves_at_once(live_portal):
        live_portal.load(load_demo)
        a, b = live_portal.signed_in("forum@example.org", DEMO_PASSWORD, times=2)
        answers = live_portal.at_once([lambda: a.post(...), lambda: b.post(...)])

`at_once` starts every call on its own thread and releases them together with a barrier.
`LIVE_ROUNDS` (default 10) says how often race tests repeat themselves; CI may raise it.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from tests.helpers import csrf_token

ROOT = Path(__file__).resolve().parent.parent
ROUNDS = int(os.environ.get("LIVE_ROUNDS", "10"))


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class LivePortal:
    """A migrated database and, once `start`ed, gunicorn serving it."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.port = _free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self._process: subprocess.Popen | None = None
        self._clients: list[httpx.Client] = []
        self.app = self._migrated_app()

    def _migrated_app(self):
        from flask_migrate import upgrade

        from config import TestConfig
        from portal import create_app
        from portal.migrate import init_migrate

        config = type("LiveConfig", (TestConfig,), {"SQLALCHEMY_DATABASE_URI": self.database_url})
        app = create_app(config)
        init_migrate(app)
        with app.app_context():
            upgrade(directory=str(ROOT / "migrations"))
        if not self.database_url.startswith("sqlite"):
            from tests.conftest import _create_application_login

            _create_application_login(self.database_url)  # portal_app exists now
        return app

    def load(self, fill: Callable[[], object]) -> object:
        """Run `fill()` in the app (e.g. `load_demo`) before the server starts; commit."""
        from portal.extensions import db

        assert self._process is None, "load the data before the server starts"
        with self.app.app_context():
            result = fill()
            db.session.commit()
            db.session.remove()
            db.engine.dispose()
        return result

    def start(self) -> LivePortal:
        """Start gunicorn and wait until it answers /health."""
        from tests.conftest import application_url

        # The server connects as the application's role (the owner migrated and filled it).
        env = {**os.environ, "DATABASE_URL": application_url(self.database_url),
               "SECRET_KEY": "live-" + "x" * 40,
               "PORTAL_ENV": "development", "LOGIN_RATE_LIMIT": "10000 per minute",
               "PYTHONPATH": str(ROOT)}
        self._process = subprocess.Popen(  # noqa: S603 - our own server
            [sys.executable, "-m", "gunicorn", "--workers", "2", "--threads", "4",
             "--bind", f"127.0.0.1:{self.port}", "--log-level", "warning",
             # Keep idle connections far longer than a test pauses between rounds: with
             # gunicorn's 2 s default, a client could reuse a connection just as the server
             # closes it, and the request is lost ("Server disconnected").
             "--keep-alive", "300", "--timeout", "120",
             "portal:create_app()"],
            cwd=ROOT, env=env,
        )
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.url}/health", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                pass
            assert self._process.poll() is None, "gunicorn stopped while starting"
            time.sleep(0.1)
        raise AssertionError("gunicorn did not answer /health within 30 s")

    def client(self) -> httpx.Client:
        """A new HTTP client (its own cookies) for this server."""
        client = httpx.Client(base_url=self.url, timeout=30, follow_redirects=False)
        self._clients.append(client)
        return client

    def signed_in(self, email: str, password: str, times: int = 1) -> list[httpx.Client]:
        """`times` clients, each signed in as `email` through the form; `.csrf` holds the token."""
        clients = []
        for _ in range(times):
            client = self.client()
            token = csrf_token(client, "/login")
            answer = client.post("/login", data={"email": email, "password": password,
                                                 "csrf_token": token})
            assert answer.status_code == 302, f"sign-in as {email} failed: {answer.status_code}"
            client.csrf = csrf_token(client, "/")  # type: ignore[attr-defined]
            clients.append(client)
        return clients

    @staticmethod
    def at_once(calls: list[Callable[[], httpx.Response]]) -> list[httpx.Response]:
        """Run the calls on threads released together; their answers, in the order given."""
        barrier = threading.Barrier(len(calls))
        answers: list[httpx.Response | BaseException | None] = [None] * len(calls)

        def run(index: int, call: Callable[[], httpx.Response]) -> None:
            barrier.wait()
            try:
                answers[index] = call()
            except BaseException as exc:  # noqa: BLE001 - reported below
                answers[index] = exc

        threads = [threading.Thread(target=run, args=(i, c)) for i, c in enumerate(calls)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(60)
        for answer in answers:
            if isinstance(answer, BaseException):
                raise answer
        return answers  # type: ignore[return-value]

    def stop(self) -> None:
        """Stop the server and close the clients."""
        for client in self._clients:
            client.close()
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(15)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()


def live_database(suite_url: str, tmp_path: Path) -> Iterator[str]:
    """A database of its own for one live portal: a SQLite file or a new PostgreSQL database."""
    if suite_url.startswith("sqlite"):
        yield f"sqlite:///{tmp_path / 'live.sqlite'}"
        return
    base = make_url(suite_url)
    name = f"{base.database}_live_{uuid.uuid4().hex[:8]}"
    admin = create_engine(base.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
