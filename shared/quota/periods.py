"""The UTC day and month a use falls in, and when each period's quota resets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Literal

Period = Literal["day", "month"]
PERIODS: tuple[Period, ...] = ("day", "month")


@dataclass(frozen=True)
class Window:
    period: Period
    start: date
    resets_at: datetime


def windows(now: datetime) -> dict[Period, Window]:
    today = now.astimezone(UTC).date()
    first = today.replace(day=1)
    next_month = (first + timedelta(days=32)).replace(day=1)
    return {
        "day": Window("day", today, _midnight(today + timedelta(days=1))),
        "month": Window("month", first, _midnight(next_month)),
    }


def _midnight(day: date) -> datetime:
    return datetime.combine(day, time(0), tzinfo=UTC)
