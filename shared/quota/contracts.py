"""What other contexts use of the quota: the metered resources, a usage line, and the gate's port."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Literal, Protocol

from shared.quota.periods import Period

Metric = Literal["pages", "ai_tokens", "speech_seconds", "emails"]
METRICS: tuple[Metric, ...] = ("pages", "ai_tokens", "speech_seconds", "emails")


@dataclass(frozen=True)
class Usage:
    metric: Metric
    period: Period
    used: int
    limit: int
    resets_at: datetime


class Quota(Protocol):
    """The gate a stage asks before it spends (`shared.quota.service.QuotaGate`)."""

    def charge(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None: ...

    def require(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None: ...

    def record(self, *, user_id: uuid.UUID, metric: Metric, amount: int) -> None: ...

    def usage(self, *, user_id: uuid.UUID, metrics: tuple[Metric, ...] = METRICS) -> list[Usage]: ...
