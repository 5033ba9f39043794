"""`make serve` starts gunicorn with the portal, answers /health, and stops on SIGTERM."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from portal import ROOT
from tests.conftest import require_or_skip

pytestmark = pytest.mark.sqlite_only  # it serves a SQLite file of its own; once is enough


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_make_serve_starts_answers_health_and_stops(tmp_path):
    require_or_skip(shutil.which("make") is not None, "make is not installed")
    venv = Path(sys.executable).parent.parent
    require_or_skip((venv / "bin" / "gunicorn").exists(), "gunicorn is not installed")
    port = _free_port()
    env = {**os.environ, "PORTAL_ENV": "development", "WEB_CONCURRENCY": "2",
           "DATABASE_URL": f"sqlite:///{tmp_path / 'serve.sqlite'}",
           "PYTHONPATH": str(ROOT)}
    # -o pyproject.toml: the suite's own install is current; make must not reinstall it here.
    process = subprocess.Popen(  # noqa: S603 - fixed arguments, no shell
        ["make", "--no-print-directory", "-o", "pyproject.toml", "serve",  # noqa: S607
         f"VENV={venv}", f"BIND=127.0.0.1:{port}"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
        start_new_session=True,
    )
    try:
        answer = None
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline and process.poll() is None:
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
                break
            except httpx.TransportError:
                time.sleep(0.3)
        assert answer is not None, process.stdout.read() if process.poll() is not None else ""
        assert answer.status_code == 200 and answer.json() == {"status": "ok"}
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            output, _ = process.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            output, _ = process.communicate()
    assert "Booting worker" in output
    assert process.returncode is not None
    with pytest.raises(httpx.TransportError):
        httpx.get(f"http://127.0.0.1:{port}/health", timeout=2)
