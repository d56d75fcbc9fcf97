"""The day-by-day study plan, as a pure function of what is due and how much time a day holds.

Each day first takes the reviews due that day (missed reviews fall on today), then readings in
order of their assignment's due date (earliest deadline first; for one assignment, the documents
of its Canvas module before the rest of its course's), split across days when a
reading does not fit. A reading must finish the day before its assignment is due; what cannot
fit the daily budget in time is reported as at risk. Nothing is stored: a plan is computed from
current dates and review state, so a moved due date or a missed review replans at once.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from shared.study.contracts import AtRisk, PlanDay, PlanItem


@dataclass(frozen=True)
class Reading:
    document_id: uuid.UUID
    title: str
    minutes: int
    last_day: date  # the reading must be done by the end of this day
    assignment_id: uuid.UUID
    assignment_name: str
    due_at: datetime
    of_module: bool = False  # linked from the assignment's own Canvas module: read before the course's others


@dataclass
class _Day:
    day: date
    free: int
    items: list[PlanItem] = field(default_factory=list)


def plan_days(
    *, days: list[date], budget: int, review_minutes: dict[date, tuple[int, int]], readings: list[Reading]
) -> tuple[list[PlanDay], list[AtRisk]]:
    """`review_minutes[day]` is (minutes, cards) of reviews due that day."""
    slots = [_Day(day=day, free=budget) for day in days]
    carried = (0, 0)
    for slot in slots:
        minutes, cards = review_minutes.get(slot.day, (0, 0))
        carried = _place_reviews(slot, minutes + carried[0], cards + carried[1])
    short: dict[uuid.UUID, tuple[Reading, int]] = {}
    for reading in sorted(readings, key=_reading_order):
        left = _place_reading(slots, reading)
        if left:
            _, before = short.get(reading.assignment_id, (reading, 0))
            short[reading.assignment_id] = (reading, before + left)
    plan = [PlanDay(day=s.day, minutes=budget - s.free, items=s.items) for s in slots]
    risks = [
        AtRisk(assignment_id=r.assignment_id, assignment_name=r.assignment_name, due_at=r.due_at, minutes_short=m)
        for r, m in short.values()
    ]
    return plan, sorted(risks, key=lambda risk: risk.due_at)


def _reading_order(reading: Reading) -> tuple[date, datetime, bool, str, uuid.UUID]:
    """Earliest deadline first; for one assignment, its module's documents before the rest of its course."""
    return (reading.last_day, reading.due_at, not reading.of_module, reading.title, reading.document_id)


def _place_reviews(slot: _Day, minutes: int, cards: int) -> tuple[int, int]:
    """Put reviews into the day; what the budget cannot hold moves to the next day."""
    if minutes <= 0:
        return (0, 0)
    taken = min(minutes, slot.free)
    if taken <= 0:
        return (minutes, cards)
    taken_cards = cards if taken == minutes else max(1, cards * taken // minutes)
    slot.items.append(PlanItem(kind="reviews", minutes=taken, card_count=taken_cards))
    slot.free -= taken
    return (minutes - taken, cards - taken_cards)


def _place_reading(slots: list[_Day], reading: Reading) -> int:
    """Spread the reading over free time up to its last day; the minutes that did not fit."""
    left = reading.minutes
    for slot in slots:
        if slot.day > reading.last_day or left <= 0:
            break
        taken = min(left, slot.free)
        if taken > 0:
            slot.items.append(_reading_item(reading, taken))
            slot.free -= taken
            left -= taken
    return left


def _reading_item(reading: Reading, minutes: int) -> PlanItem:
    return PlanItem(
        kind="reading",
        minutes=minutes,
        document_id=reading.document_id,
        document_title=reading.title,
        assignment_id=reading.assignment_id,
        assignment_name=reading.assignment_name,
        due_at=reading.due_at,
    )
