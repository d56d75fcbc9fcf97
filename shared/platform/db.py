"""Postgres access: one psycopg pool, built lazily by the composition root.

`prepare_threshold=None` turns server-side prepared statements off, which Neon's pooled
(PgBouncer, transaction mode) endpoint requires.

Round trips are most of a short read's cost, so the pool avoids the ones it can:
- a connection is checked (an empty query) on checkout only when it has been idle long enough
  to have been dropped by a server or a proxy (`IDLE_CHECK_AFTER_S`); a connection in steady
  use is handed out as it is, and one that died in between fails that request and is discarded;
- `reading()` lends a connection in autocommit, so a read is one round trip instead of
  BEGIN, the query and COMMIT.

The gateway's read paths use an `AsyncConnectionPool` (`open_async_pool`, `async_reading`) so a
read never leaves the event loop for a worker thread. Its connections are in autocommit for
good: it serves reads and single-statement writes (the session touch) only. An async pool is
bound to the loop it was opened on; the composition root keeps one per running loop.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import AsyncIterator, Iterator
from contextlib import asynccontextmanager, contextmanager, suppress

import psycopg
from psycopg import AsyncConnection, Connection
from psycopg.rows import TupleRow
from psycopg_pool import AsyncConnectionPool, ConnectionPool

Conn = Connection[TupleRow]
AsyncConn = AsyncConnection[TupleRow]
AsyncPool = AsyncConnectionPool[AsyncConn]

IDLE_CHECK_AFTER_S = 5.0


def connection_kwargs() -> dict[str, object]:
    return {"prepare_threshold": None, "autocommit": False}


class IdleCheck:
    """The pool's `check` hook: a round trip only for a connection not handed out for more than
    `after_s`.

    Time is counted from the previous checkout, not from the return (a `reset` hook would see
    returns, but psycopg_pool then hands every return to a worker thread): that overstates
    idleness by the time the connection was in use, so it errs towards checking."""

    def __init__(self, after_s: float = IDLE_CHECK_AFTER_S) -> None:
        self._after_s = after_s
        self._handed_out: weakref.WeakKeyDictionary[Conn | AsyncConn, float] = weakref.WeakKeyDictionary()

    def check(self, conn: Conn) -> None:
        now = time.monotonic()
        last = self._handed_out.get(conn)
        if last is None or now - last > self._after_s:
            ConnectionPool.check_connection(conn)
        self._handed_out[conn] = now

    async def check_async(self, conn: AsyncConn) -> None:
        now = time.monotonic()
        last = self._handed_out.get(conn)
        if last is None or now - last > self._after_s:
            await AsyncConnectionPool.check_connection(conn)
        self._handed_out[conn] = now


def open_pool(
    url: str,
    *,
    max_size: int,
    min_size: int = 1,
    name: str = "studyaid",
    idle_check_after_s: float = IDLE_CHECK_AFTER_S,
) -> ConnectionPool[Conn]:
    idle = IdleCheck(idle_check_after_s)
    pool: ConnectionPool[Conn] = ConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs=connection_kwargs(),
        name=name,
        open=False,
        check=idle.check,
    )
    pool.open(wait=True, timeout=30)
    return pool


@contextmanager
def reading(pool: ConnectionPool[Conn]) -> Iterator[Conn]:
    """A pooled connection in autocommit: each statement commits on its own, with no BEGIN or
    COMMIT round trip. For reads and single-statement writes; `conn.transaction()` still
    groups several statements when needed."""
    with pool.connection() as conn:
        conn.autocommit = True
        try:
            yield conn
        finally:
            with suppress(psycopg.Error):  # a broken connection is discarded by the pool anyway
                conn.autocommit = False


async def open_async_pool(
    url: str,
    *,
    max_size: int,
    min_size: int = 1,
    name: str = "studyaid-async",
    idle_check_after_s: float = IDLE_CHECK_AFTER_S,
) -> AsyncPool:
    """An async pool on the running loop, opened and filled to `min_size`; connections in autocommit."""
    idle = IdleCheck(idle_check_after_s)
    pool: AsyncPool = AsyncConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs={"prepare_threshold": None, "autocommit": True},
        name=name,
        open=False,
        check=idle.check_async,
    )
    await pool.open(wait=True, timeout=30)
    return pool


@asynccontextmanager
async def async_reading(pool: AsyncPool) -> AsyncIterator[AsyncConn]:
    """A pooled async connection in autocommit: each statement is one round trip."""
    async with pool.connection() as conn:
        yield conn


def discard_async_pool(pool: AsyncPool) -> None:
    """Close the idle connections of a pool whose loop is gone (it cannot be awaited any more)."""
    for conn in list(pool._pool):  # no public way to reach them without their loop
        conn.pgconn.finish()
