"""The reminders check against real Postgres and Redis: windows, time zones, no duplicates."""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest

from shared.container import Container
from shared.notify.contracts import NotifyRequest, PreferencesUpdate
from shared.notify.reminders import ReminderReport, check_reminders
from shared.notify.store import claims, deliveries
from shared.notify.store.preferences import update
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


def run_check(
    container: Container, at: datetime, key: str, look_ahead: timedelta = timedelta(seconds=90)
) -> ReminderReport:
    return check_reminders(
        db=container.db,
        redis=container.redis,
        stream_key=key,
        clock=FixedClock(at),
        windows_hours=[72, 24, 2],
        request_id=f"test-{uuid.uuid4().hex[:8]}",
        look_ahead=look_ahead,
    )


def published_windows(container: Container, key: str, user_id: uuid.UUID) -> list[int]:
    """Windows of this user's reminders on the stream, in publishing order."""
    with container.db.connection() as conn:
        rows = conn.execute(
            "SELECT id::text, window_hours FROM notification_deliveries WHERE user_id = %s", (user_id,)
        ).fetchall()
    windows: dict[str, int] = {str(i): int(w) for i, w in rows}
    return [windows[i] for i in published_delivery_ids(container.redis, key) if i in windows]


@pytest.fixture
def key(container: Container) -> str:
    """A stream of this test's own, so other tests' reminders never mix in."""
    return f"{container.settings.stream_prefix}reminders-{uuid.uuid4().hex[:8]}"


@pytest.fixture
def epoch() -> datetime:
    """A far-future instant of this test's own: only this test's assignments are due around it."""
    return datetime(2040, 1, 1, tzinfo=UTC) + timedelta(days=uuid.uuid4().int % 20_000)


def test_each_window_is_published_once_at_its_edge(container: Container, key: str, epoch: datetime) -> None:
    user = make_user(container)
    due = epoch + timedelta(hours=72)
    add_assignment(container, user_id=user.user_id, due_at=due)
    moments = [
        (due - timedelta(hours=72, seconds=1), []),
        (due - timedelta(hours=72), [72]),
        (due - timedelta(hours=24, seconds=1), [72]),
        (due - timedelta(hours=24), [72, 24]),
        (due - timedelta(hours=23), [72, 24]),
        (due - timedelta(hours=2), [72, 24, 2]),
        (due, [72, 24, 2]),
    ]
    for at, expected in moments:
        run_check(container, at, key)
        assert published_windows(container, key, user.user_id) == expected, at


def test_claims_are_made_ahead_but_published_at_the_edge(container: Container, key: str, epoch: datetime) -> None:
    user = make_user(container)
    due = epoch + timedelta(hours=24, seconds=60)
    add_assignment(container, user_id=user.user_id, due_at=due)
    early = run_check(container, epoch, key, look_ahead=timedelta(seconds=90))
    assert early.claimed_ahead >= 1
    assert [row[1] for row in deliveries_of(container, user.user_id)] == [24]  # claimed, 60 s early
    assert published_windows(container, key, user.user_id) == []
    run_check(container, epoch + timedelta(seconds=59), key)
    assert published_windows(container, key, user.user_id) == []
    run_check(container, epoch + timedelta(seconds=60), key)
    assert published_windows(container, key, user.user_id) == [24]
    run_check(container, epoch + timedelta(seconds=120), key)
    assert published_windows(container, key, user.user_id) == [24]  # once


def test_late_seen_assignment_gets_only_the_most_urgent_reminder(
    container: Container, key: str, epoch: datetime
) -> None:
    user = make_user(container)
    add_assignment(container, user_id=user.user_id, due_at=epoch + timedelta(minutes=90))
    run_check(container, epoch, key)
    assert published_windows(container, key, user.user_id) == [2]


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
    assert published_windows(container, key, user.user_id) == [100, 6]


def test_dst_night_window_opens_24_real_hours_before(container: Container, key: str) -> None:
    # New York springs forward on 2041-03-10; a 09:00 EDT deadline's 24 h window opens 08:00 EST.
    user = make_user(container)
    due = datetime(2041, 3, 10, 13, 0, tzinfo=UTC)
    add_assignment(container, user_id=user.user_id, due_at=due)
    exact = timedelta(0)  # no claiming ahead: the edge itself is what is tested here
    run_check(container, datetime(2041, 3, 9, 12, 59, 59, tzinfo=UTC), key, look_ahead=exact)
    assert published_windows(container, key, user.user_id) == [72]
    run_check(container, datetime(2041, 3, 9, 13, 0, tzinfo=UTC), key, look_ahead=exact)
    assert published_windows(container, key, user.user_id) == [72, 24]


def concurrently(count: int, run: Callable[[int], ReminderReport]) -> list[ReminderReport]:
    barrier = threading.Barrier(count)
    reports: list[ReminderReport] = []

    def timer(n: int) -> None:
        barrier.wait()
        reports.append(run(n))

    threads = [threading.Thread(target=timer, args=(n,)) for n in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return reports


def many_due(container: Container, epoch: datetime) -> set[str]:
    users = [make_user(container) for _ in range(5)]
    for user in users:
        for n in range(40):
            add_assignment(container, user_id=user.user_id, due_at=epoch + timedelta(hours=1, minutes=n))
    return {str(u.user_id) for u in users}


def test_overlapping_timers_publish_every_reminder_exactly_once(
    container: Container, key: str, epoch: datetime
) -> None:
    users = many_due(container, epoch)
    reports = concurrently(4, lambda _: run_check(container, epoch, key))
    mine = set(delivery_ids_of(container, [uuid.UUID(u) for u in users]))
    published = [i for i in published_delivery_ids(container.redis, key) if i in mine]
    assert len(mine) == 200 and sorted(published) == sorted(mine)
    assert sum(r.skipped for r in reports) >= 1  # the others stood down on the lock


def test_the_database_claim_alone_never_claims_twice(container: Container, epoch: datetime) -> None:
    # Four timers that do not share the lock (separate streams): the unique key still decides.
    users = many_due(container, epoch)
    prefix = f"{container.settings.stream_prefix}nolock-{uuid.uuid4().hex[:6]}"
    concurrently(4, lambda n: run_check(container, epoch, f"{prefix}-{n}"))
    with container.db.connection() as conn:
        row = conn.execute(
            "SELECT count(*), count(DISTINCT dedupe_key) FROM notification_deliveries WHERE user_id::text = ANY(%s)",
            (list(users),),
        ).fetchone()
    assert row == (200, 200)


def test_a_claim_lost_before_publishing_is_published_by_a_later_run(
    container: Container, key: str, epoch: datetime
) -> None:
    user = make_user(container)
    add_assignment(container, user_id=user.user_id, due_at=epoch + timedelta(hours=1))
    with container.db.connection() as conn:  # a run that crashed right after its commit
        batch, _ = claims.claim(
            conn, now=epoch, windows_hours=[72, 24, 2], request_id="crashed", look_ahead=timedelta(0)
        )
    [mine] = [str(i) for i in batch.delivery_ids if str(i) in delivery_ids_of(container, [user.user_id])]
    run_check(container, epoch + timedelta(minutes=1), key)
    run_check(container, epoch + timedelta(minutes=2), key)  # marked published by then: not again
    assert published_delivery_ids(container.redis, key).count(mine) == 1


def test_custom_reminder_is_published_when_its_time_comes(container: Container, key: str, epoch: datetime) -> None:
    user = make_user(container)
    with container.db.connection() as conn:
        delivery_id = deliveries.create(
            conn, user_id=user.user_id, kind="custom", send_at=epoch, request_id="req-custom", body_text="Read ch. 4"
        )
    run_check(container, epoch - timedelta(seconds=1), key)
    assert str(delivery_id) not in published_delivery_ids(container.redis, key)
    run_check(container, epoch, key)
    messages = [NotifyRequest.model_validate_json(data) for data in stream_data(container.redis, key)]
    mine = [m for m in messages if m.delivery_id == delivery_id]
    assert len(mine) == 1
    assert mine[0].request_id == "req-custom"  # traced back to the request that scheduled it
