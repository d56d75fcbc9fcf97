"""The quota gate each stage asks before it spends: charge, check, record, report.

`charge` counts a known amount (pages, emails) against the day and the month in one
transaction, or counts nothing and raises `QuotaExceeded`. Amounts known only afterwards
(AI tokens, speech seconds) are checked against an estimate first (`require`) and recorded as
spent (`record`). The error names the limit and when it resets; the stage keeps it as its error.
"""

from __future__ import annotations

import uuid

from shared.platform.clock import Clock
from shared.platform.errors import QuotaExceeded
from shared.quota.contracts import METRICS, Metric, Usage
from shared.quota.periods import PERIODS, Period, Window, windows
from shared.quota.settings import QuotaSettings
from shared.quota.store import UsageCounters

_LABELS: dict[Metric, str] = {
    "pages": "pages ingested",
    "ai_tokens": "AI tokens",
    "speech_seconds": "seconds of narration",
    "emails": "emails",
}


class QuotaGate:
    def __init__(self, *, counters: UsageCounters, settings: QuotaSettings, clock: Clock) -> None:
        self._counters = counters
        self._settings = settings
        self._clock = clock

    def limit(self, metric: Metric, period: Period) -> int:
        value: int = getattr(self._settings, f"quota_{metric}_{'daily' if period == 'day' else 'monthly'}")
        return value

    def charge(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None:
        """Count `amount` in both periods, or raise `QuotaExceeded` having counted nothing."""
        limits = [(window, self.limit(metric, window.period)) for window in windows(self._clock.now()).values()]
        refused = self._counters.add_within_all(user_id=user_id, metric=metric, amount=amount, limits=limits)
        if refused is not None:
            raise self._exceeded(metric, refused, amount)

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
        current = list(windows(self._clock.now()).values())
        self._counters.add_all(user_id=user_id, metric=metric, amount=amount, windows=current)

    def usage(self, *, user_id: uuid.UUID, metrics: tuple[Metric, ...] = METRICS) -> list[Usage]:
        current = windows(self._clock.now())
        totals = self._counters.used(user_id=user_id, starts={p: w.start for p, w in current.items()})
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
