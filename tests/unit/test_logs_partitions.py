"""Weekly partition arithmetic: week starts, and which partitions are past retention."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from shared.logs.partitions import Partition, expired, week_start


def test_weeks_start_on_monday_utc() -> None:
    assert week_start(datetime(2031, 5, 4, 23, 59, tzinfo=UTC)) == date(2031, 4, 28)  # a Sunday
    assert week_start(datetime(2031, 5, 5, 0, 0, tzinfo=UTC)) == date(2031, 5, 5)
    assert week_start(date(2031, 5, 7)) == date(2031, 5, 5)


def test_only_partitions_wholly_older_than_retention_expire() -> None:
    now = datetime(2031, 5, 7, 12, 0, tzinfo=UTC)  # cutoff: 2031-02-06 (90 days)
    weeks = [Partition(name=f"logs_p{d:%Y%m%d}", start=d) for d in (date(2031, 1, 27), date(2031, 2, 3))]
    weeks.append(Partition(name="logs_p20310210", start=date(2031, 2, 10)))
    assert [p.name for p in expired(weeks, now=now, retention_days=90)] == ["logs_p20310127"]
    # The week of 3 Feb still holds rows younger than the cutoff (up to 9 Feb): kept.
    later = now + timedelta(days=4)
    assert [p.name for p in expired(weeks, now=later, retention_days=90)] == ["logs_p20310127", "logs_p20310203"]
