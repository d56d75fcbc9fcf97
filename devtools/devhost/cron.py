"""A small NCRONTAB reader (six fields, seconds first), enough for the app's own timers."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

_RANGES = ((0, 59), (0, 59), (0, 23), (1, 31), (1, 12), (0, 6))


def _field(spec: str, low: int, high: int) -> frozenset[int]:
    values: set[int] = set()
    for part in spec.split(","):
        body, _, step_text = part.partition("/")
        step = int(step_text) if step_text else 1
        if body == "*":
            start, stop = low, high
        elif "-" in body:
            first, last = body.split("-")
            start, stop = int(first), int(last)
        else:
            start = int(body)
            stop = high if step_text else start
        if not (low <= start <= stop <= high) or step < 1:
            raise ValueError(f"cron field {spec!r} is outside {low}-{high}")
        values.update(range(start, stop + 1, step))
    return frozenset(values)


@dataclass(frozen=True)
class Schedule:
    seconds: frozenset[int]
    minutes: frozenset[int]
    hours: frozenset[int]
    days: frozenset[int]
    months: frozenset[int]
    weekdays: frozenset[int]

    @classmethod
    def parse(cls, expression: str) -> Schedule:
        parts = expression.split()
        if len(parts) != 6:
            raise ValueError(f"NCRONTAB needs six fields, got {expression!r}")
        fields = [_field(p, lo, hi) for p, (lo, hi) in zip(parts, _RANGES, strict=True)]
        return cls(*fields)

    def matches(self, at: datetime) -> bool:
        return (
            at.second in self.seconds
            and at.minute in self.minutes
            and at.hour in self.hours
            and self._day_matches(at)  # cron counts weekdays from Sunday = 0
        )

    def next_after(self, after: datetime) -> datetime:
        """The first firing time strictly after `after` (searched within a year)."""
        candidate = after.replace(microsecond=0) + timedelta(seconds=1)
        limit = candidate + timedelta(days=366)
        while candidate < limit:
            if self.matches(candidate):
                return candidate
            if candidate.hour not in self.hours or not self._day_matches(candidate):
                candidate = candidate.replace(minute=0, second=0) + timedelta(hours=1)
            elif candidate.minute not in self.minutes:
                candidate = candidate.replace(second=0) + timedelta(minutes=1)
            else:
                candidate += timedelta(seconds=1)
        raise ValueError("schedule never fires within a year")

    def _day_matches(self, at: datetime) -> bool:
        weekday = (at.weekday() + 1) % 7
        return at.day in self.days and at.month in self.months and weekday in self.weekdays
