"""Process-level helpers that keep start-up and large computations fast."""

from __future__ import annotations

import atexit
import functools
import gc
import time
from collections.abc import Iterator
from contextlib import contextmanager

LARGE_BUILD_S = 0.05  # a build that took this long made enough objects to be worth freezing


@contextmanager
def gc_paused(keep: bool = False) -> Iterator[None]:
    """Hold back the cyclic garbage collector while a large, acyclic structure is built.

    Building the national map (tens of thousands of dicts and tuples) or importing the portal's
    modules allocates far more objects than it frees, so CPython runs full collections again and
    again that find nothing; pausing the collector takes about a third off those steps. Reference
    counting still frees everything as usual, and the collector runs again afterwards.

    `keep=True` is for structures kept in a cache for a long time: after a large build the
    garbage is collected once and every object then alive is frozen (`gc.freeze`), so later full
    collections do not walk the cached map again. Without it a worker holding the national map
    stalled for about a second now and then. Frozen objects are still freed by reference
    counting when the cache lets them go (the map holds no cycles). Small builds (the demo, the
    test suite's maps) are not frozen.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    started = time.perf_counter()
    try:
        yield
    finally:
        if keep and time.perf_counter() - started >= LARGE_BUILD_S:
            gc.collect()
            gc.freeze()
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
