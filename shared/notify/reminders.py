"""The reminders timer: publish what is due, claim what comes next, each step bounded.

1. Publish every delivery whose time has come (claimed earlier, scheduled, or left behind by a
   crashed run): one SELECT, then one Redis pipeline of chunked XADD scripts.
2. Claim reminders whose window opens by now + look-ahead (INSERT ... ON CONFLICT, the dedupe);
   the ones already due are published at once, the others wait for their edge.
3. Mark what was published. A run that dies before this leaves rows the next run publishes
   again; the handler locks the delivery row and sends only while it is `queued`, so a second
   message never becomes a second email.
A Redis lock keeps two overlapping timers from publishing the same rows twice in the first place.
"""

from __future__ import annotations

import logging
import time
import uuid
from dataclasses import dataclass
from datetime import timedelta

from psycopg_pool import ConnectionPool
from redis import Redis

from shared.notify.contracts import NotifyRequest
from shared.notify.store import claims
from shared.platform.clock import Clock
from shared.platform.db import Conn

logger = logging.getLogger(__name__)

LOCK_TTL_MS = 55_000
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


@dataclass(frozen=True)
class ReminderReport:
    published: int
    claimed_ahead: int
    published_ms: float  # from the start of the check until the last message was on the stream
    total_ms: float
    skipped: bool = False


def publish_payloads(redis: Redis, *, stream_key: str, payloads: list[str]) -> int:
    """XADD every `notify.request` body, a chunk per script call, all chunks in one pipeline."""
    if not payloads:
        return 0
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
    look_ahead: timedelta = timedelta(seconds=90),
) -> ReminderReport:
    started = time.perf_counter()
    lock, token = f"{stream_key}:reminders-lock", uuid.uuid4().hex
    if not redis.set(lock, token, nx=True, px=LOCK_TTL_MS):
        logger.info("reminders: another check is running; this one stands down")
        return ReminderReport(0, 0, 0.0, 0.0, skipped=True)
    try:
        now = clock.now()
        with db.connection() as conn:
            due = claims.due_now(conn, now=now, request_id=request_id)
        publish_payloads(redis, stream_key=stream_key, payloads=due.payloads)
        published_ms = (time.perf_counter() - started) * 1000
        with db.connection() as conn:
            fresh, ahead = claims.claim(
                conn, now=now, windows_hours=windows_hours, request_id=request_id, look_ahead=look_ahead
            )
        if fresh.payloads:
            publish_payloads(redis, stream_key=stream_key, payloads=fresh.payloads)
            published_ms = (time.perf_counter() - started) * 1000
        published = due.delivery_ids + fresh.delivery_ids
        if published:
            with db.connection() as conn:
                claims.mark_published(conn, delivery_ids=published, now=clock.now())
    finally:
        _release(redis, lock, token)
    if published or ahead:
        logger.info("reminders: published %d notify.request, claimed %d ahead", len(published), ahead)
    total_ms = (time.perf_counter() - started) * 1000
    return ReminderReport(len(published), ahead, published_ms, total_ms)


def _release(redis: Redis, lock: str, token: str) -> None:
    # Only our own lock: if it expired and another run took it, leave theirs alone.
    redis.eval("if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end", 1, lock, token)
