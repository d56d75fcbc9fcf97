"""Keep the garbage collector's full collections off the heap a process starts with.

A gateway process holds a few hundred thousand long-lived objects once its modules are imported
(routes, pydantic schemas and validators, SQL, settings). CPython's full (generation 2)
collection walks every tracked object, so on that heap each one took ~78 ms, and under load one
runs every few thousand requests: every request in flight stalls behind it (flat out, the
document list's P95 was 128 ms against the raw-ASGI reference's 49 ms). `gc.freeze()` moves
what exists at start-up into a permanent generation that collections skip; a full collection
then took 2-3 ms and the list's P95 fell to 56 ms (bench/RESULTS.md, "gc.freeze").

What is frozen is never collected, so this runs once per process, after start-up and before
serving, in the entry points that serve (`process_app`, `function_app.py`) and not in the
apps tests build by the hundred.
"""

from __future__ import annotations

import gc

_frozen = False


def freeze_startup_heap() -> int:
    """Collect what start-up left behind, then freeze the rest, once per process (a second app in
    the same process, as the local runner and some tests build, adds nothing); returns how many
    objects are frozen."""
    global _frozen
    if not _frozen:
        gc.collect()
        gc.freeze()
        _frozen = True
    return gc.get_freeze_count()
