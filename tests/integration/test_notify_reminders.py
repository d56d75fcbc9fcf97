"""The reminders check against real Postgres and Redis: windows, time zones, no duplicates."""

from __future__ import annotations

import threading
import uuid
from datetime import UTC, datetime, timedelta

import pytest

from shared.container import Container
from shared.notify import claims, store
from shared.notify.contracts import NotifyRequest, PreferencesUpdate
from shared.notify.preferences import update
from shared.notify.reminders import ReminderReport, check_reminders
from shared.platform.clock import FixedClock
from tests.support.notify_data import (
    add_assignment,
    deliveries_of,
    delivery_ids_of,
    published_delivery_ids,
    stream_data,
)
from tests.support.users import make_user

pytestmark = pytest.mark.integration


def run_check(container: Container, at: datetime, key: str) -> ReminderReport:
    return check_reminders(
        db=container.db,
        redis=container.redis,
        stream_key=key,
        clock=FixedClock(at),
        windows_hours=[72, 24, 2],
        request_id=f"test-{uuid.uuid4().hex[:8]}",
    )


@pytest.fixture
def key(container: Container) -> str:
    """A stream of this test's own, so other tests' reminders never mix in."""
    return f"{container.settings.stream_prefix}reminders-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def epoch() -> datetime:
    """A far-future instant of this test's own: only this test's assignments are due around it."""
    return datetime(2040, 1, 1, tzinfo=UTC) + timedelta(days=uuid.uuid4().int % 20_000)


def test_each_window_is_sent_once_at_its_edge(container: Container, key: str, epoch: datetime) -> None:
    user = make_user(container)
    due = epoch + timedelta(hours=72)
    add_assignment(container, user_id=user.user_id, due_at=due)
    moments = [
        (due - timedelta(hours=72, seconds=1), []),
        (due - timedelta(hours=72), [72]),
        (due - timedelta(hours=24, seconds=1), []),
        (due - timedelta(hours=24), [24]),
        (due - timedelta(hours=23), []),
        (due - timedelta(hours=2), [2]),
        (due, []),
    ]
    for at, expected in moments:
        before = len(deliveries_of(container, user.user_id))
        run_check(container, at, key)
        windows = [row[1] for row in deliveries_of(container, user.user_id)[before:]]
        assert windows == expected, at
    assert len(published_delivery_ids(container.redis, key)) == 3


def test_late_seen_assignment_gets_only_the_most_urgent_reminder(
    container: Container, key: str, epoch: datetime
) -> None:
    user = make_user(container)
    add_assignment(container, user_id=user.user_id, due_at=epoch + timedelta(minutes=90))
    run_check(container, epoch, key)
    assert [row[1] for row in deliveries_of(container, user.user_id)] == [2]


def test_submitted_work_and_opted_out_users_get_nothing(container: Container, key: str, epoch: datetime) -> None:
    student = make_user(container)
    add_assignment(container, user_id=student.user_id, due_at=epoch + timedelta(hours=1), submitted=True)
    quiet = make_user(container)
    add_assignment(container, user_id=quiet.user_id, due_at=epoch + timedelta(hours=1))
    with container.db.connection() as conn:
        update(conn, user_id=quiet.user_id, change=PreferencesUpdate(opted_out=True))
    report = run_check(container, epoch, key)
    assert deliveries_of(container, student.user_id) == []
    assert deliveries_of(container, quiet.user_id) == []
    assert report.published == 0


def test_a_users_own_windows_replace_the_defaults(container: Container, key: str, epoch: datetime) -> None:
    user = make_user(container)
    with container.db.connection() as conn:
        update(conn, user_id=user.user_id, change=PreferencesUpdate(windows_hours=[100, 6]))
    add_assignment(container, user_id=user.user_id, due_at=epoch + timedelta(hours=100))
    run_check(container, epoch, key)
    run_check(container, epoch + timedelta(hours=76), key)  # the default 24 h edge: not this user's
    run_check(container, epoch + timedelta(hours=94), key)
    assert [row[1] for row in deliveries_of(container, user.user_id)] == [100, 6]


def test_dst_night_window_opens_24_real_hours_before(container: Container, key: str) -> None:
    # New York springs forward on 2041-03-10; a 09:00 EDT deadline's 24 h window opens 08:00 EST.
    user = make_user(container)
    due = datetime(2041, 3, 10, 13, 0, tzinfo=UTC)
    add_assignment(container, user_id=user.user_id, due_at=due)
    run_check(container, datetime(2041, 3, 9, 12, 59, 59, tzinfo=UTC), key)
    assert [row[1] for row in deliveries_of(container, user.user_id)] == [72]
    run_check(container, datetime(2041, 3, 9, 13, 0, tzinfo=UTC), key)
    assert [row[1] for row in deliveries_of(container, user.user_id)] == [72, 24]


def test_overlapping_timers_never_claim_a_reminder_twice(container: Container, key: str, epoch: datetime) -> None:
    users = [make_user(container) for _ in range(5)]
    for user in users:
        for n in range(40):
            add_assignment(container, user_id=user.user_id, due_at=epoch + timedelta(hours=1, minutes=n))
    barrier = threading.Barrier(4)
    reports: list[ReminderReport] = []

    def timer() -> None:
        barrier.wait()
        reports.append(run_check(container, epoch, key))

    threads = [threading.Thread(target=timer) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    mine = set(delivery_ids_of(container, [u.user_id for u in users]))
    published = [i for i in published_delivery_ids(container.redis, key) if i in mine]
    assert len(reports) == 4
    assert len(mine) == 200
    assert sorted(published) == sorted(mine)  # every claim published, none twice


def test_a_claim_lost_before_publishing_is_published_by_a_later_run(
    container: Container, key: str, epoch: datetime
) -> None:
    user = make_user(container)
    add_assignment(container, user_id=user.user_id, due_at=epoch + timedelta(hours=1))
    with container.db.connection() as conn:  # a run that crashed right after its commit
        claimed = claims.claim(conn, now=epoch, windows_hours=[72, 24, 2], request_id="crashed", reclaim_after_s=120)
    message = NotifyRequest.model_validate_json(claimed.payloads[0])
    mine = str(message.delivery_id)
    run_check(container, epoch + timedelta(seconds=30), key)  # the first run may still be publishing
    assert mine not in published_delivery_ids(container.redis, key)
    run_check(container, epoch + timedelta(minutes=3), key)
    run_check(container, epoch + timedelta(minutes=6), key)  # marked published by then: not again
    assert published_delivery_ids(container.redis, key).count(mine) == 1


def test_custom_reminder_is_published_when_its_time_comes(container: Container, key: str, epoch: datetime) -> None:
    user = make_user(container)
    with container.db.connection() as conn:
        delivery_id = store.create(
            conn, user_id=user.user_id, kind="custom", send_at=epoch, request_id="req-custom", body_text="Read ch. 4"
        )
    run_check(container, epoch - timedelta(seconds=1), key)
    assert str(delivery_id) not in published_delivery_ids(container.redis, key)
    run_check(container, epoch, key)
    messages = [NotifyRequest.model_validate_json(data) for data in stream_data(container.redis, key)]
    mine = [m for m in messages if m.delivery_id == delivery_id]
    assert len(mine) == 1
    assert mine[0].request_id == "req-custom"  # traced back to the request that scheduled it
