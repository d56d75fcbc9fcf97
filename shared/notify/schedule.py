"""Use cases behind `POST /notify/test` and `POST /notify/schedule`."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from shared.container import Container
from shared.notify import store
from shared.notify.contracts import DeliveryView, NotifyRequest, ScheduleRequest
from shared.platform.context import current_request_id
from shared.platform.db import Conn
from shared.platform.errors import Internal, InvalidArgument, NotFound, PermissionDenied
from shared.platform.throttle import email_key

HOUR_S, DAY_S = 3600, 86400
#: A send time a little behind the server's clock is "now" (clients' clocks drift).
PAST_SLACK = timedelta(minutes=5)
MAX_AHEAD = timedelta(days=365)


def _view(conn: Conn, *, user_id: uuid.UUID, delivery_id: uuid.UUID) -> DeliveryView:
    found = store.view(conn, user_id=user_id, delivery_id=delivery_id)
    if found is None:
        raise Internal(f"delivery {delivery_id} vanished right after it was made")
    return found


def send_test(container: Container, *, user_id: uuid.UUID) -> DeliveryView:
    now = container.clock.now()
    limits = container.settings.notify_test_per_hour
    allow_email(container, user_id=user_id, kind="test", limit=limits, window_s=HOUR_S, what="test emails this hour")
    with container.db.connection() as conn:
        delivery_id = store.create(
            conn, user_id=user_id, kind="test", send_at=now, request_id=current_request_id(), claimed=True
        )
    # Published after the commit so the worker finds the row; if this publish is lost, the
    # reminders timer finds the unpublished row and publishes it.
    container.publisher.publish(NotifyRequest(delivery_id=delivery_id, user_id=user_id))
    with container.db.connection() as conn:
        conn.execute(
            "UPDATE notification_deliveries SET published_at = now() WHERE id = %(id)s",
            {"id": delivery_id},
        )
        return _view(conn, user_id=user_id, delivery_id=delivery_id)


def schedule_custom(container: Container, *, user_id: uuid.UUID, request: ScheduleRequest) -> DeliveryView:
    check_send_at(request.send_at, now=container.clock.now())
    limit = container.settings.notify_custom_per_day
    allow_email(container, user_id=user_id, kind="custom", limit=limit, window_s=DAY_S, what="custom reminders today")
    with container.db.connection() as conn:
        if request.assignment_id is not None and not _owns(conn, user_id, request.assignment_id):
            raise NotFound(f"no assignment {request.assignment_id}")
        delivery_id = store.create(
            conn,
            user_id=user_id,
            kind="custom",
            send_at=request.send_at,
            request_id=current_request_id(),
            assignment_id=request.assignment_id,
            body_text=request.text,
        )
        return _view(conn, user_id=user_id, delivery_id=delivery_id)


def check_send_at(send_at: datetime, *, now: datetime) -> None:
    if send_at < now - PAST_SLACK:
        raise InvalidArgument("send_at is in the past", details={"send_at": "must be now or later"})
    if send_at > now + MAX_AHEAD:
        raise InvalidArgument("send_at is more than a year ahead", details={"send_at": "at most 365 days ahead"})


def allow_email(container: Container, *, user_id: uuid.UUID, kind: str, limit: int, window_s: int, what: str) -> None:
    """Only a verified address gets email, and only so many per user and per recipient address."""
    with container.db.connection() as conn:
        found = store.recipient(conn, user_id=user_id)
    if found is None:
        raise NotFound("no such user")
    email, verified = found
    if not verified:
        raise PermissionDenied(
            "verify your email address first (POST /v1/auth/email/resend mails a new link)",
            details={"reason": "email_unverified"},
        )
    throttle = container.throttle
    throttle.hit(f"notify-{kind}:user:{user_id}", limit=limit, window_s=window_s, what=what)
    throttle.hit(f"notify-{kind}:to:{email_key(email)}", limit=limit, window_s=window_s, what=what)


def _owns(conn: Conn, user_id: uuid.UUID, assignment_id: uuid.UUID) -> bool:
    row = conn.execute(
        "SELECT 1 FROM assignments WHERE id = %(id)s AND user_id = %(user_id)s",
        {"id": assignment_id, "user_id": user_id},
    ).fetchone()
    return row is not None
