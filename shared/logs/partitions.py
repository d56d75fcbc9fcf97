"""Weekly partitions of `logs`: made ahead of time, dropped whole once past retention."""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from shared.platform.db import Conn
from shared.platform.errors import Internal

logger = logging.getLogger(__name__)

_NAME = re.compile(r"^logs_p(\d{8})$")

LIST = """
SELECT c.relname FROM pg_inherits i
JOIN pg_class c ON c.oid = i.inhrelid
WHERE i.inhparent = 'logs'::regclass
"""


def week_start(at: datetime | date) -> date:
    day = at.astimezone(UTC).date() if isinstance(at, datetime) else at
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Partition:
    name: str
    start: date

    @property
    def end(self) -> date:
        return self.start + timedelta(days=7)


def existing(conn: Conn) -> list[Partition]:
    found: list[Partition] = []
    for (name,) in conn.execute(LIST).fetchall():
        match = _NAME.match(name)
        if match is None:
            logger.warning("logs partition %s is not one of ours (logs_pYYYYMMDD); left alone", name)
            continue
        found.append(Partition(name=name, start=datetime.strptime(match.group(1), "%Y%m%d").date()))
    return sorted(found, key=lambda p: p.start)


def ensure(conn: Conn, *, weeks: list[date]) -> list[str]:
    """Make the partitions holding these weeks (idempotent); returns their names."""
    names: list[str] = []
    for week in sorted({week_start(w) for w in weeks}):
        row = conn.execute("SELECT logs_ensure_week_partition(%(d)s)", {"d": week}).fetchone()
        if row is None:
            raise Internal(f"logs_ensure_week_partition returned no row for {week}")
        names.append(str(row[0]))
    return names


def ensure_ahead(conn: Conn, *, now: datetime, weeks_ahead: int) -> list[str]:
    this_week = week_start(now)
    return ensure(conn, weeks=[this_week + timedelta(weeks=n) for n in range(weeks_ahead + 1)])


def expired(partitions: list[Partition], *, now: datetime, retention_days: int) -> list[Partition]:
    """Partitions whose every row is older than the retention (their end is at or before the cutoff)."""
    cutoff = (now.astimezone(UTC) - timedelta(days=retention_days)).date()
    return [p for p in partitions if p.end <= cutoff]


def drop(conn: Conn, partition: Partition) -> None:
    # DETACH first so a concurrent query on `logs` never waits on a DROP of the parent's child.
    conn.execute(f'ALTER TABLE logs DETACH PARTITION "{partition.name}"')
    conn.execute(f'DROP TABLE "{partition.name}"')
