"""Fakes for the notify use cases: a recording sender, deliveries in memory, a delivery builder."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from shared.notify.store.deliveries import DeliveryJob, DeliveryTx


def delivery_job(*, now: datetime, **changes: object) -> DeliveryJob:
    """A queued 24-hour reminder for an unsubmitted assignment due a day after `now`."""
    base = DeliveryJob(
        id=uuid.uuid4(),
        user_id=uuid.uuid4(),
        kind="reminder",
        status="queued",
        attempts=0,
        window_hours=24,
        body_text=None,
        email="student@example.edu",
        email_verified=True,
        display_name="Student",
        time_zone="Europe/Berlin",
        opted_out=False,
        assignment_id=uuid.uuid4(),
        assignment="Lab <3> & report",
        due_at=now + timedelta(hours=24),
        html_url="https://canvas.example.edu/courses/7/assignments/9",
        submitted=False,
        course="CHEM 110",
    )
    return replace(base, **changes)  # type: ignore[arg-type]  # test data: field names checked by dataclasses.replace


@dataclass
class Attempt:
    """One `record` call: what the delivery row became."""

    status: str
    attempted: bool
    error: str | None
    provider: str | None
    provider_id: str | None


class MemoryDeliveries:
    """`Deliveries` in a dict; `locked` names rows another worker holds (`lock_job` skips them)."""

    def __init__(self, *jobs: DeliveryJob) -> None:
        self.jobs = {job.id: job for job in jobs}
        self.locked: set[uuid.UUID] = set()
        self.attempts: dict[uuid.UUID, list[Attempt]] = {}
        self.released: list[uuid.UUID] = []

    @contextmanager
    def transaction(self) -> Iterator[DeliveryTx]:
        yield _MemoryTx(self)


class _MemoryTx:
    def __init__(self, store: MemoryDeliveries) -> None:
        self._store = store

    def lock_job(self, delivery_id: uuid.UUID) -> DeliveryJob | None:
        return None if delivery_id in self._store.locked else self._store.jobs.get(delivery_id)

    def exists(self, delivery_id: uuid.UUID) -> bool:
        return delivery_id in self._store.jobs

    def release(self, *, delivery_id: uuid.UUID) -> None:
        if self._store.jobs[delivery_id].status == "queued":
            del self._store.jobs[delivery_id]
            self._store.released.append(delivery_id)

    def record(
        self,
        *,
        delivery_id: uuid.UUID,
        status: str,
        attempted: bool,
        error: str | None = None,
        provider: str | None = None,
        provider_id: str | None = None,
    ) -> None:
        job = self._store.jobs[delivery_id]
        self._store.jobs[delivery_id] = replace(job, status=status, attempts=job.attempts + int(attempted))
        attempt = Attempt(status, attempted, error, provider, provider_id)
        self._store.attempts.setdefault(delivery_id, []).append(attempt)
