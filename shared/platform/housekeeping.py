"""The hourly `retention` timer job: each context's table rules, then the result and dead streams.

User content (documents, notes, cards, media) is kept until its owner deletes it; what is
purged here is operational state, each kind after its own setting (docs/operations.md). The
contexts state their rules beside their tables; the registry hands them in as `rules`.
"""

from __future__ import annotations

import logging
from datetime import timedelta

from psycopg_pool import ConnectionPool
from redis import Redis

from shared.platform.clock import Clock
from shared.platform.db import Conn
from shared.platform.retention import RetentionSettings, TableRetention, purge_table, trim_older_than
from shared.platform.streams import RESULT_STREAMS, dead_key, stream_key

logger = logging.getLogger(__name__)


def retention_job(
    *,
    db: ConnectionPool[Conn],
    redis: Redis,
    clock: Clock,
    settings: RetentionSettings,
    prefix: str,
    rules: list[TableRetention],
    streams: tuple[str, ...],
) -> dict[str, object]:
    """`streams` are the request streams the registry drains: their dead letters are trimmed too."""
    now = clock.now()
    tables = {rule.table: purge_table(db, rule, now=now) for rule in rules}
    results_before = now - timedelta(hours=settings.result_stream_retention_hours)
    dead_before = now - timedelta(days=settings.dead_letter_retention_days)
    trimmed = {s: trim_older_than(redis, stream_key(prefix, s), cutoff=results_before) for s in RESULT_STREAMS}
    trimmed |= {f"{s}.dead": trim_older_than(redis, dead_key(prefix, s), cutoff=dead_before) for s in streams}
    logger.info("retention: deleted %s rows, trimmed %s stream entries", sum(tables.values()), sum(trimmed.values()))
    return {"rows_deleted": tables, "entries_trimmed": trimmed}
