"""The built wheel, installed into a fresh virtualenv and run from `/`, serves the portal."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx
import pytest

from portal import ROOT
from tests.conftest import IN_CI

pytestmark = pytest.mark.sqlite_only  # one database is enough to show the package works


def _run(*args, **kwargs) -> subprocess.CompletedProcess:
    """Run a command, failing the test with its output when it fails."""
    result = subprocess.run(args, capture_output=True, text=True, check=False,  # noqa: S603
                            timeout=600, **kwargs)
    assert result.returncode == 0, f"{args} failed:\n{result.stdout}\n{result.stderr}"
    return result


def test_the_installed_wheel_migrates_loads_the_demo_and_serves_from_anywhere(tmp_path):
    """`python -m build`, `pip install` the wheel, then `flask --app portal` from `/`."""
    if not (IN_CI or os.environ.get("PACKAGE_TEST")):
        pytest.skip("builds and installs the wheel with its dependencies; CI or PACKAGE_TEST=1")
    # sdist first, then the wheel from it: what a release builds, with no stale build/ folder
    _run(sys.executable, "-m", "build", "--outdir", str(tmp_path / "dist"), str(ROOT))
    wheel = next((tmp_path / "dist").glob("*.whl"))
    venv = tmp_path / "venv"
    _run(sys.executable, "-m", "venv", str(venv))
    lock = ROOT / "requirements.lock"
    constraints = ["-c", str(lock)] if lock.is_file() else []
    _run(str(venv / "bin" / "pip"), "install", "-q", *constraints, str(wheel))

    flask = str(venv / "bin" / "flask")
    env = {"PATH": os.environ["PATH"], "HOME": str(tmp_path),
           "DATABASE_URL": f"sqlite:///{tmp_path / 'portal.sqlite'}"}
    outside = {"cwd": "/", "env": env}
    imported = _run(str(venv / "bin" / "python"), "-c",
                    "import config, portal; print(portal.asset_dir('templates'))", **outside)
    assert str(venv) in imported.stdout, "templates must come from the installed package"
    _run(flask, "--app", "portal", "db", "upgrade", **outside)
    demo = _run(flask, "--app", "portal", "demo", **outside)
    assert "admin@example.org" in demo.stdout + demo.stderr

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603
        [flask, "--app", "portal", "run", "--port", str(port)], **outside,
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                login = httpx.get(f"http://127.0.0.1:{port}/login", timeout=2)
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "the installed portal did not answer"
                time.sleep(0.2)
        assert login.status_code == 200 and "Logga in" in login.text
        css = httpx.get(f"http://127.0.0.1:{port}/static/css/portal.css", timeout=5)
        assert css.status_code == 200
        assert httpx.get(f"http://127.0.0.1:{port}/static/vendor/axe-core/axe.min.js",
                         timeout=5).status_code == 404, "axe-core is for the tests only"
    finally:
        server.terminate()
        server.wait(10)
