"""What the registry plugs in: the `notify.request` stage handler and the reminders timer job."""

from __future__ import annotations

from datetime import timedelta

from shared.container import Container
from shared.notify.contracts import NotifyRequest
from shared.notify.deliver import DeliveryPolicy, deliver
from shared.notify.reminders import check_reminders
from shared.notify.store.deliveries import PgDeliveries
from shared.platform.context import current_request_id, new_request_id, set_request_id
from shared.platform.drain import StageHandler
from shared.platform.messages import Message
from shared.platform.streams import stream_key


def notify_stage(container: Container) -> StageHandler:
    """Sends with the container's email adapter, charging the container's quota gate."""
    settings = container.settings
    policy = DeliveryPolicy(max_attempts=settings.stream_max_deliveries, base_url=settings.public_base_url)

    def handle(message: Message) -> None:
        if not isinstance(message, NotifyRequest):
            raise TypeError(f"notify.request handler got {type(message).__name__}")
        deliver(
            request=message,
            deliveries=PgDeliveries(container.db),
            sender=container.email_sender,
            clock=container.clock,
            policy=policy,
            quota=container.quota,
        )

    return StageHandler(stream=NotifyRequest.stream, message_type=NotifyRequest, handle=handle)


def reminders_job(container: Container) -> dict[str, object]:
    """The every-minute timer: claim due reminders and scheduled emails, publish them."""
    request_id = current_request_id() or new_request_id()
    set_request_id(request_id)
    try:
        report = check_reminders(
            db=container.db,
            redis=container.redis,
            stream_key=stream_key(container.settings.stream_prefix, NotifyRequest.stream),
            clock=container.clock,
            windows_hours=container.settings.reminder_windows_hours,
            request_id=request_id,
            look_ahead=timedelta(seconds=container.settings.reminder_look_ahead_seconds),
        )
    finally:
        set_request_id(None)
    return {
        "published": report.published,
        "claimed_ahead": report.claimed_ahead,
        "published_ms": round(report.published_ms, 1),
        "elapsed_ms": round(report.total_ms, 1),
        "stood_down": report.skipped,
        "request_id": request_id,
    }
