"""Building or copying a whole store (a snapshot, a restore, a reset to a baseline) without
the cyclic garbage collector.

Those builds allocate millions of containers, and every 700 allocations the collector walks
the young generation, regularly the whole heap: at 50k users that made a restore take about
twice as long. Nothing they build is garbage until it is swapped out, so the collector has
nothing to find meanwhile; reference counting still frees everything acyclic. The pause is
process-wide, so it is counted: overlapping bulk builds (two threads resetting) restore the
collector once the last one ends, and only if it was on when the first began.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Iterator
from contextlib import contextmanager

_lock = threading.Lock()
_depth = 0
_was_enabled = False


@contextmanager
def collector_paused() -> Iterator[None]:
    global _depth, _was_enabled
    with _lock:
        if _depth == 0:
            _was_enabled = gc.isenabled()
            gc.disable()
        _depth += 1
    try:
        yield
    finally:
        with _lock:
            _depth -= 1
            if _depth == 0 and _was_enabled:
                gc.enable()
