"""The optional daily digest: the day's plan by email, through the notify stage.

An hourly timer finds students who turned the digest on, whose local time has reached
`STUDY_DIGEST_HOUR` and who have not had today's digest; for each it queues a notify delivery
(the reminders timer publishes it to `notify.request`) and remembers the day. Students who
opted out of email get nothing, whatever their digest setting.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime
from zoneinfo import ZoneInfo

from shared.container import Container
from shared.notify.contracts import ScheduleRequest
from shared.notify.service import schedule_custom
from shared.platform.db import Conn
from shared.study.contracts import Plan
from shared.study.plan.service import build_plan

_CANDIDATES = """
SELECT s.user_id, coalesce(p.time_zone, u.time_zone) FROM study_settings s
JOIN users u ON u.id = s.user_id
LEFT JOIN notify_preferences p ON p.user_id = s.user_id
WHERE s.digest AND NOT coalesce(p.opted_out, false)
  AND (s.digest_sent_on IS NULL OR s.digest_sent_on < (%(now)s AT TIME ZONE coalesce(p.time_zone, u.time_zone))::date)
"""
_MARK = """
UPDATE study_settings SET digest_sent_on = %(day)s
WHERE user_id = %(user_id)s AND (digest_sent_on IS NULL OR digest_sent_on < %(day)s)
"""


def digest_job(container: Container) -> dict[str, object]:
    now = container.clock.now()
    hour = container.settings.study_digest_hour
    with container.db.connection() as conn:
        rows = conn.execute(_CANDIDATES, {"now": now}).fetchall()
    sent = 0
    for user_id, tz in rows:
        local = now.astimezone(ZoneInfo(tz or "UTC"))
        if local.hour >= hour and _claim(container, user_id=user_id, day=local.date()):
            _send(container, user_id=user_id, now=now)
            sent += 1
    return {"candidates": len(rows), "sent": sent}


def _claim(container: Container, *, user_id: uuid.UUID, day: date) -> bool:
    """Mark today's digest as sent; False when another run already did (one digest a day)."""
    with container.db.connection() as conn:
        return conn.execute(_MARK, {"user_id": user_id, "day": day}).rowcount == 1


def _send(container: Container, *, user_id: uuid.UUID, now: datetime) -> None:
    with container.db.connection() as conn:
        plan = _plan(conn, user_id=user_id, now=now)
    schedule_custom(
        user_id=user_id,
        request=ScheduleRequest(send_at=now, text=digest_text(plan)),
        db=container.db,
        throttle=container.throttle,
        clock=container.clock,
        settings=container.settings,
    )


def _plan(conn: Conn, *, user_id: uuid.UUID, now: datetime) -> Plan:
    return build_plan(conn, user_id=user_id, now=now, days=7)


def digest_text(plan: Plan) -> str:
    """The email's text: today's items, then what is at risk."""
    today = plan.days[0]
    lines = [f"Today's study plan ({today.minutes} of {plan.daily_minutes} minutes):"]
    for item in today.items:
        if item.kind == "reviews":
            lines.append(f"- review {item.card_count} cards (~{item.minutes} min)")
        else:
            lines.append(f"- read {item.document_title} (~{item.minutes} min) for {item.assignment_name}")
    if not today.items:
        lines.append("- nothing due today")
    lines += [f"At risk: {r.assignment_name} needs {r.minutes_short} more minutes" for r in plan.at_risk]
    return "\n".join(lines)[:2000]
