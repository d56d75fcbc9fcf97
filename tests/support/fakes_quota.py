"""Usage counters in a dict, so the real `QuotaGate` runs in unit tests without Postgres."""

from __future__ import annotations

import uuid
from datetime import date

from shared.quota.periods import Period, Window


class MemoryUsageCounters:
    def __init__(self) -> None:
        self.amounts: dict[tuple[uuid.UUID, str, Period, date], int] = {}

    def add_within_all(
        self, *, user_id: uuid.UUID, metric: str, amount: int, limits: list[tuple[Window, int]]
    ) -> Window | None:
        for window, limit in limits:
            if self.amounts.get((user_id, metric, window.period, window.start), 0) + amount > limit:
                return window
        self.add_all(user_id=user_id, metric=metric, amount=amount, windows=[window for window, _ in limits])
        return None

    def add_all(self, *, user_id: uuid.UUID, metric: str, amount: int, windows: list[Window]) -> None:
        for window in windows:
            key = (user_id, metric, window.period, window.start)
            self.amounts[key] = self.amounts.get(key, 0) + amount

    def used(self, *, user_id: uuid.UUID, starts: dict[Period, date]) -> dict[tuple[str, Period], int]:
        return {
            (metric, period): amount
            for (user, metric, period, start), amount in self.amounts.items()
            if user == user_id and starts.get(period) == start
        }
