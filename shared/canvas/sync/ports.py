"""What one sync run works with, passed in whole (built by `run.execute_sync` from the stage's ports)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

from psycopg_pool import ConnectionPool
from pydantic import ValidationError

from shared.canvas.adapters import DocumentSink
from shared.canvas.adapters.client import CanvasClient
from shared.canvas.contracts import Failure, SyncResult
from shared.canvas.errors import CanvasError
from shared.platform.clock import Clock
from shared.platform.db import Conn

T = TypeVar("T")


@dataclass
class SyncPorts:
    pool: ConnectionPool[Conn]
    client: CanvasClient
    documents: DocumentSink
    clock: Clock
    per_page: int = 50
    max_file_bytes: int = 50 * 1024 * 1024


def guarded(result: SyncResult, failure: Failure, work: Callable[[], T]) -> T | None:
    """Run one part of a sync; a Canvas refusal or malformed answer is recorded, not raised."""
    try:
        return work()
    except CanvasError as exc:
        result.failures.append(failure.model_copy(update={"code": exc.code, "reason": exc.reason}))
    except ValidationError as exc:
        reason = f"Canvas sent data this service cannot read ({exc.error_count()} problems)"
        result.failures.append(failure.model_copy(update={"code": "CANVAS_BAD_DATA", "reason": reason}))
    return None
