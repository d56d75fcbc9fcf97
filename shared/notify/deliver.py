"""The `notify.request` handler: send one recorded delivery, exactly once when it succeeds.

The delivery row is locked while sending, so a duplicate message (an overlapping timer, a
re-published claim) waits or finds it `sent` and does nothing. Every attempt is recorded and
committed before a failure is raised: transient ones raise `Unavailable` (the drain retries),
permanent ones (a bad address) raise `InvalidArgument` (dead-lettered at once, never resent).
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from shared.notify.compose import compose, moved_later, skip_reason
from shared.notify.contracts import EmailSender, NotifyRequest, SendError
from shared.notify.store.deliveries import Deliveries
from shared.platform.clock import Clock
from shared.platform.errors import InvalidArgument, QuotaExceeded, Unavailable
from shared.quota.contracts import Quota

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class DeliveryPolicy:
    max_attempts: int
    base_url: str


def deliver(
    *,
    request: NotifyRequest,
    deliveries: Deliveries,
    sender: EmailSender,
    clock: Clock,
    policy: DeliveryPolicy,
    quota: Quota,
) -> str:
    """Returns the delivery's status after this message ("sent", "skipped", ...)."""
    failure: SendError | None = None
    with deliveries.transaction() as tx:
        job = tx.lock_job(request.delivery_id)
        if job is None:
            if tx.exists(request.delivery_id):
                raise Unavailable(f"delivery {request.delivery_id} is being sent by another worker")
            logger.warning("delivery %s no longer exists; nothing to send", request.delivery_id)
            return "missing"
        if job.status != "queued":
            return job.status  # a duplicate message: the effect already happened
        now = clock.now()
        if moved_later(job, now=now):
            tx.release(delivery_id=job.id)
            logger.info("delivery %s released: the due date moved, the window opens later", job.id)
            return "released"
        reason = skip_reason(job, now=now)
        if reason is not None:
            tx.record(delivery_id=job.id, status="skipped", attempted=False, error=reason)
            logger.info("delivery %s %s", job.id, reason)
            return "skipped"
        try:
            quota.charge(user_id=job.user_id, metric="emails", amount=1)
        except QuotaExceeded as exc:
            tx.record(delivery_id=job.id, status="failed", attempted=False, error=f"{exc.code}: {exc.message}")
            logger.warning("delivery %s not sent: %s", job.id, exc.message)
            return "failed"
        try:
            provider_id = sender.send(compose(job, now=now, base_url=policy.base_url))
        except SendError as exc:
            failure = exc
            final = exc.permanent or job.attempts + 1 >= policy.max_attempts
            error = str(exc) if not final or exc.permanent else f"gave up after {job.attempts + 1} attempts: {exc}"
            status = "failed" if final else "queued"
            tx.record(delivery_id=job.id, status=status, attempted=True, error=error, provider=sender.name)
        else:
            tx.record(delivery_id=job.id, status="sent", attempted=True, provider=sender.name, provider_id=provider_id)
            logger.info("delivery %s (%s) sent to user %s via %s", job.id, job.kind, job.user_id, sender.name)
            return "sent"
    logger.warning("delivery %s failed (permanent=%s): %s", request.delivery_id, failure.permanent, failure)
    if failure.permanent:
        raise InvalidArgument(f"email not sent and not retried: {failure}") from failure
    raise Unavailable(f"email not sent yet, will retry: {failure}") from failure
