"""Use cases of the logs context: accept a batch, page through a query, purge past retention
(partitions ahead of time, whole partitions dropped)."""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from shared.logs import partitions, store
from shared.logs.contracts import LogBatch, LogPage
from shared.platform import paging
from shared.platform.db import Conn
from shared.platform.errors import InvalidArgument

logger = logging.getLogger(__name__)

#: Clock skew a sender may have; entries further in the future are refused.
MAX_FUTURE = timedelta(minutes=10)


def accept(*, batch: LogBatch, db: ConnectionPool[Conn], now: datetime, retention_days: int) -> int:
    oldest = now - timedelta(days=retention_days)
    rows: list[store.Row] = []
    for index, entry in enumerate(batch.entries):
        ts = entry.ts or now
        if not oldest <= ts <= now + MAX_FUTURE:
            raise InvalidArgument(
                f"entries[{index}].ts {ts.isoformat()} is outside the accepted range",
                details={"index": index, "oldest": oldest.isoformat(), "latest": (now + MAX_FUTURE).isoformat()},
            )
        rows.append(store.Row(ts, entry.service, entry.level, entry.message, entry.context, entry.request_id))
    with db.connection() as conn:
        return store.insert(conn, rows)


def encode_cursor(ts: datetime, row_id: int) -> str:
    return paging.encode_cursor(ts.isoformat(), str(row_id))


def decode_cursor(cursor: str) -> tuple[datetime, int]:
    ts_text, id_text = paging.decode_cursor(cursor, parts=2)
    try:
        return datetime.fromisoformat(ts_text), int(id_text)
    except ValueError as exc:
        raise paging.invalid_cursor() from exc


def page(*, db: ConnectionPool[Conn], where: store.LogFilter) -> LogPage:
    probe = store.LogFilter(**{**vars(where), "limit": where.limit + 1})
    with db.connection() as conn:
        rows = store.query(conn, probe)
    items, next_cursor = paging.page_of(rows, limit=where.limit, cursor_of=lambda row: encode_cursor(row.ts, row.id))
    return LogPage(items=items, next_cursor=next_cursor)


def purge_logs(*, db: ConnectionPool[Conn], now: datetime, retention_days: int, weeks_ahead: int) -> dict[str, object]:
    with db.connection() as conn:
        created = partitions.ensure_ahead(conn, now=now, weeks_ahead=weeks_ahead)
        old = partitions.expired(partitions.existing(conn), now=now, retention_days=retention_days)
        for partition in old:
            partitions.drop(conn, partition)
    store.forget_known_partitions()
    dropped = [p.name for p in old]
    logger.info("log purge: dropped %d partitions older than %d days", len(dropped), retention_days)
    return {"dropped": dropped, "ensured": created}
