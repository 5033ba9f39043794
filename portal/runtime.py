"""Process-level helpers that keep start-up and large computations fast."""

from __future__ import annotations

import atexit
import functools
import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Hold back the cyclic garbage collector while a large, acyclic structure is built.

    Building the national map (tens of thousands of dicts and tuples) or importing the portal's
    modules allocates far more objects than it frees, so CPython runs full collections again and
    again that find nothing; pausing the collector takes about a third off those steps. Reference
    counting still frees everything as usual, and the collector runs again afterwards.

    Nothing is ever frozen here (`gc.freeze`): in a request that would keep the request's own
    objects, ORM rows with their reference cycles included, out of the collector's reach for
    the life of the worker.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


@functools.cache  # once per process, however many apps it builds
def skip_final_collection() -> None:
    """Leave the objects alive at exit to the operating system instead of collecting them.

    At exit CPython runs full collections over everything still loaded (Flask, SQLAlchemy, the
    models), which took about a quarter of a second of every `flask` command here. Freezing
    the heap at exit moves those objects out of the collector's sight; open files and
    connections are still closed by reference counting and the normal exit handlers.
    """
    atexit.register(gc.freeze)


def collector_off_for_this_command() -> None:
    """Turn the cyclic collector off for the whole of a process that runs one command and
    exits (`flask analyze`, see `portal.COMMANDS_WITHOUT_PAGES`).

    Turned on again after the app is built, the collector first walked the hundreds of
    thousands of objects the imports made, and again after the analysis its result; in a
    process that ends a moment later that freed nothing and took ~30 ms of the command
    (`gc_paused` leaves it off when it found it off). The command's memory goes back to the
    system when it exits. Never used where the portal serves pages: a worker lives long.
    """
    gc.disable()
