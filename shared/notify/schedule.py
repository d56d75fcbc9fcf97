"""Use cases behind `POST /notify/test` and `POST /notify/schedule`."""

from __future__ import annotations

import uuid

from shared.container import Container
from shared.notify import store
from shared.notify.contracts import DeliveryView, NotifyRequest, ScheduleRequest
from shared.platform.context import current_request_id
from shared.platform.db import Conn
from shared.platform.errors import Internal, NotFound


def _view(conn: Conn, *, user_id: uuid.UUID, delivery_id: uuid.UUID) -> DeliveryView:
    found = store.view(conn, user_id=user_id, delivery_id=delivery_id)
    if found is None:
        raise Internal(f"delivery {delivery_id} vanished right after it was made")
    return found


def send_test(container: Container, *, user_id: uuid.UUID) -> DeliveryView:
    now = container.clock.now()
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


def _owns(conn: Conn, user_id: uuid.UUID, assignment_id: uuid.UUID) -> bool:
    row = conn.execute(
        "SELECT 1 FROM assignments WHERE id = %(id)s AND user_id = %(user_id)s",
        {"id": assignment_id, "user_id": user_id},
    ).fetchone()
    return row is not None
