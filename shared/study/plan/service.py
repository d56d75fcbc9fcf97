"""`GET /v1/plan`: reviews and readings per day until the upcoming Canvas assignments are due."""

from __future__ import annotations

import math
import uuid
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from shared.platform.db import Conn
from shared.study.contracts import Plan
from shared.study.plan import store
from shared.study.plan.planner import Reading, plan_days

SECONDS_PER_REVIEW = 10
MINUTES_PER_PAGE = 3
PAGES_IF_UNKNOWN = 5
MIN_DAYS = 7
MAX_DAYS = 28


def build_plan(conn: Conn, *, user_id: uuid.UUID, now: datetime, days: int = 14) -> Plan:
    settings, tz = store.read_settings(conn, user_id=user_id)
    zone = ZoneInfo(tz)
    today = now.astimezone(zone).date()
    horizon = max(MIN_DAYS, min(days, MAX_DAYS))
    until = datetime.combine(today + timedelta(days=horizon), datetime.min.time(), zone)
    assignments = store.upcoming(conn, user_id=user_id, now=now, until=until)
    readings = _readings(conn, user_id=user_id, assignments=assignments, zone=zone, today=today)
    reviews = store.reviews_by_day(conn, user_id=user_id, now=now, until=until, tz=tz)
    review_minutes = {day: (math.ceil(n * SECONDS_PER_REVIEW / 60), n) for day, n in reviews.items()}
    day_list = [today + timedelta(days=i) for i in range(horizon)]
    plan, risks = plan_days(
        days=day_list, budget=settings.daily_minutes, review_minutes=review_minutes, readings=readings
    )
    return Plan(computed_at=now, daily_minutes=settings.daily_minutes, days=plan, at_risk=risks)


def _readings(
    conn: Conn, *, user_id: uuid.UUID, assignments: list[store.Upcoming], zone: ZoneInfo, today: date
) -> list[Reading]:
    """Each unread document, read once, for the first upcoming assignment it belongs to.

    A document linked from the Canvas module an assignment is in belongs to that assignment and is
    read first for it; any other document of a course is read for the course's first assignment due.
    """
    by_id = {assignment.id: assignment for assignment in assignments}
    first_due: dict[uuid.UUID, store.Upcoming] = {}
    for assignment in assignments:
        first_due.setdefault(assignment.course_id, assignment)
    in_module: dict[uuid.UUID, store.Upcoming] = {}
    for assignment_id, doc_id in store.module_documents(conn, user_id=user_id, assignments=list(by_id)):
        in_module.setdefault(doc_id, by_id[assignment_id])  # earliest assignment first
    documents = store.unread(conn, user_id=user_id, courses=list(first_due), documents=list(in_module))
    readings = []
    for doc in documents:
        module_assignment = in_module.get(doc.id)
        assignment = module_assignment or first_due[doc.course_id]
        readings.append(_reading(doc, assignment, zone=zone, today=today, of_module=module_assignment is not None))
    return readings


def _reading(doc: store.Unread, assignment: store.Upcoming, *, zone: ZoneInfo, today: date, of_module: bool) -> Reading:
    last_day = max(today, assignment.due_at.astimezone(zone).date() - timedelta(days=1))
    return Reading(
        document_id=doc.id,
        title=doc.title,
        minutes=MINUTES_PER_PAGE * (doc.page_count or PAGES_IF_UNKNOWN),
        last_day=last_day,
        assignment_id=assignment.id,
        assignment_name=assignment.name,
        due_at=assignment.due_at,
        of_module=of_module,
    )
