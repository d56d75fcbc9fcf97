"""The purge drops whole weekly partitions past retention, only those, and makes weeks ahead."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from shared.container import Container
from shared.logs import partitions, store
from shared.logs.service import purge_logs
from shared.workers import run_timer_job

pytestmark = pytest.mark.integration


def row(ts: datetime, message: str) -> store.Row:
    return store.Row(ts=ts, service="purge-test", level="info", message=message, context={}, request_id=None)


def names(container: Container) -> set[str]:
    with container.db.connection() as conn:
        return {p.name for p in partitions.existing(conn)}


def test_purge_drops_only_partitions_past_retention(container: Container) -> None:
    now = datetime.now(UTC)
    old, edge, recent = now - timedelta(weeks=30), now - timedelta(days=92), now - timedelta(days=80)
    with container.db.connection() as conn:
        store.insert(conn, [row(old, "old"), row(edge, "edge"), row(recent, "recent"), row(now, "now")])
    old_week = f"logs_p{partitions.week_start(old):%Y%m%d}"
    recent_week = f"logs_p{partitions.week_start(recent):%Y%m%d}"
    assert {old_week, recent_week} <= names(container)

    report = purge_logs(db=container.db, now=now, retention_days=90, weeks_ahead=4)

    remaining = names(container)
    dropped = report["dropped"]
    assert isinstance(dropped, list) and old_week in dropped
    assert old_week not in remaining and recent_week in remaining
    with container.db.connection() as conn:
        left = {r[0] for r in conn.execute("SELECT message FROM logs WHERE service = 'purge-test'").fetchall()}
        oldest = conn.execute("SELECT min(ts) FROM logs").fetchone()
    assert {"recent", "now"} <= left and "old" not in left
    # Whatever survived is younger than one week before the cutoff: only whole weeks are dropped.
    assert oldest is not None and oldest[0] > now - timedelta(days=90 + 7)
    for weeks in range(5):
        assert f"logs_p{partitions.week_start(now + timedelta(weeks=weeks)):%Y%m%d}" in remaining


def test_inserting_after_a_purge_recreates_the_week(container: Container) -> None:
    now = datetime.now(UTC)
    week = now - timedelta(days=85)
    with container.db.connection() as conn:
        store.insert(conn, [row(week, "again")])
    purge_logs(db=container.db, now=now, retention_days=90, weeks_ahead=4)
    with container.db.connection() as conn:  # the insert path checks its weeks again after a purge
        assert store.insert(conn, [row(now - timedelta(days=60), "still fine")]) == 1


def test_the_log_purge_timer_runs_through_the_registry(container: Container) -> None:
    result = run_timer_job(container, "log_purge")
    assert result["status"] == "ok"
    assert isinstance(result["ensured"], list) and len(result["ensured"]) == 5
