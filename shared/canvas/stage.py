"""The `canvas.sync` stream handler: runs a queued sync outside any request (`sync/run.py`).

It builds nothing: the database pool, the clock, the Canvas adapters (one HTTP client) and the
blob store and publisher the documents side needs all come from the `Container`.
"""

from __future__ import annotations

from shared.canvas.adapters.documents import ServiceDocuments
from shared.canvas.contracts import CanvasSyncRequest
from shared.canvas.store.runs import fail_unfinished_run
from shared.canvas.sync.run import execute_sync
from shared.container import Container
from shared.platform.drain import StageHandler
from shared.platform.messages import Message


def sync_handler(container: Container) -> StageHandler:
    def handle(message: Message) -> None:
        if not isinstance(message, CanvasSyncRequest):
            raise TypeError(f"expected CanvasSyncRequest, got {type(message).__name__}")
        execute_sync(
            request=message,
            db=container.db,
            clock=container.clock,
            canvas=lambda: container.canvas,
            documents=ServiceDocuments(blobs=container.blobs, publisher=container.publisher),
            settings=container.settings,
        )

    def dead(message: Message, code: str, error: str) -> None:
        if isinstance(message, CanvasSyncRequest):
            with container.db.connection() as conn:
                fail_unfinished_run(conn, run_id=message.sync_id, error=f"{code}: {error}", now=container.clock.now())

    return StageHandler(stream=CanvasSyncRequest.stream, message_type=CanvasSyncRequest, handle=handle, on_dead=dead)
