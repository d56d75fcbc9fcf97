"""Postgres access: one psycopg pool, built lazily by the composition root.

`prepare_threshold=None` turns server-side prepared statements off, which Neon's pooled
(PgBouncer, transaction mode) endpoint requires.
"""

from __future__ import annotations

from psycopg import Connection
from psycopg.rows import TupleRow
from psycopg_pool import ConnectionPool

Conn = Connection[TupleRow]


def connection_kwargs() -> dict[str, object]:
    return {"prepare_threshold": None, "autocommit": False}


def open_pool(url: str, *, max_size: int, min_size: int = 1, name: str = "studyaid") -> ConnectionPool[Conn]:
    pool: ConnectionPool[Conn] = ConnectionPool(
        url,
        min_size=min_size,
        max_size=max_size,
        kwargs=connection_kwargs(),
        name=name,
        open=False,
        check=ConnectionPool.check_connection,
    )
    pool.open(wait=True, timeout=30)
    return pool
