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

from psycopg_pool import ConnectionPool

from shared.container import Container
from shared.notify.contracts import ScheduleRequest
from shared.notify.service import schedule_custom
from shared.notify.settings import NotifySettings
from shared.platform.clock import Clock
from shared.platform.db import Conn
from shared.platform.throttle import Throttle
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
    """The timer's entry: the container's ports handed to `send_digests`."""
    settings = container.settings
    return send_digests(
        db=container.db,
        throttle=container.throttle,
        clock=container.clock,
        notify=settings,
        digest_hour=settings.study_digest_hour,
    )


def send_digests(
    *, db: ConnectionPool[Conn], throttle: Throttle, clock: Clock, notify: NotifySettings, digest_hour: int
) -> dict[str, object]:
    """Queue today's digest for every student whose local time reached `digest_hour` and who has
    not had it yet; at most one a day each, however many runs overlap."""
    now = clock.now()
    with db.connection() as conn:
        rows = conn.execute(_CANDIDATES, {"now": now}).fetchall()
    sent = 0
    for user_id, tz in rows:
        local = now.astimezone(ZoneInfo(tz or "UTC"))
        if local.hour >= digest_hour and _claim(db, user_id=user_id, day=local.date()):
            with db.connection() as conn:
                plan = _plan(conn, user_id=user_id, now=now)
            schedule_custom(
                user_id=user_id,
                request=ScheduleRequest(send_at=now, text=digest_text(plan)),
                db=db,
                throttle=throttle,
                clock=clock,
                settings=notify,
            )
            sent += 1
    return {"candidates": len(rows), "sent": sent}


def _claim(db: ConnectionPool[Conn], *, user_id: uuid.UUID, day: date) -> bool:
    """Mark today's digest as sent; False when another run already did (one digest a day)."""
    with db.connection() as conn:
        claimed: bool = conn.execute(_MARK, {"user_id": user_id, "day": day}).rowcount == 1
    return claimed


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
