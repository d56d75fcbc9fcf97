"""Retention: every operational table and stream forgets what is older than its setting.

A context states its rules beside its tables (`TableRetention`, a batched DELETE of rows older
than a cutoff); the `retention` timer applies them all, then trims the streams nobody reads to
the end (result streams) and the dead-letter streams by age. Stream entry ids start with their
time in milliseconds, so `XTRIM MINID` by a time is a trim by age. Request streams are trimmed
by their drains (`StreamConsumer.trim_acknowledged`), never past a pending entry.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool
from pydantic import Field, model_validator
from pydantic_settings import BaseSettings
from redis import Redis

from shared.platform.db import Conn

logger = logging.getLogger(__name__)

#: Rows deleted per statement, so a large purge never holds long locks or a huge transaction.
BATCH = 5000


class RetentionSettings(BaseSettings):
    session_retention_days: int = Field(default=30, alias="SESSION_RETENTION_DAYS", ge=1)
    login_attempt_retention_days: int = Field(default=30, alias="LOGIN_ATTEMPT_RETENTION_DAYS", ge=1)
    dedupe_retention_days: int = Field(default=30, alias="DEDUPE_RETENTION_DAYS", ge=2)
    delivery_retention_days: int = Field(default=90, alias="DELIVERY_RETENTION_DAYS", ge=31)
    sync_run_retention_days: int = Field(default=30, alias="SYNC_RUN_RETENTION_DAYS", ge=1)
    result_stream_retention_hours: int = Field(default=24, alias="RESULT_STREAM_RETENTION_HOURS", ge=1)
    #: A hard cap on each result stream, enforced on every publish (approximately, as Redis trims).
    result_stream_max_entries: int = Field(default=100_000, alias="RESULT_STREAM_MAX_ENTRIES", ge=100)
    dead_letter_retention_days: int = Field(default=14, alias="DEAD_LETTER_RETENTION_DAYS", ge=1)

    @model_validator(mode="after")
    def _dedupe_outlives_dead_letters(self) -> RetentionSettings:
        if self.dedupe_retention_days <= self.dead_letter_retention_days:
            raise ValueError("DEDUPE_RETENTION_DAYS must exceed DEAD_LETTER_RETENTION_DAYS (replays are deduplicated)")
        return self


@dataclass(frozen=True)
class TableRetention:
    """Rows of `table` older than `keep` go. `older_than` is a WHERE clause on `%(cutoff)s`."""

    table: str
    older_than: str
    keep: timedelta

    def batch_sql(self) -> str:
        return (
            f"DELETE FROM {self.table} WHERE ctid = ANY(ARRAY("
            f"SELECT ctid FROM {self.table} WHERE {self.older_than} LIMIT %(batch)s))"
        )


def purge_table(db: ConnectionPool[Conn], rule: TableRetention, *, now: datetime) -> int:
    """Delete in batches, one short transaction each; returns the rows deleted."""
    params = {"cutoff": now - rule.keep, "batch": BATCH}
    deleted = 0
    while True:
        with db.connection() as conn:
            count = conn.execute(rule.batch_sql(), params).rowcount
        deleted += count
        if count < BATCH:
            return deleted


def trim_older_than(redis: Redis, key: str, *, cutoff: datetime) -> int:
    """Drop the stream's entries added before `cutoff` (their ids start with the time in ms)."""
    cutoff_ms = max(int(cutoff.timestamp() * 1000), 0)
    return int(redis.xtrim(key, minid=f"{cutoff_ms}-0", approximate=False))
