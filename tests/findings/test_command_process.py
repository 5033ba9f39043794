"""`flask analyze` as a new process: it builds the app without the pages, and finds the same."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date

import pytest
from sqlalchemy import delete

from portal.extensions import db as _db
from portal.findings import services
from portal.models import AnalysisResult
from tests.helpers import sqlite_copy

AS_OF = date(2026, 11, 23)


@pytest.fixture
def database(db, demo, test_config, tmp_path):
    """The demo's database as a new process reaches it: the worker's, or a copy in a file."""
    url = test_config.SQLALCHEMY_DATABASE_URI
    if url.startswith("sqlite"):
        url = sqlite_copy(db, tmp_path / "command.sqlite")
    return url


def _flask(url: str, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, DATABASE_URL=url, FLASK_APP="portal", PORTAL_ENV="development")
    return subprocess.run(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "flask", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_analyze_in_a_new_process_finds_what_the_portal_finds(database):
    """The command's app has no pages, yet its findings are the portal's, byte for byte."""
    expected = services.findings(AS_OF, "sv")
    _db.session.execute(delete(AnalysisResult))  # the new process must analyse, not read
    _db.session.commit()
    done = _flask(database, "--app", "portal", "analyze", "--json", "--as-of", AS_OF.isoformat())
    assert done.returncode == 0, done.stderr
    assert done.stdout == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"


def test_other_commands_still_see_every_page(database):
    """`flask routes` (any command but the analysis) builds the whole portal."""
    done = _flask(database, "routes")
    assert done.returncode == 0, done.stderr
    for path in ("/analys", "/forum/<key>", "/health"):
        assert path in done.stdout


@pytest.mark.parametrize(
    "value",
    [
        {},
        [],
        {"a": [], "b": {}, "c": [[], [{}]]},
        [1, 2.5, -0.0, 1e300, True, False, None, 2**70],
        'quote " backslash \\ newline \n å \u2028 \x00',
        {"not finite": float("nan")},
        {1: "a number as key"},
        (1, ("tuple", "in tuple")),
    ],
)
def test_the_printed_document_is_standard_indented_json(value):
    """`flask analyze --json` prints exactly what `json.dumps(..., indent=2)` would."""
    from portal.findings.cli import indented_json

    assert indented_json(value) == json.dumps(value, ensure_ascii=False, indent=2)
