"""The shapes of work the Functions app triggers besides streams: a new raw blob, a timer job.

Contexts build handlers of these shapes in their `stage.py`; the registry plugs them in. They
live here, below both, so neither has to import the other to name them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class RawBlob:
    """A new blob in `raw/{user_id}/{doc_id}/{name}`."""

    user_id: str
    doc_id: str
    name: str
    path: str


RawBlobHandler = Callable[[RawBlob], None]
#: One run of a timer; what it returns is logged with the run.
TimerJob = Callable[[], dict[str, object]]
