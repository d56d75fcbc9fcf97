"""The reminders timer: claim what is due in Postgres, then publish every claim in one pipeline."""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass

from psycopg_pool import ConnectionPool
from redis import Redis

from shared.notify import claims
from shared.notify.contracts import NotifyRequest
from shared.platform.clock import Clock
from shared.platform.db import Conn

logger = logging.getLogger(__name__)

#: A claim not marked published after this long is presumed lost with its process; claim it again.
RECLAIM_AFTER_S = 120


@dataclass(frozen=True)
class ReminderReport:
    published: int
    claim_ms: float
    publish_ms: float

    @property
    def total_ms(self) -> float:
        return self.claim_ms + self.publish_ms


#: XADD each argument after the first (the entries' `type`) as one entry. A chunk of messages
#: costs the client one command to build and parse, where a pipeline of XADDs costs one per
#: message (most of the time at 10,000).
_XADD_ALL = """
for i = 2, #ARGV do
    redis.call('XADD', KEYS[1], '*', 'type', ARGV[1], 'data', ARGV[i])
end
return #ARGV - 1
"""
CHUNK = 2_000


def publish_payloads(redis: Redis, *, stream_key: str, payloads: list[str]) -> int:
    """XADD every `notify.request` body, a chunk per script call, all chunks in one pipeline."""
    script = redis.register_script(_XADD_ALL)
    pipe = redis.pipeline(transaction=False)
    for start in range(0, len(payloads), CHUNK):
        script(keys=[stream_key], args=[NotifyRequest.stream, *payloads[start : start + CHUNK]], client=pipe)
    return sum(int(count) for count in pipe.execute())


def check_reminders(
    *,
    db: ConnectionPool[Conn],
    redis: Redis,
    stream_key: str,
    clock: Clock,
    windows_hours: list[int],
    request_id: str,
) -> ReminderReport:
    started = time.perf_counter()
    now = clock.now()
    with db.connection() as conn:
        claimed = claims.claim(
            conn, now=now, windows_hours=windows_hours, request_id=request_id, reclaim_after_s=RECLAIM_AFTER_S
        )
    claimed_at = time.perf_counter()
    if claimed.payloads:
        publish_payloads(redis, stream_key=stream_key, payloads=claimed.payloads)
    published_at = time.perf_counter()
    if claimed.delivery_ids:
        with db.connection() as conn:
            claims.mark_published(conn, delivery_ids=claimed.delivery_ids, now=clock.now())
        logger.info("reminders: published %d notify.request", len(claimed.payloads))
    return ReminderReport(
        published=len(claimed.payloads),
        claim_ms=(claimed_at - started) * 1000,
        publish_ms=(published_at - claimed_at) * 1000,
    )
