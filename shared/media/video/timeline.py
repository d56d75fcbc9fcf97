"""When each slide plays: back to back, each for exactly its narration's duration."""

from __future__ import annotations

import itertools
from dataclasses import dataclass


@dataclass(frozen=True)
class Segment:
    index: int
    start_ms: int
    end_ms: int
    narration: str

    @property
    def duration_ms(self) -> int:
        return self.end_ms - self.start_ms


def timeline(narrations: list[str], durations_ms: list[int]) -> list[Segment]:
    segments: list[Segment] = []
    start = 0
    for index, (text, duration) in enumerate(zip(narrations, durations_ms, strict=True), start=1):
        segments.append(Segment(index=index, start_ms=start, end_ms=start + duration, narration=text))
        start += duration
    return segments


def frame_counts(segments: list[Segment], fps: int) -> list[int]:
    """Frames per slide, rounded at the cumulative boundaries so rounding never drifts."""
    edges = [0, *(round(s.end_ms * fps / 1000) for s in segments)]
    return [max(1, b - a) for a, b in itertools.pairwise(edges)]
