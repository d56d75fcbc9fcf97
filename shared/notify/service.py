"""Use cases behind `POST /notify/test` and `POST /notify/schedule` (the study digest schedules too)."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta

from psycopg_pool import ConnectionPool

from shared.notify.contracts import DeliveryView, NotifyRequest, ScheduleRequest
from shared.notify.settings import NotifySettings
from shared.notify.store import deliveries
from shared.platform.clock import Clock
from shared.platform.context import current_request_id
from shared.platform.db import Conn
from shared.platform.errors import Internal, InvalidArgument, NotFound, PermissionDenied
from shared.platform.publisher import Publisher
from shared.platform.throttle import Throttle, email_key

HOUR_S, DAY_S = 3600, 86400
#: A send time a little behind the server's clock is "now" (clients' clocks drift).
PAST_SLACK = timedelta(minutes=5)
MAX_AHEAD = timedelta(days=365)


def _view(conn: Conn, *, user_id: uuid.UUID, delivery_id: uuid.UUID) -> DeliveryView:
    found = deliveries.view(conn, user_id=user_id, delivery_id=delivery_id)
    if found is None:
        raise Internal(f"delivery {delivery_id} vanished right after it was made")
    return found


def send_test(
    *,
    user_id: uuid.UUID,
    db: ConnectionPool[Conn],
    publisher: Publisher,
    throttle: Throttle,
    clock: Clock,
    settings: NotifySettings,
) -> DeliveryView:
    now = clock.now()
    limit = settings.notify_test_per_hour
    allow_email(
        db=db,
        throttle=throttle,
        user_id=user_id,
        kind="test",
        limit=limit,
        window_s=HOUR_S,
        what="test emails this hour",
    )
    with db.connection() as conn:
        delivery_id = deliveries.create(
            conn, user_id=user_id, kind="test", send_at=now, request_id=current_request_id(), claimed=True
        )
    # Published after the commit so the worker finds the row; if this publish is lost, the
    # reminders timer finds the unpublished row and publishes it.
    publisher.publish(NotifyRequest(delivery_id=delivery_id, user_id=user_id))
    with db.connection() as conn:
        deliveries.mark_published(conn, delivery_id=delivery_id)
        return _view(conn, user_id=user_id, delivery_id=delivery_id)


def schedule_custom(
    *,
    user_id: uuid.UUID,
    request: ScheduleRequest,
    db: ConnectionPool[Conn],
    throttle: Throttle,
    clock: Clock,
    settings: NotifySettings,
) -> DeliveryView:
    check_send_at(request.send_at, now=clock.now())
    limit = settings.notify_custom_per_day
    allow_email(
        db=db,
        throttle=throttle,
        user_id=user_id,
        kind="custom",
        limit=limit,
        window_s=DAY_S,
        what="custom reminders today",
    )
    with db.connection() as conn:
        wanted = request.assignment_id
        if wanted is not None and not deliveries.owns_assignment(conn, user_id=user_id, assignment_id=wanted):
            raise NotFound(f"no assignment {request.assignment_id}")
        delivery_id = deliveries.create(
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


def allow_email(
    *,
    db: ConnectionPool[Conn],
    throttle: Throttle,
    user_id: uuid.UUID,
    kind: str,
    limit: int,
    window_s: int,
    what: str,
) -> None:
    """Only a verified address gets email, and only so many per user and per recipient address."""
    with db.connection() as conn:
        found = deliveries.recipient(conn, user_id=user_id)
    if found is None:
        raise NotFound("no such user")
    email, verified = found
    if not verified:
        raise PermissionDenied(
            "verify your email address first (POST /v1/auth/email/resend mails a new link)",
            details={"reason": "email_unverified"},
        )
    throttle.hit(f"notify-{kind}:user:{user_id}", limit=limit, window_s=window_s, what=what)
    throttle.hit(f"notify-{kind}:to:{email_key(email)}", limit=limit, window_s=window_s, what=what)
