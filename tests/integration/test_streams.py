"""Redis Streams delivery against real Redis and Postgres: redelivery, dead letters, trimming."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from pydantic import ValidationError

from shared.container import Container
from shared.platform.consumer import StreamConsumer
from shared.platform.drain import DrainLimits, drain
from shared.platform.streams import StreamPublisher, dead_key, stream_key
from tests.support.probe import CREATE_EFFECTS, PROBE_STREAM, Probe, probe_handler
from tests.support.probe import PROBE_GROUP as GROUP

REPO_ROOT = Path(__file__).resolve().parents[2]


@dataclass
class ProbeStream:
    container: Container
    prefix: str
    publisher: StreamPublisher

    def consumer(self, name: str, *, visibility_ms: int = 300) -> StreamConsumer:
        return StreamConsumer(
            self.container.redis,
            key=stream_key(self.prefix, PROBE_STREAM),
            dead_key=dead_key(self.prefix, PROBE_STREAM),
            group=GROUP,
            consumer=name,
            visibility_timeout_ms=visibility_ms,
        )

    def applied(self, key: int) -> int | None:
        with self.container.db.connection() as conn:
            row = conn.execute("SELECT applied FROM probe_effects WHERE key = %s", (key,)).fetchone()
        return None if row is None else int(row[0])

    def dead_entries(self) -> list[dict[bytes, bytes]]:
        entries: Any = self.container.redis.xrange(dead_key(self.prefix, PROBE_STREAM))
        return [fields for _id, fields in entries]


@pytest.fixture
def probe(container: Container) -> Iterator[ProbeStream]:
    with container.db.connection() as conn:
        conn.execute(CREATE_EFFECTS)
    prefix = f"{container.settings.stream_prefix}{uuid.uuid4().hex[:6]}:"
    yield ProbeStream(container, prefix, StreamPublisher(container.redis, prefix=prefix))
    keys = list(container.redis.scan_iter(match=f"{prefix}*"))
    if keys:
        container.redis.delete(*keys)


def limits(budget_s: float = 1.0, max_deliveries: int = 3) -> DrainLimits:
    return DrainLimits(budget_s=budget_s, max_deliveries=max_deliveries, block_ms=100)


def test_publish_refuses_a_message_that_does_not_validate(probe: ProbeStream) -> None:
    forged = Probe.model_construct(key="not-a-number")
    with pytest.raises(ValidationError):
        probe.publisher.publish(forged)
    assert probe.container.redis.exists(stream_key(probe.prefix, PROBE_STREAM)) == 0


def test_a_message_is_processed_once_and_acknowledged(probe: ProbeStream) -> None:
    key = 1_000_001
    probe.publisher.publish(Probe(key=key))
    consumer = probe.consumer("c1")
    report = drain(consumer, probe_handler(probe.container.db), limits(budget_s=0.5))
    assert (report.acked, report.retried, report.dead) == (1, 0, 0)
    assert probe.applied(key) == 1
    assert probe.container.redis.xpending(consumer.key, GROUP)["pending"] == 0


def test_a_consumer_killed_mid_message_has_it_redelivered_after_the_visibility_timeout(
    probe: ProbeStream,
) -> None:
    key = 1_000_002
    probe.publisher.publish(Probe(key=key, behaviour="slow"))
    worker = _start_worker(probe, visibility_ms=1500)
    try:
        _wait_for(lambda: _pending(probe) == 1)
        worker.send_signal(signal.SIGKILL)  # dies holding the entry, before its effect commits
        worker.wait(timeout=10)
    finally:
        _stop(worker)
    assert probe.applied(key) is None
    rescuer = probe.consumer("rescuer", visibility_ms=1500)
    early = drain(rescuer, probe_handler(probe.container.db), limits(budget_s=0.3))
    assert early.acked == 0  # not yet idle past the visibility timeout
    time.sleep(1.6)
    late = drain(rescuer, probe_handler(probe.container.db), limits(budget_s=1.5))
    assert (late.reclaimed, late.acked) == (1, 1)
    assert probe.applied(key) == 1


def test_entries_in_flight_past_the_visibility_timeout_stay_claimed_by_one_heartbeat(probe: ProbeStream) -> None:
    # Two slow entries (0.5 s each) handled side by side, with a 150 ms visibility timeout.
    for key in (1_000_010, 1_000_011):
        probe.publisher.publish(Probe(key=key, behaviour="slow"))
    consumer = probe.consumer("c1", visibility_ms=150)
    consumer.ensure_group()  # before the rescuer looks, so it sees the group
    heartbeats: list[int] = []
    rescued: list[int] = []
    rescuer = probe.consumer("rescuer", visibility_ms=150)

    def watch() -> None:
        time.sleep(0.35)  # both entries are idle-aged past the timeout by now, but for the heartbeat
        heartbeats.append(sum(t.name.startswith("heartbeat-") for t in threading.enumerate()))
        rescued.append(len(rescuer.claim_stale(count=10)))

    watcher = threading.Thread(target=watch)
    watcher.start()
    report = drain(consumer, probe_handler(probe.container.db), limits(budget_s=0.3))
    watcher.join()
    assert heartbeats == [1]  # one heartbeat thread for the drain, not one per entry
    assert rescued == [0]  # nothing looked abandoned to another consumer
    assert (report.acked, report.retried) == (2, 0)
    assert (probe.applied(1_000_010), probe.applied(1_000_011)) == (1, 1)


def test_a_handler_that_always_fails_ends_in_dead_letter_after_max_deliveries(probe: ProbeStream) -> None:
    probe.publisher.publish(Probe(key=1_000_003, behaviour="fail"))
    consumer = probe.consumer("c1", visibility_ms=100)
    handler = probe_handler(probe.container.db)
    outcomes = [drain(consumer, handler, limits(budget_s=0.4, max_deliveries=3)) for _ in range(4)]
    assert sum(r.retried for r in outcomes) == 2
    assert sum(r.dead for r in outcomes) == 1
    [dead] = probe.dead_entries()
    assert dead[b"deliveries"] == b"3"
    assert dead[b"error_code"] == b"INTERNAL"
    assert b"probe 1000003 always fails" in dead[b"error"]
    assert probe.container.redis.xpending(consumer.key, GROUP)["pending"] == 0


def test_a_permanent_error_goes_to_dead_letter_at_once(probe: ProbeStream) -> None:
    probe.publisher.publish(Probe(key=1_000_004, behaviour="invalid"))
    report = drain(probe.consumer("c1"), probe_handler(probe.container.db), limits(budget_s=0.3))
    assert (report.acked, report.retried, report.dead) == (0, 0, 1)
    [dead] = probe.dead_entries()
    assert (dead[b"deliveries"], dead[b"error_code"]) == (b"1", b"INVALID_ARGUMENT")


def test_an_entry_that_is_not_a_valid_message_goes_to_dead_letter_at_once(probe: ProbeStream) -> None:
    key = stream_key(probe.prefix, PROBE_STREAM)
    probe.container.redis.xadd(key, {"type": PROBE_STREAM, "data": '{"key": "seven"}'})
    report = drain(probe.consumer("c1"), probe_handler(probe.container.db), limits(budget_s=0.3))
    assert report.dead == 1
    [dead] = probe.dead_entries()
    assert dead[b"error_code"] == b"INVALID_MESSAGE"


def test_trimming_keeps_pending_and_undelivered_entries(probe: ProbeStream) -> None:
    for key in range(1_000_010, 1_000_015):
        probe.publisher.publish(Probe(key=key))
    consumer = probe.consumer("c1")
    consumer.ensure_group()
    first_two = consumer.read_new(count=2, block_ms=10)
    consumer.ack(first_two[0].entry_id)  # the second stays pending, three are undelivered
    trimmed = consumer.trim_acknowledged()
    listing: Any = probe.container.redis.xrange(consumer.key)
    remaining = [entry_id.decode() for entry_id, _ in listing]
    assert trimmed == 1
    assert remaining[0] == first_two[1].entry_id
    assert len(remaining) == 4


@pytest.mark.slow
def test_ten_thousand_messages_through_four_consumers_with_kills_lose_nothing(probe: ProbeStream) -> None:
    total = 10_000
    base = 2_000_000
    pipe = probe.container.redis.pipeline(transaction=False)
    for key in range(base, base + total):
        message = Probe(key=key)
        pipe.xadd(stream_key(probe.prefix, PROBE_STREAM), {"type": PROBE_STREAM, "data": message.model_dump_json()})
    pipe.execute()
    workers = [_start_worker(probe, visibility_ms=1000) for _ in range(4)]
    kills = 0
    deadline = time.monotonic() + 240
    applied = 0
    try:
        while time.monotonic() < deadline and (now_applied := _count_applied(probe, base, total)) < total:
            time.sleep(2)
            if now_applied == applied:
                continue  # no progress since the last kill (a loaded machine starts Python slowly): let them work
            applied = now_applied
            victim = kills % len(workers)
            workers[victim].send_signal(signal.SIGKILL)
            workers[victim].wait(timeout=10)
            workers[victim] = _start_worker(probe, visibility_ms=1000)
            kills += 1
    finally:
        for worker in workers:
            _stop(worker)
    with probe.container.db.connection() as conn:
        rows = conn.execute(
            "SELECT count(*), min(applied), max(applied) FROM probe_effects WHERE key >= %s AND key < %s",
            (base, base + total),
        ).fetchone()
    assert kills >= 2
    assert rows == (total, 1, 1)  # none lost, each effect exactly once
    assert probe.dead_entries() == []


def _pending(probe: ProbeStream) -> int:
    key = stream_key(probe.prefix, PROBE_STREAM)
    if not any(g["name"] == GROUP.encode() for g in _groups(probe, key)):
        return 0
    return int(probe.container.redis.xpending(key, GROUP)["pending"])


def _groups(probe: ProbeStream, key: str) -> list[dict[str, object]]:
    if not probe.container.redis.exists(key):
        return []
    return list(probe.container.redis.xinfo_groups(key))


def _count_applied(probe: ProbeStream, base: int, total: int) -> int:
    with probe.container.db.connection() as conn:
        row = conn.execute(
            "SELECT count(*) FROM probe_effects WHERE key >= %s AND key < %s", (base, base + total)
        ).fetchone()
    return int(row[0]) if row else 0


def _start_worker(probe: ProbeStream, *, visibility_ms: int) -> subprocess.Popen[bytes]:
    settings = probe.container.settings
    redis_url = settings.redis_url.get_secret_value() if settings.redis_url else ""
    postgres_url = settings.postgres_url.get_secret_value() if settings.postgres_url else ""
    command = [
        sys.executable,
        "-m",
        "tests.support.stream_worker",
        redis_url,
        postgres_url,
        probe.prefix,
        str(visibility_ms),
        "5",
    ]
    env = {**os.environ, "PYTHONPATH": str(REPO_ROOT)}
    return subprocess.Popen(command, cwd=REPO_ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)


def _stop(worker: subprocess.Popen[bytes]) -> None:
    if worker.poll() is None:
        worker.kill()
    worker.wait(timeout=10)
    if worker.stderr is not None:
        worker.stderr.close()


def _wait_for(condition: object, timeout_s: float = 20) -> None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if callable(condition) and condition():
            return
        time.sleep(0.05)
    raise AssertionError("condition not met in time")
