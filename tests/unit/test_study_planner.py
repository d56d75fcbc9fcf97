"""The planner alone: reviews first, readings by earliest deadline, what does not fit is at risk."""

from __future__ import annotations

import uuid
from dataclasses import replace
from datetime import UTC, date, datetime, timedelta

from shared.study.plan.planner import Reading, plan_days

TODAY = date(2026, 3, 2)
DAYS = [TODAY + timedelta(days=i) for i in range(7)]


def _reading(title: str, minutes: int, last_day: date, assignment: uuid.UUID | None = None) -> Reading:
    due = datetime.combine(last_day + timedelta(days=1), datetime.min.time(), UTC)
    return Reading(uuid.uuid4(), title, minutes, last_day, assignment or uuid.uuid4(), f"{title} essay", due)


def test_reviews_come_first_and_overflow_to_the_next_day() -> None:
    days, risks = plan_days(days=DAYS, budget=30, review_minutes={TODAY: (45, 270)}, readings=[])
    assert [(i.kind, i.minutes, i.card_count) for i in days[0].items] == [("reviews", 30, 180)]
    assert [(i.kind, i.minutes, i.card_count) for i in days[1].items] == [("reviews", 15, 90)]
    assert days[0].minutes == 30 and not risks


def test_readings_fill_free_time_earliest_deadline_first_and_split_across_days() -> None:
    later = _reading("Later", 40, TODAY + timedelta(days=5))
    sooner = _reading("Sooner", 25, TODAY + timedelta(days=1))
    days, risks = plan_days(days=DAYS, budget=30, review_minutes={TODAY: (10, 60)}, readings=[later, sooner])
    assert [(i.kind, i.document_title, i.minutes) for i in days[0].items] == [
        ("reviews", None, 10),
        ("reading", "Sooner", 20),
    ]
    assert [(i.document_title, i.minutes) for i in days[1].items] == [("Sooner", 5), ("Later", 25)]
    assert [(i.document_title, i.minutes) for i in days[2].items] == [("Later", 15)]
    assert not risks


def test_reading_that_cannot_finish_before_the_deadline_is_at_risk() -> None:
    assignment = uuid.uuid4()
    tight = [_reading("A", 40, TODAY, assignment), _reading("B", 10, TODAY, assignment)]
    days, risks = plan_days(days=DAYS, budget=30, review_minutes={}, readings=tight)
    assert sum(i.minutes for i in days[0].items) == 30
    assert [(r.assignment_id, r.minutes_short) for r in risks] == [(assignment, 20)]
    assert not days[1].items  # nothing is planned after its deadline


def test_for_one_assignment_its_modules_documents_come_before_the_rest_of_the_course() -> None:
    assignment, last_day = uuid.uuid4(), TODAY + timedelta(days=3)
    handout = _reading("A course handout", 20, last_day, assignment)
    lecture = replace(_reading("Week 1 lecture", 20, last_day, assignment), due_at=handout.due_at, of_module=True)
    days, _ = plan_days(days=DAYS, budget=30, review_minutes={}, readings=[handout, lecture])
    assert [(i.document_title, i.minutes) for i in days[0].items] == [("Week 1 lecture", 20), ("A course handout", 10)]
