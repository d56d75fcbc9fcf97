"""The drain: process a stream until a time budget is spent, then report what happened.

Azure runs it from a timer (a singleton per stream); the local runner and `studyaid worker`
run the same function in a loop. Each entry is parsed into its message model, handed to the
stage handler, and acknowledged only when the handler returned. Failures stay pending and come
back after the visibility timeout; after `max_deliveries` the entry moves to `<stream>.dead`.
A permanent error (bad input) or a message that does not parse goes to `.dead` at once.
A handler's `on_dead` then records the failure where people look (a document's stage, a sync
run), so no piece of work is left `running` after its message has been given up on.
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from typing import Literal

from pydantic import ValidationError

from shared.platform.consumer import Entry, StreamConsumer
from shared.platform.context import set_request_id
from shared.platform.errors import AppError
from shared.platform.lanes import BULK_FIELD, BULK_VALUE, set_bulk_context
from shared.platform.messages import Message

logger = logging.getLogger(__name__)

Outcome = Literal["acked", "retry", "dead"]


@dataclass(frozen=True)
class StageHandler:
    """What a context registers for a stream: the message model and the function to run."""

    stream: str
    message_type: type[Message]
    handle: Callable[[Message], None]
    #: Called once a parsed message is dead-lettered, with its error code and reason.
    on_dead: Callable[[Message, str, str], None] | None = None


@dataclass
class DrainReport:
    stream: str
    acked: int = 0
    retried: int = 0
    dead: int = 0
    reclaimed: int = 0
    trimmed: int = 0
    no_handler: bool = False
    errors: list[str] = field(default_factory=list)

    def record(self, outcome: Outcome) -> None:
        if outcome == "acked":
            self.acked += 1
        elif outcome == "retry":
            self.retried += 1
        else:
            self.dead += 1


@dataclass(frozen=True)
class DrainLimits:
    budget_s: float
    max_deliveries: int
    batch: int = 16
    block_ms: int = 1000
    concurrency: int = 2


def drain(consumer: StreamConsumer, handler: StageHandler, limits: DrainLimits) -> DrainReport:
    report = DrainReport(stream=handler.stream)
    consumer.ensure_group()
    deadline = time.monotonic() + limits.budget_s
    with (
        Heartbeat(consumer) as heartbeat,
        ThreadPoolExecutor(max_workers=limits.concurrency, thread_name_prefix="drain") as pool,
    ):
        while (remaining := deadline - time.monotonic()) > 0:
            stale = consumer.claim_stale(count=limits.batch)
            report.reclaimed += len(stale)
            # Redis reads BLOCK 0 as "forever": with reclaimed work in hand, do not block at all.
            block = None if stale else max(1, min(limits.block_ms, int(remaining * 1000)))
            entries = stale + consumer.read_new(count=limits.batch, block_ms=block)
            if not entries:
                consumer.sweep_parked()
            outcomes = pool.map(
                lambda e: process_entry(consumer, handler, e, limits.max_deliveries, heartbeat), entries
            )
            for outcome in outcomes:
                report.record(outcome)
    report.trimmed = consumer.trim_acknowledged()
    return report


def process_entry(
    consumer: StreamConsumer, handler: StageHandler, entry: Entry, max_deliveries: int, heartbeat: Heartbeat
) -> Outcome:
    try:
        message = _parse(handler.message_type, entry)
    except ValidationError as exc:
        consumer.dead_letter(entry, error_code="INVALID_MESSAGE", error=str(exc))
        logger.error("stream %s: entry %s is not a valid message", consumer.key, entry.entry_id)
        return "dead"
    set_request_id(message.request_id)
    set_bulk_context(entry.fields.get(BULK_FIELD) == BULK_VALUE)
    try:
        if entry.deliveries > max_deliveries:
            error = consumer.last_error(entry.entry_id) or "the consumer stopped while processing it"
            return _give_up(consumer, entry, "DELIVERIES_EXCEEDED", error, handler=handler, message=message)
        return _run_handler(consumer, handler, message, entry, max_deliveries, heartbeat)
    finally:
        set_request_id(None)
        set_bulk_context(False)


def _parse(message_type: type[Message], entry: Entry) -> Message:
    if "data" in entry.fields:
        return message_type.model_validate_json(entry.fields["data"])
    return message_type.from_spec_fields(entry.fields, entry_id=entry.entry_id)


def _run_handler(
    consumer: StreamConsumer,
    handler: StageHandler,
    message: Message,
    entry: Entry,
    max_deliveries: int,
    heartbeat: Heartbeat,
) -> Outcome:
    heartbeat.add(entry.entry_id)
    try:
        handler.handle(message)
    except AppError as exc:
        if exc.permanent:
            return _give_up(consumer, entry, exc.code, exc.message, handler=handler, message=message)
        return _failed(consumer, entry, max_deliveries, exc.code, exc.message, handler=handler, message=message)
    # The worker boundary: any other failure of one message must not stop the others.
    except Exception as exc:
        logger.exception("stream %s: handler failed on entry %s", consumer.key, entry.entry_id)
        error = f"{type(exc).__name__}: {exc}"
        return _failed(consumer, entry, max_deliveries, "INTERNAL", error, handler=handler, message=message)
    finally:
        heartbeat.discard(entry.entry_id)
    consumer.ack(entry.entry_id, user_id=entry.fields.get("user_id"))
    return "acked"


def _failed(
    consumer: StreamConsumer,
    entry: Entry,
    max_deliveries: int,
    code: str,
    error: str,
    *,
    handler: StageHandler,
    message: Message,
) -> Outcome:
    if entry.deliveries >= max_deliveries:
        return _give_up(consumer, entry, code, error, handler=handler, message=message)
    consumer.remember_error(entry.entry_id, f"{code}: {error}")
    logger.warning("stream %s: entry %s failed (%s), will retry", consumer.key, entry.entry_id, code)
    return "retry"


def _give_up(
    consumer: StreamConsumer,
    entry: Entry,
    code: str,
    error: str,
    *,
    handler: StageHandler | None = None,
    message: Message | None = None,
) -> Outcome:
    consumer.dead_letter(entry, error_code=code, error=error)
    logger.error("stream %s: entry %s dead-lettered: %s %s", consumer.key, entry.entry_id, code, error)
    if handler is not None and handler.on_dead is not None and message is not None:
        try:
            handler.on_dead(message, code, error)
        # The entry is already in `.dead` with its reason; the reconciler fails what stays stuck.
        except Exception:
            logger.exception("stream %s: recording the failure of entry %s failed", consumer.key, entry.entry_id)
    return "dead"


class Heartbeat:
    """One thread per drain that keeps every entry in flight claimed (`XCLAIM JUSTID`, one call
    for all of them), so a long handler's entry is not taken over as if its consumer had died."""

    def __init__(self, consumer: StreamConsumer) -> None:
        self._consumer = consumer
        self._in_flight: set[str] = set()
        self._lock = threading.Lock()
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._beat, name=f"heartbeat-{consumer.key}", daemon=True)

    def __enter__(self) -> Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    def add(self, entry_id: str) -> None:
        with self._lock:
            self._in_flight.add(entry_id)

    def discard(self, entry_id: str) -> None:
        with self._lock:
            self._in_flight.discard(entry_id)

    def _beat(self) -> None:
        interval = max(0.05, self._consumer.visibility_timeout_ms / 3000)
        while not self._stop.wait(interval):
            with self._lock:
                entry_ids = list(self._in_flight)
            if not entry_ids:
                continue
            try:
                self._consumer.keep_alive(entry_ids)
            except Exception:  # a missed beat only risks a redelivery; the next one tries again
                logger.warning("stream %s: heartbeat failed", self._consumer.key, exc_info=True)
