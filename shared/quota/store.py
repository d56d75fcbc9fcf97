"""SQL for usage counters: add within a limit (one statement per period), add anyway, read."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Protocol

from psycopg_pool import ConnectionPool

from shared.platform.db import Conn
from shared.quota.periods import Period, Window

_ADD_WITHIN = """
INSERT INTO usage_counters (user_id, metric, period, period_start, amount)
SELECT %(user_id)s, %(metric)s, %(period)s, %(start)s, %(amount)s WHERE %(amount)s <= %(limit)s
ON CONFLICT (user_id, metric, period, period_start) DO UPDATE
   SET amount = usage_counters.amount + EXCLUDED.amount
 WHERE usage_counters.amount + EXCLUDED.amount <= %(limit)s
RETURNING amount
"""

_ADD = """
INSERT INTO usage_counters (user_id, metric, period, period_start, amount)
VALUES (%(user_id)s, %(metric)s, %(period)s, %(start)s, %(amount)s)
ON CONFLICT (user_id, metric, period, period_start) DO UPDATE
   SET amount = usage_counters.amount + EXCLUDED.amount
"""


def _params(user_id: uuid.UUID, metric: str, window: Window, amount: int) -> dict[str, object]:
    return {"user_id": user_id, "metric": metric, "period": window.period, "start": window.start, "amount": amount}


def add_within(conn: Conn, *, user_id: uuid.UUID, metric: str, window: Window, amount: int, limit: int) -> bool:
    """Add `amount` unless the period's total would pass `limit`; True when added."""
    params = _params(user_id, metric, window, amount) | {"limit": limit}
    return conn.execute(_ADD_WITHIN, params).fetchone() is not None


def add(conn: Conn, *, user_id: uuid.UUID, metric: str, window: Window, amount: int) -> None:
    conn.execute(_ADD, _params(user_id, metric, window, amount))


def used(conn: Conn, *, user_id: uuid.UUID, starts: dict[Period, date]) -> dict[tuple[str, Period], int]:
    """The user's totals in the periods starting at `starts`, by (metric, period)."""
    rows = conn.execute(
        "SELECT metric, period, amount FROM usage_counters WHERE user_id = %(user_id)s"
        " AND ((period = 'day' AND period_start = %(day)s) OR (period = 'month' AND period_start = %(month)s))",
        {"user_id": user_id, "day": starts["day"], "month": starts["month"]},
    ).fetchall()
    return {(metric, period): int(amount) for metric, period, amount in rows}


class UsageCounters(Protocol):
    """The counters the gate reads and adds to (`PgUsageCounters`; a dict in unit tests)."""

    def add_within_all(
        self, *, user_id: uuid.UUID, metric: str, amount: int, limits: list[tuple[Window, int]]
    ) -> Window | None:
        """Add `amount` in every window within its limit, all or none: the window that refused, or None."""
        ...

    def add_all(self, *, user_id: uuid.UUID, metric: str, amount: int, windows: list[Window]) -> None: ...

    def used(self, *, user_id: uuid.UUID, starts: dict[Period, date]) -> dict[tuple[str, Period], int]: ...


class _Refused(Exception):
    def __init__(self, window: Window) -> None:
        super().__init__(window.period)
        self.window = window


class PgUsageCounters:
    """`UsageCounters` in Postgres; a refusal rolls back what the same call added."""

    def __init__(self, db: ConnectionPool[Conn]) -> None:
        self._db = db

    def add_within_all(
        self, *, user_id: uuid.UUID, metric: str, amount: int, limits: list[tuple[Window, int]]
    ) -> Window | None:
        try:
            with self._db.connection() as conn:
                for window, limit in limits:
                    if not add_within(conn, user_id=user_id, metric=metric, window=window, amount=amount, limit=limit):
                        raise _Refused(window)  # leaving the block rolls the other period back
        except _Refused as refused:
            return refused.window
        return None

    def add_all(self, *, user_id: uuid.UUID, metric: str, amount: int, windows: list[Window]) -> None:
        with self._db.connection() as conn:
            for window in windows:
                add(conn, user_id=user_id, metric=metric, window=window, amount=amount)

    def used(self, *, user_id: uuid.UUID, starts: dict[Period, date]) -> dict[tuple[str, Period], int]:
        with self._db.connection() as conn:
            return used(conn, user_id=user_id, starts=starts)
