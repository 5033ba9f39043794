"""Gunicorn's settings for `make serve` (`gunicorn -c python:portal.serving`).

The app is loaded once in the master (`preload_app`), and what loading it made — modules,
templates, the catalogues, some 136,000 objects — is frozen (`gc.freeze`) before the workers
fork: the collector of each worker then never walks them again (a full collection of a
freshly created app, ~139,000 tracked objects: 0.7-1.8 s on the shared two-core build machine
under load, 0.0 ms with them frozen), and their pages stay shared between the workers instead
of being copied when the collector touches them. Nothing is frozen later: in a worker that
would keep requests' objects alive.
"""

from __future__ import annotations

import gc

preload_app = True


def when_ready(_server) -> None:
    """In the master, with the app loaded and before the first worker forks."""
    gc.collect()
    gc.freeze()


def post_fork(server, _worker) -> None:
    """A worker opens database connections of its own; none are shared with the master."""
    from portal.extensions import db

    with server.app.wsgi().app_context():
        db.engine.dispose(close=False)
