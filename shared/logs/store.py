"""SQL of the logs context: batched inserts (COPY) and the filtered, cursor-paged query."""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass
from datetime import date, datetime

from psycopg.rows import class_row

from shared.logs import partitions
from shared.logs.contracts import LogRecord
from shared.platform.db import Conn


@dataclass(frozen=True)
class Row:
    ts: datetime
    service: str
    level: str
    message: str
    context: dict[str, object]
    request_id: str | None


_known_weeks: set[tuple[str, date]] = set()
_known_lock = threading.Lock()


def _ensure_weeks(conn: Conn, rows: list[Row]) -> None:
    """Partitions for these rows' weeks; remembered per database so a hot path costs nothing."""
    database = str(conn.info.dbname)
    weeks = {partitions.week_start(row.ts) for row in rows}
    with _known_lock:
        missing = [w for w in weeks if (database, w) not in _known_weeks]
    if missing:
        partitions.ensure(conn, weeks=missing)
        with _known_lock:
            _known_weeks.update((database, w) for w in missing)


def insert(conn: Conn, rows: list[Row]) -> int:
    if not rows:
        return 0
    _ensure_weeks(conn, rows)
    with (
        conn.cursor() as cur,
        cur.copy("COPY logs (ts, service, level, message, context, request_id) FROM STDIN") as copy,
    ):
        for row in rows:
            context = json.dumps(row.context, default=str)
            copy.write_row((row.ts, row.service, row.level, row.message, context, row.request_id))
    return len(rows)


def forget_known_partitions() -> None:
    """After partitions were dropped, make the next insert check again."""
    with _known_lock:
        _known_weeks.clear()


@dataclass(frozen=True)
class LogFilter:
    service: str | None = None
    levels: list[str] | None = None
    since: datetime | None = None
    until: datetime | None = None
    request_id: str | None = None
    before: tuple[datetime, int] | None = None  # the cursor: rows strictly older than this (ts, id)
    limit: int = 100


QUERY = """
SELECT id, ts, service, level, message, context, request_id FROM logs
WHERE (%(service)s::text IS NULL OR service = %(service)s)
  AND (%(levels)s::text[] IS NULL OR level = ANY(%(levels)s::text[]))
  AND (%(since)s::timestamptz IS NULL OR ts >= %(since)s)
  AND (%(until)s::timestamptz IS NULL OR ts < %(until)s)
  AND (%(request_id)s::text IS NULL OR request_id = %(request_id)s)
  AND (%(before_ts)s::timestamptz IS NULL OR (ts, id) < (%(before_ts)s::timestamptz, %(before_id)s::bigint))
ORDER BY ts DESC, id DESC
LIMIT %(limit)s
"""


def query(conn: Conn, where: LogFilter) -> list[LogRecord]:
    params = {
        "service": where.service,
        "levels": where.levels,
        "since": where.since,
        "until": where.until,
        "request_id": where.request_id,
        "before_ts": where.before[0] if where.before else None,
        "before_id": where.before[1] if where.before else None,
        "limit": where.limit,
    }
    with conn.cursor(row_factory=class_row(LogRecord)) as cur:
        return cur.execute(QUERY, params).fetchall()
