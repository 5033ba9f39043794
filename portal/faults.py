"""Fault injection for the crash tests: a process stops at a named point until it is killed.

The crash tests (tests/backup/test_crash.py) kill `flask import` with SIGKILL at a known
moment instead of guessing one with a timer: inside the import's transaction after it has
written some rows, or just after its commit. They switch a point on through the environment:

    PORTAL_FAULT_PAUSE=import-rows:200   stop once the import has written 200 rows
    PORTAL_FAULT_PAUSE=import-committed  stop right after the import's commit
    PORTAL_FAULT_MARKER=/tmp/…/paused    the file written when the process has stopped

Stopped, the process writes its id to the marker file and waits for a signal that never comes.

**Inert in production**: without PORTAL_FAULT_PAUSE nothing happens (one environment look-up
per call), and with `PORTAL_ENV=production` the variable is ignored. Nothing in the portal
sets these variables.
"""

from __future__ import annotations

import os
import threading
from pathlib import Path

POINTS = ("import-rows", "import-committed")


def pause_at(point: str, reached: int = 0) -> None:
    """Stop here for good when the environment asks for this point (and `reached` is at
    least the number it names); otherwise return at once."""
    setting = os.environ.get("PORTAL_FAULT_PAUSE")
    if not setting or os.environ.get("PORTAL_ENV") == "production":
        return
    name, _, after = setting.partition(":")
    if name != point or reached < int(after or 0):
        return
    marker = Path(os.environ["PORTAL_FAULT_MARKER"])
    temporary = marker.with_name(marker.name + ".part")
    temporary.write_text(str(os.getpid()), encoding="utf-8")
    temporary.replace(marker)  # the test sees the whole file or none
    threading.Event().wait()  # until the test kills the process
