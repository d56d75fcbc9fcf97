"""Postgres access: one psycopg pool, built lazily by the composition root.

`prepare_threshold=None` turns server-side prepared statements off, which Neon's pooled
(PgBouncer, transaction mode) endpoint requires.

Round trips are most of a short read's cost, so the pool avoids the ones it can:
- a connection is checked (an empty query) on checkout only when it has been idle long enough
  to have been dropped by a server or a proxy (`IDLE_CHECK_AFTER_S`); a connection in steady
  use is handed out as it is, and one that died in between fails that request and is discarded;
- `reading()` lends a connection in autocommit, so a read is one round trip instead of
  BEGIN, the query and COMMIT.
"""

from __future__ import annotations

import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager, suppress

import psycopg
from psycopg import Connection
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

Conn = Connection[TupleRow]

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
        self._handed_out: weakref.WeakKeyDictionary[Conn, float] = weakref.WeakKeyDictionary()

    def check(self, conn: Conn) -> None:
        now = time.monotonic()
        last = self._handed_out.get(conn)
        if last is None or now - last > self._after_s:
            ConnectionPool.check_connection(conn)
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
