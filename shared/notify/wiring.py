"""What the registry plugs in: the `notify.request` stage handler and the reminders timer job."""

from __future__ import annotations

import threading
import weakref
from datetime import timedelta
from functools import partial

from shared.container import Container
from shared.logs.stage import ensure_sink
from shared.notify.contracts import NotifyRequest
from shared.notify.deliver import DeliveryPolicy, deliver
from shared.notify.reminders import check_reminders
from shared.notify.sender import EmailSender
from shared.notify.senders import build_sender
from shared.platform.context import current_request_id, new_request_id, set_request_id
from shared.platform.drain import StageHandler
from shared.platform.messages import Message
from shared.platform.streams import stream_key
from shared.quota.wiring import quota_gate

_senders: weakref.WeakKeyDictionary[Container, EmailSender] = weakref.WeakKeyDictionary()
_senders_lock = threading.Lock()


def sender_for(container: Container) -> EmailSender:
    """One sender per container, built on first use (never at import time), gone with it."""
    with _senders_lock:
        if container not in _senders:
            _senders[container] = build_sender(container.settings)
        return _senders[container]


def _handle(container: Container, message: Message) -> None:
    if not isinstance(message, NotifyRequest):
        raise TypeError(f"notify.request handler got {type(message).__name__}")
    ensure_sink(container)
    policy = DeliveryPolicy(
        max_attempts=container.settings.stream_max_deliveries, base_url=container.settings.public_base_url
    )
    sender, quota = sender_for(container), quota_gate(container)
    deliver(request=message, db=container.db, sender=sender, clock=container.clock, policy=policy, quota=quota)


def notify_stage(container: Container) -> StageHandler:
    return StageHandler(stream=NotifyRequest.stream, message_type=NotifyRequest, handle=partial(_handle, container))


def reminders_job(container: Container) -> dict[str, object]:
    """The every-minute timer: claim due reminders and scheduled emails, publish them."""
    ensure_sink(container)
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
