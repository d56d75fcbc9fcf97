"""FSRS scheduling over our stored card state: the `fsrs` package does the arithmetic.

Fuzzing is off so an interval depends only on the card's history (a retried or replayed review
lands on the same due time, and tests compare against fsrs's own intervals exactly).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from fsrs import Card, Rating, Scheduler, State

from shared.study.contracts import CardState
from shared.study.contracts import Rating as RatingName

RATINGS: dict[RatingName, Rating] = {
    "again": Rating.Again,
    "hard": Rating.Hard,
    "good": Rating.Good,
    "easy": Rating.Easy,
}
RATING_NAMES: dict[int, RatingName] = {int(value): name for name, value in RATINGS.items()}
STATE_NAMES: dict[int, CardState] = {
    int(State.Learning): "learning",
    int(State.Review): "review",
    int(State.Relearning): "relearning",
}
SCHEDULER = Scheduler(enable_fuzzing=False)


@dataclass(frozen=True)
class Memory:
    """What FSRS keeps about one card between reviews."""

    state: int
    step: int | None
    stability: float | None
    difficulty: float | None
    due: datetime
    last_review: datetime | None


def review(memory: Memory, *, rating: RatingName, at: datetime, duration_ms: int | None = None) -> Memory:
    """The card's memory after answering it with `rating` at `at`."""
    card = Card(
        card_id=0,
        state=State(memory.state),
        step=memory.step,
        stability=memory.stability,
        difficulty=memory.difficulty,
        due=memory.due.astimezone(UTC),
        last_review=memory.last_review.astimezone(UTC) if memory.last_review else None,
    )
    after, _log = SCHEDULER.review_card(card, RATINGS[rating], at.astimezone(UTC), duration_ms)
    return Memory(
        state=int(after.state),
        step=after.step,
        stability=after.stability,
        difficulty=after.difficulty,
        due=after.due,
        last_review=after.last_review,
    )
