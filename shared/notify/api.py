"""`/v1/notify`: a test email, custom reminders, delivery status, preferences."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status

from shared.auth.deps import CurrentUser
from shared.deps import ContainerDep
from shared.notify import service
from shared.notify.contracts import DeliveryView, Preferences, PreferencesUpdate, ScheduleRequest
from shared.notify.store import deliveries, preferences
from shared.platform.errors import NotFound

router = APIRouter(prefix="/notify", tags=["notify"])


@router.post("/test", status_code=status.HTTP_202_ACCEPTED)
def send_test_email(user: CurrentUser, container: ContainerDep) -> DeliveryView:
    """Queue a test email to the caller's own address; poll its status."""
    return service.send_test(
        user_id=user.user_id,
        db=container.db,
        publisher=container.publisher,
        throttle=container.throttle,
        clock=container.clock,
        settings=container.settings,
    )


@router.post("/schedule", status_code=status.HTTP_201_CREATED)
def schedule_reminder(body: ScheduleRequest, user: CurrentUser, container: ContainerDep) -> DeliveryView:
    """A custom reminder at `send_at` (sent by the reminders timer, within a minute of it)."""
    return service.schedule_custom(
        user_id=user.user_id,
        request=body,
        db=container.db,
        throttle=container.throttle,
        clock=container.clock,
        settings=container.settings,
    )


@router.get("/status/{delivery_id}")
def delivery_status(delivery_id: uuid.UUID, user: CurrentUser, container: ContainerDep) -> DeliveryView:
    with container.db.connection() as conn:
        found = deliveries.view(conn, user_id=user.user_id, delivery_id=delivery_id)
    if found is None:
        raise NotFound(f"no delivery {delivery_id}")
    return found


@router.get("/preferences")
def get_preferences(user: CurrentUser, container: ContainerDep) -> Preferences:
    with container.db.connection() as conn:
        found = preferences.read(conn, user_id=user.user_id, default_windows=container.settings.reminder_windows_hours)
    if found is None:
        raise NotFound("no such user")
    return found


@router.put("/preferences")
def put_preferences(body: PreferencesUpdate, user: CurrentUser, container: ContainerDep) -> Preferences:
    defaults = container.settings.reminder_windows_hours
    with container.db.connection() as conn:
        preferences.update(conn, user_id=user.user_id, change=body)
        found = preferences.read(conn, user_id=user.user_id, default_windows=defaults)
    if found is None:
        raise NotFound("no such user")
    return found
