"""Delivering one email with a recording sender, a fixed clock and deliveries in memory: when it
is sent, skipped, released, refused by the quota, retried or given up, and that it is sent once."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from shared.container import Container
from shared.notify.adapters.acs import AcsSender
from shared.notify.adapters.outbox import OutboxSender
from shared.notify.contracts import NotifyRequest, PermanentSendError, SendError, TransientSendError
from shared.notify.deliver import DeliveryPolicy, deliver
from shared.notify.service import check_send_at
from shared.notify.store.deliveries import DeliveryJob
from shared.platform.clock import FixedClock
from shared.platform.errors import InvalidArgument, Unavailable
from shared.quota.service import QuotaGate
from shared.quota.settings import QuotaSettings
from shared.settings import Settings
from tests.support.fakes import RecordingEmailSender
from tests.support.fakes_media import FixedCredential
from tests.support.fakes_notify import MemoryDeliveries, delivery_job
from tests.support.fakes_quota import MemoryUsageCounters

NOW = datetime(2031, 5, 1, 12, 0, tzinfo=UTC)
POLICY = DeliveryPolicy(max_attempts=3, base_url="https://app.example.edu")


class Desk:
    """One delivery's world: its row, the sender, the clock and the email quota."""

    def __init__(self, job: DeliveryJob, *, failures: list[SendError] | None = None, emails_daily: int = 50) -> None:
        self.job = job
        self.deliveries = MemoryDeliveries(job)
        self.sender = RecordingEmailSender(failures)
        self.clock = FixedClock(NOW)
        self.counters = MemoryUsageCounters()
        settings = QuotaSettings.model_validate({"QUOTA_EMAILS_DAILY": emails_daily})
        self.quota = QuotaGate(counters=self.counters, settings=settings, clock=self.clock)

    def deliver(self, delivery_id: uuid.UUID | None = None) -> str:
        request = NotifyRequest(delivery_id=delivery_id or self.job.id, user_id=self.job.user_id)
        return deliver(
            request=request,
            deliveries=self.deliveries,
            sender=self.sender,
            clock=self.clock,
            policy=POLICY,
            quota=self.quota,
        )

    def history(self) -> list[tuple[str, bool]]:
        return [(a.status, a.attempted) for a in self.deliveries.attempts.get(self.job.id, [])]

    def errors(self) -> list[str | None]:
        return [a.error for a in self.deliveries.attempts.get(self.job.id, [])]

    def emails_counted(self) -> int:
        return sum(amount for (_, _, period, _), amount in self.counters.amounts.items() if period == "day")


def test_a_due_reminder_is_sent_once_and_counted_once() -> None:
    desk = Desk(delivery_job(now=NOW))

    assert desk.deliver() == "sent"
    assert desk.deliver() == "sent"  # a duplicate message finds it sent and does nothing

    [email] = desk.sender.sent
    assert email.to == "student@example.edu" and email.delivery_id == desk.job.id
    assert email.subject == "Reminder: Lab <3> & report is due in 24 hours"
    [attempt] = desk.deliveries.attempts[desk.job.id]
    assert (attempt.status, attempt.provider, attempt.provider_id) == ("sent", "recording", "recorded-1")
    assert desk.emails_counted() == 1


@pytest.mark.parametrize(
    ("changes", "reason"),
    [
        ({"opted_out": True}, "skipped: reminders are turned off"),
        ({"email_verified": False}, "skipped: the email address is not verified"),
        ({"submitted": True}, "skipped: already submitted"),
        ({"due_at": NOW - timedelta(minutes=1), "window_hours": 2}, "skipped: already past due"),
        ({"assignment_id": None, "due_at": None}, "skipped: the assignment no longer exists or has no due date"),
    ],
)
def test_a_reminder_the_world_overtook_is_skipped_without_sending_or_counting(
    changes: dict[str, object], reason: str
) -> None:
    desk = Desk(delivery_job(now=NOW, **changes))

    assert desk.deliver() == "skipped"

    assert desk.sender.sent == [] and desk.emails_counted() == 0
    assert desk.history() == [("skipped", False)] and desk.errors() == [reason]


def test_a_test_email_goes_out_even_when_reminders_are_off() -> None:
    desk = Desk(delivery_job(now=NOW, kind="test", opted_out=True, assignment_id=None, due_at=None))

    assert desk.deliver() == "sent"
    assert desk.sender.sent[0].subject == "Study Aid: test email"


def test_a_claim_whose_due_date_moved_later_is_released_to_be_claimed_again() -> None:
    desk = Desk(delivery_job(now=NOW, due_at=NOW + timedelta(hours=30), window_hours=24))

    assert desk.deliver() == "released"

    assert desk.deliveries.released == [desk.job.id] and desk.sender.sent == [] and desk.history() == []


def test_an_email_past_the_quota_fails_with_the_quota_reason_and_is_not_sent() -> None:
    desk = Desk(delivery_job(now=NOW), emails_daily=0)

    assert desk.deliver() == "failed"

    assert desk.sender.sent == [] and desk.history() == [("failed", False)]
    [error] = desk.errors()
    assert error is not None and error.startswith("QUOTA_EXCEEDED: this needs 1 emails, past the daily quota of 0")


def test_a_transient_failure_is_recorded_and_retried_until_it_goes_out() -> None:
    desk = Desk(delivery_job(now=NOW), failures=[TransientSendError("SMTP deferred the message: 451 busy")])

    with pytest.raises(Unavailable, match="will retry"):
        desk.deliver()
    assert desk.deliver() == "sent"

    assert desk.history() == [("queued", True), ("sent", True)]
    assert desk.errors()[0] == "SMTP deferred the message: 451 busy"
    assert len(desk.sender.sent) == 1


def test_transient_failures_give_up_after_the_last_attempt() -> None:
    failures: list[SendError] = [TransientSendError(f"timeout {i}") for i in range(3)]
    desk = Desk(delivery_job(now=NOW), failures=failures)

    for _ in range(3):
        with pytest.raises(Unavailable):
            desk.deliver()
    assert desk.deliver() == "failed"  # the drain's next delivery of it finds it ended

    assert desk.history() == [("queued", True), ("queued", True), ("failed", True)]
    assert desk.errors()[-1] == "gave up after 3 attempts: timeout 2"
    assert desk.sender.sent == []


def test_a_permanent_failure_ends_at_once_and_is_never_retried() -> None:
    desk = Desk(delivery_job(now=NOW), failures=[PermanentSendError("recipient refused: 550 no such user")])

    with pytest.raises(InvalidArgument, match="not retried"):
        desk.deliver()

    assert desk.history() == [("failed", True)] and desk.errors() == ["recipient refused: 550 no such user"]


def test_a_delivery_locked_by_another_worker_is_retried_and_a_missing_one_ends() -> None:
    desk = Desk(delivery_job(now=NOW))
    desk.deliveries.locked.add(desk.job.id)

    with pytest.raises(Unavailable, match="being sent by another worker"):
        desk.deliver()
    assert desk.deliver(uuid.uuid4()) == "missing"
    assert desk.sender.sent == []


def test_a_send_time_must_be_now_or_later_and_within_a_year() -> None:
    check_send_at(NOW - timedelta(minutes=4), now=NOW)  # clocks drift: a little behind is now
    check_send_at(NOW + timedelta(days=365), now=NOW)
    with pytest.raises(InvalidArgument, match="in the past"):
        check_send_at(NOW - timedelta(minutes=6), now=NOW)
    with pytest.raises(InvalidArgument, match="more than a year ahead"):
        check_send_at(NOW + timedelta(days=366), now=NOW)


def test_the_container_builds_the_email_adapter_once(tmp_path: Path) -> None:
    container = Container(Settings.model_validate({"APP_ENV": "test", "OUTBOX_DIR": str(tmp_path)}))

    sender = container.email_sender

    assert isinstance(sender, OutboxSender) and container.email_sender is sender
    assert "azure_credential" not in vars(container)


def test_acs_and_azure_speech_with_entra_id_share_the_containers_one_credential(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    made: list[FixedCredential] = []

    def credential() -> FixedCredential:
        made.append(FixedCredential(f"jwt-{len(made) + 1}"))
        return made[-1]

    monkeypatch.setattr("azure.identity.DefaultAzureCredential", credential)
    settings = {
        "APP_ENV": "test",
        "EMAIL_PROVIDER": "acs",
        "ACS_ENDPOINT": "https://studyaid.communication.azure.com",
        "TTS_PROVIDER": "azure",
        "AZURE_SPEECH_REGION": "westeurope",
        "AZURE_SPEECH_RESOURCE_ID": "/subscriptions/s/providers/Microsoft.CognitiveServices/accounts/a",
    }
    container = Container(Settings.model_validate(settings))

    sender, tts = container.email_sender, container.tts

    assert isinstance(sender, AcsSender) and container.email_sender is sender and container.tts is tts
    assert len(made) == 1 and container.azure_credential is made[0]
