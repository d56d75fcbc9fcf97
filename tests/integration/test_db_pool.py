"""The pool's round-trip savings and what they cost: autocommit reads commit and hand the
connection back as it was; a connection idle past the threshold is checked before it is handed
out, and one in steady use is not (a drop then fails one request, and the pool replaces it)."""

from __future__ import annotations

import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager

import psycopg
import pytest
from psycopg_pool import ConnectionPool

from shared.platform.db import Conn, open_pool, reading

Pool = ConnectionPool[Conn]


def test_reading_commits_each_statement_and_returns_a_transactional_connection(database_url: str) -> None:
    pool = open_pool(database_url, max_size=1)
    table = f"t_{uuid.uuid4().hex[:8]}"
    try:
        with reading(pool) as conn:
            assert conn.autocommit
            conn.execute(f"CREATE TABLE {table} (n int)")
            conn.execute(f"INSERT INTO {table} VALUES (1)")
            assert conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE
        with psycopg.connect(database_url) as other:  # committed without a COMMIT from us
            assert other.execute(f"SELECT n FROM {table}").fetchall() == [(1,)]
        with pool.connection() as conn:  # the same (only) connection, transactional again
            assert not conn.autocommit
            conn.execute(f"INSERT INTO {table} VALUES (2)")
            assert conn.info.transaction_status == psycopg.pq.TransactionStatus.INTRANS
    finally:
        with psycopg.connect(database_url, autocommit=True) as admin:
            admin.execute(f"DROP TABLE IF EXISTS {table}")
        pool.close()


def test_a_failed_statement_in_reading_leaves_the_pool_usable(database_url: str) -> None:
    pool = open_pool(database_url, max_size=1)
    try:
        with pytest.raises(psycopg.errors.DivisionByZero), reading(pool) as conn:
            conn.execute("SELECT 1 / 0")
        with pool.connection() as conn:
            assert conn.execute("SELECT 2").fetchone() == (2,)
    finally:
        pool.close()


@contextmanager
def _pool_whose_connection_was_killed(url: str, *, idle_check_after_s: float) -> Iterator[tuple[Pool, int]]:
    """A one-connection pool whose connection the server terminated after it was returned."""
    pool = open_pool(url, max_size=1, idle_check_after_s=idle_check_after_s)
    try:
        with pool.connection() as conn:
            killed = conn.info.backend_pid
        with psycopg.connect(url, autocommit=True) as admin:
            admin.execute("SELECT pg_terminate_backend(%s)", (killed,))
        yield pool, killed
    finally:
        pool.close()


def test_a_connection_dropped_while_idle_is_replaced_on_checkout(database_url: str) -> None:
    with _pool_whose_connection_was_killed(database_url, idle_check_after_s=0.2) as (pool, killed):
        time.sleep(0.3)  # idle past the threshold: checked on checkout, found dead, replaced
        with reading(pool) as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            assert conn.info.backend_pid != killed


def test_a_connection_in_steady_use_is_handed_out_without_a_check(database_url: str) -> None:
    with _pool_whose_connection_was_killed(database_url, idle_check_after_s=60) as (pool, killed):
        # Used a moment ago, so no round trip is spent checking it: the request that gets it
        # fails (and the pool discards the connection) ...
        with pytest.raises(psycopg.OperationalError), pool.connection() as conn:
            conn.execute("SELECT 1")
        # ... and the next checkout gets a fresh one.
        with pool.connection() as conn:
            assert conn.execute("SELECT 1").fetchone() == (1,)
            assert conn.info.backend_pid != killed
