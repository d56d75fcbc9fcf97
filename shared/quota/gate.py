"""The quota gate each stage asks before it spends: charge, check, record, report.

`charge` counts a known amount (pages, emails) against the day and the month in one
transaction, or counts nothing and raises `QuotaExceeded`. Amounts known only afterwards
(AI tokens, speech seconds) are checked against an estimate first (`require`) and recorded as
spent (`record`). The error names the limit and when it resets; the stage keeps it as its error.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from psycopg_pool import ConnectionPool

from shared.platform.clock import Clock
from shared.platform.db import Conn
from shared.platform.errors import QuotaExceeded
from shared.quota import store
from shared.quota.periods import PERIODS, Period, Window, windows
from shared.quota.settings import QuotaSettings

Metric = Literal["pages", "ai_tokens", "speech_seconds", "emails"]
METRICS: tuple[Metric, ...] = ("pages", "ai_tokens", "speech_seconds", "emails")
_LABELS: dict[Metric, str] = {
    "pages": "pages ingested",
    "ai_tokens": "AI tokens",
    "speech_seconds": "seconds of narration",
    "emails": "emails",
}


@dataclass(frozen=True)
class Usage:
    metric: Metric
    period: Period
    used: int
    limit: int
    resets_at: datetime


class QuotaGate:
    def __init__(self, *, db: ConnectionPool[Conn], settings: QuotaSettings, clock: Clock) -> None:
        self._db = db
        self._settings = settings
        self._clock = clock

    def limit(self, metric: Metric, period: Period) -> int:
        value: int = getattr(self._settings, f"quota_{metric}_{'daily' if period == 'day' else 'monthly'}")
        return value

    def charge(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None:
        """Count `amount` in both periods, or raise `QuotaExceeded` having counted nothing."""
        with self._db.connection() as conn:
            for window in windows(self._clock.now()).values():
                cap = self.limit(metric, window.period)
                if not store.add_within(conn, user_id=user_id, metric=metric, window=window, amount=amount, limit=cap):
                    raise self._exceeded(metric, window, amount)  # rolls the other period back

    def require(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None:
        """Raise `QuotaExceeded` when spending `amount` (an estimate) would pass a limit."""
        for usage in self.usage(user_id=user_id, metrics=(metric,)):
            if usage.used + amount > usage.limit:
                current = windows(self._clock.now())[usage.period]
                raise self._exceeded(metric, current, amount)

    def record(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None:
        """Count what was spent, limits or not (it has been spent)."""
        if amount <= 0:
            return
        with self._db.connection() as conn:
            for window in windows(self._clock.now()).values():
                store.add(conn, user_id=user_id, metric=metric, window=window, amount=amount)

    def usage(self, *, user_id: uuid.UUID, metrics: tuple[Metric, ...] = METRICS) -> list[Usage]:
        current = windows(self._clock.now())
        with self._db.connection() as conn:
            totals = store.used(conn, user_id=user_id, starts={p: w.start for p, w in current.items()})
        return [
            Usage(m, p, totals.get((m, p), 0), self.limit(m, p), current[p].resets_at) for m in metrics for p in PERIODS
        ]

    def _exceeded(self, metric: Metric, window: Window, amount: int) -> QuotaExceeded:
        limit = self.limit(metric, window.period)
        resets = window.resets_at.isoformat().replace("+00:00", "Z")
        period = "daily" if window.period == "day" else "monthly"
        return QuotaExceeded(
            f"this needs {amount} {_LABELS[metric]}, past the {period} quota of {limit}; it resets at {resets}",
            resets_at=resets,
            details={"metric": metric, "period": window.period, "limit": limit},
        )
