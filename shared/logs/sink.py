"""Ship this process's own log records into the `logs` table, batched in the background.

stdout stays the primary channel (Application Insights reads it in Azure); this copy is what
`GET /v1/logs/query` finds by request id. Records are formatted by the platform's
`JsonFormatter`, so both channels hold the same shape. A failing database never blocks or
breaks logging: a batch that cannot be written is counted and dropped.
"""

from __future__ import annotations

import json
import logging
import sys
import threading
from collections import deque
from datetime import datetime

from psycopg_pool import ConnectionPool

from shared.logs import store
from shared.platform.db import Conn
from shared.platform.logging import JsonFormatter

#: Loggers whose records would recurse through the sink (the database driver itself).
_SKIP_PREFIXES = ("psycopg", "shared.logs.sink")


class DbLogSink(logging.Handler):
    def __init__(self, *, pool: ConnectionPool[Conn], service: str, level: str, interval_s: float = 1.0) -> None:
        super().__init__(level=level.upper())
        self.pool = pool
        self.setFormatter(JsonFormatter(service))
        self.pending: deque[store.Row] = deque(maxlen=20_000)
        self.dropped = 0
        self._interval_s = interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="log-sink", daemon=True)
        self._thread.start()

    def emit(self, record: logging.LogRecord) -> None:
        if record.name.startswith(_SKIP_PREFIXES) or threading.current_thread() is self._thread:
            return
        line = json.loads(self.format(record))
        self.pending.append(
            store.Row(
                ts=datetime.fromisoformat(line["ts"]),
                service=line["service"],
                level=line["level"],
                message=line["message"][:8_192],
                context=line["context"],
                request_id=line["request_id"],
            )
        )

    def flush(self) -> None:
        rows = [self.pending.popleft() for _ in range(len(self.pending))]
        if not rows:
            return
        try:
            with self.pool.connection() as conn:
                store.insert(conn, rows)
        # The sink's boundary: whatever the database does, logging goes on (stdout still has it).
        except Exception as exc:
            self.dropped += len(rows)
            print(f"log sink: dropped {len(rows)} records: {exc}", file=sys.stderr)  # noqa: T201

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.flush()
        super().close()

    def _run(self) -> None:
        while not self._stop.wait(self._interval_s):
            self.flush()


_installed: DbLogSink | None = None
_install_lock = threading.Lock()


def install(*, pool: ConnectionPool[Conn], service: str, level: str) -> DbLogSink:
    """Attach the sink to the root logger once per process; later calls return it."""
    global _installed
    with _install_lock:
        if _installed is None:
            _installed = DbLogSink(pool=pool, service=service, level=level)
            logging.getLogger().addHandler(_installed)
        return _installed


def uninstall() -> None:
    global _installed
    with _install_lock:
        if _installed is not None:
            logging.getLogger().removeHandler(_installed)
            _installed.close()
            _installed = None
