"""The UTC day and month a use counts in, and when each resets."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from shared.quota.periods import windows


def test_the_last_minute_of_a_year_resets_at_new_year_for_both_periods() -> None:
    found = windows(datetime(2026, 12, 31, 23, 59, tzinfo=UTC))
    assert (found["day"].start.isoformat(), found["month"].start.isoformat()) == ("2026-12-31", "2026-12-01")
    assert found["day"].resets_at == found["month"].resets_at == datetime(2027, 1, 1, tzinfo=UTC)


def test_february_ends_on_its_last_day() -> None:
    found = windows(datetime(2027, 2, 28, 12, 0, tzinfo=UTC))
    assert found["month"].resets_at == datetime(2027, 3, 1, tzinfo=UTC)
    assert found["day"].resets_at == datetime(2027, 3, 1, tzinfo=UTC)


def test_a_local_time_counts_in_its_utc_day() -> None:
    late_in_new_york = datetime(2026, 3, 31, 21, 30, tzinfo=timezone(timedelta(hours=-4)))
    found = windows(late_in_new_york)  # 01:30 UTC on April 1st
    assert found["day"].start.isoformat() == "2026-04-01"
    assert found["month"].start.isoformat() == "2026-04-01"
