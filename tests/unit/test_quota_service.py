"""The quota gate's rules over counters in memory: both periods or none, estimates, records, usage."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest

from shared.platform.clock import FixedClock
from shared.platform.errors import QuotaExceeded
from shared.quota.service import QuotaGate
from shared.quota.settings import QuotaSettings
from tests.support.fakes_quota import MemoryUsageCounters

USER = uuid.UUID(int=1)


def gate(clock: FixedClock, counters: MemoryUsageCounters, **limits: int) -> QuotaGate:
    settings = QuotaSettings.model_validate({"QUOTA_PAGES_DAILY": 5, "QUOTA_PAGES_MONTHLY": 8, **limits})
    return QuotaGate(counters=counters, settings=settings, clock=clock)


@pytest.fixture
def clock() -> FixedClock:
    return FixedClock(datetime(2026, 12, 29, 22, 0, tzinfo=UTC))


def test_a_charge_counts_in_both_periods_or_in_neither(clock: FixedClock) -> None:
    counters = MemoryUsageCounters()
    quota = gate(clock, counters)

    quota.charge(user_id=USER, metric="pages", amount=3)
    with pytest.raises(QuotaExceeded) as daily:
        quota.charge(user_id=USER, metric="pages", amount=3)
    assert daily.value.resets_at == "2026-12-30T00:00:00Z"
    assert daily.value.details == {"metric": "pages", "period": "day", "limit": 5, "resets_at": "2026-12-30T00:00:00Z"}
    clock.advance(days=1)
    quota.charge(user_id=USER, metric="pages", amount=4)
    clock.advance(days=1)
    with pytest.raises(QuotaExceeded) as monthly:
        quota.charge(user_id=USER, metric="pages", amount=2)
    assert monthly.value.resets_at == "2027-01-01T00:00:00Z"
    assert "past the monthly quota of 8" in monthly.value.message

    used = {(u.metric, u.period): u.used for u in quota.usage(user_id=USER, metrics=("pages",))}
    assert used == {("pages", "day"): 0, ("pages", "month"): 7}


def test_require_checks_an_estimate_without_counting_it(clock: FixedClock) -> None:
    quota = gate(clock, MemoryUsageCounters(), QUOTA_SPEECH_SECONDS_DAILY=60)

    quota.require(user_id=USER, metric="speech_seconds", amount=60)
    quota.record(user_id=USER, metric="speech_seconds", amount=50)
    with pytest.raises(QuotaExceeded) as exceeded:
        quota.require(user_id=USER, metric="speech_seconds", amount=11)
    assert "this needs 11 seconds of narration, past the daily quota of 60" in exceeded.value.message


def test_record_counts_past_the_limit_and_ignores_nothing_spent(clock: FixedClock) -> None:
    counters = MemoryUsageCounters()
    quota = gate(clock, counters, QUOTA_AI_TOKENS_DAILY=10)

    quota.record(user_id=USER, metric="ai_tokens", amount=25)
    quota.record(user_id=USER, metric="ai_tokens", amount=0)
    quota.record(user_id=USER, metric="ai_tokens", amount=-3)

    lines = {u.period: u for u in quota.usage(user_id=USER, metrics=("ai_tokens",))}
    assert lines["day"].used == 25 and lines["day"].limit == 10
    assert lines["month"].used == 25


def test_usage_lists_every_metric_in_both_periods_with_their_resets(clock: FixedClock) -> None:
    quota = gate(clock, MemoryUsageCounters())

    lines = quota.usage(user_id=USER)

    assert [(u.metric, u.period) for u in lines][:2] == [("pages", "day"), ("pages", "month")]
    assert len(lines) == 8
    assert {u.resets_at for u in lines} == {
        datetime(2026, 12, 30, tzinfo=UTC),
        datetime(2027, 1, 1, tzinfo=UTC),
    }
    assert all(u.used == 0 for u in lines)
