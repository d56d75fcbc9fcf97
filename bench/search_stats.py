"""Latency samples and their percentiles for the search benchmark."""

from __future__ import annotations

import math
from dataclasses import dataclass


@dataclass(frozen=True)
class Sample:
    label: str
    ms: float
    status: int


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile."""
    if not values:
        return math.nan
    ordered = sorted(values)
    return ordered[max(0, math.ceil(pct / 100 * len(ordered)) - 1)]


def summarise(name: str, samples: list[Sample], elapsed_s: float | None) -> str:
    ms = [s.ms for s in samples]
    errors = sum(1 for s in samples if s.status >= 500 or (s.status >= 400 and s.label != "refused"))
    rate = f"{len(ms) / elapsed_s:.0f}" if elapsed_s else "-"
    cells = [f"{percentile(ms, p):.1f}" for p in (50, 95, 99)]
    return f"| {name} | {len(ms)} | {' | '.join(cells)} | {max(ms):.1f} | {rate} | {errors} |"
