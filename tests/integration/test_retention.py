"""The retention timer: every operational table and stream forgets what is past its setting, and
keeps everything younger or still in use."""

from __future__ import annotations

import os
import time
import uuid

import pytest

from shared.container import Container
from shared.platform.stream_names import STREAMS
from shared.platform.streams import RESULT_STREAMS, dead_key, stream_key
from shared.workers import run_timer_job
from tests.support.users import make_user

pytestmark = pytest.mark.integration

DAY_MS = 86_400_000


def _insert_aged_rows(container: Container, user_id: uuid.UUID, age: str) -> None:
    """One row per purged table, each `age` past the moment its retention counts from."""
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO sessions (id, user_id, token_hash, expires_at, revoked_at)"
            f" VALUES (%s, %s, %s, now() + interval '1 hour', now() - interval '{age}')",
            (uuid.uuid4(), user_id, os.urandom(32)),
        )
        conn.execute(
            f"INSERT INTO login_attempts (email, succeeded, attempted_at) VALUES (%s, false, now() - interval '{age}')",
            (f"{user_id}@example.edu",),
        )
        conn.execute(
            "INSERT INTO processed_messages (dedupe_key, stream, message_id, processed_at)"
            f" VALUES (%s, 'ingest.request', %s, now() - interval '{age}')",
            (f"retention-test:{uuid.uuid4()}", uuid.uuid4()),
        )
        for status in ("sent", "queued"):
            conn.execute(
                "INSERT INTO notification_deliveries (id, user_id, dedupe_key, status, kind, updated_at)"
                f" VALUES (%s, %s, %s, %s, 'test', now() - interval '{age}')",
                (uuid.uuid4(), user_id, f"retention-test:{uuid.uuid4()}", status),
            )
        for status in ("done", "running"):
            conn.execute(
                "INSERT INTO canvas_sync_runs (id, user_id, status, created_at, finished_at)"
                f" VALUES (%s, %s, %s, now() - interval '{age}', now() - interval '{age}')",
                (uuid.uuid4(), user_id, status),
            )


def _rows(container: Container, user_id: uuid.UUID) -> dict[str, int]:
    queries = {
        "sessions_ended": "SELECT count(*) FROM sessions WHERE user_id = %(u)s AND revoked_at IS NOT NULL",
        "sessions_live": "SELECT count(*) FROM sessions WHERE user_id = %(u)s AND revoked_at IS NULL",
        "login_attempts": "SELECT count(*) FROM login_attempts WHERE email = %(e)s",
        "deliveries_sent": "SELECT count(*) FROM notification_deliveries WHERE user_id = %(u)s AND status = 'sent'",
        "deliveries_queued": "SELECT count(*) FROM notification_deliveries WHERE user_id = %(u)s AND status = 'queued'",
        "runs_done": "SELECT count(*) FROM canvas_sync_runs WHERE user_id = %(u)s AND status = 'done'",
        "runs_running": "SELECT count(*) FROM canvas_sync_runs WHERE user_id = %(u)s AND status = 'running'",
    }
    params = {"u": user_id, "e": f"{user_id}@example.edu"}
    with container.db.connection() as conn:
        return {name: int(conn.execute(sql, params).fetchone()[0]) for name, sql in queries.items()}  # type: ignore[index]


def test_rows_past_their_retention_go_and_younger_or_unfinished_ones_stay(container: Container) -> None:
    old, young = make_user(container), make_user(container)
    _insert_aged_rows(container, old.user_id, "100 days")
    _insert_aged_rows(container, young.user_id, "1 day")
    report = run_timer_job(container, "retention")
    assert _rows(container, old.user_id) == {
        "sessions_ended": 0,
        "sessions_live": 1,  # make_user's own session, still valid
        "login_attempts": 0,
        "deliveries_sent": 0,
        "deliveries_queued": 1,  # not finished: never purged
        "runs_done": 0,
        "runs_running": 1,
    }
    assert _rows(container, young.user_id) == {
        "sessions_ended": 1,
        "sessions_live": 1,
        "login_attempts": 1,
        "deliveries_sent": 1,
        "deliveries_queued": 1,
        "runs_done": 1,
        "runs_running": 1,
    }
    assert report["rows_deleted"]["processed_messages"] >= 1  # type: ignore[index]


def test_result_and_dead_letter_streams_are_trimmed_by_age(container: Container) -> None:
    own = Container(container.settings.model_copy(update={"stream_prefix": f"ret{uuid.uuid4().hex[:8]}:"}))
    try:
        _trims_streams_by_age(own)
    finally:
        own.redis.delete(*own.redis.keys(f"{own.settings.stream_prefix}*"))
        own.close()


def _trims_streams_by_age(container: Container) -> None:
    """On streams of its own: an entry with an old id can only be added to a stream that holds no newer one."""
    prefix = container.settings.stream_prefix
    now_ms = int(time.time() * 1000)
    redis = container.redis
    for stream in RESULT_STREAMS:
        redis.xadd(stream_key(prefix, stream), {"data": "old"}, id=f"{now_ms - 2 * DAY_MS}-0")
        redis.xadd(stream_key(prefix, stream), {"data": "new"})
    for stream in STREAMS:
        redis.xadd(dead_key(prefix, stream), {"data": "old"}, id=f"{now_ms - 30 * DAY_MS}-0")
        redis.xadd(dead_key(prefix, stream), {"data": "new"}, id=f"{now_ms - 1 * DAY_MS}-0")
    run_timer_job(container, "retention")
    for key in [stream_key(prefix, s) for s in RESULT_STREAMS] + [dead_key(prefix, s) for s in STREAMS]:
        entries: list[tuple[bytes, dict[bytes, bytes]]] = redis.xrange(key)  # type: ignore[assignment]
        assert [fields[b"data"] for _, fields in entries] == [b"new"], key


def test_result_streams_are_capped_as_they_are_published(container: Container) -> None:
    from shared.documents.contracts import IngestResult

    capped = Container(container.settings.model_copy(update={"result_stream_max_entries": 100}))
    try:
        for _ in range(1000):
            capped.publisher.publish(IngestResult(doc_id=uuid.uuid4(), user_id=uuid.uuid4(), status="done"))
        length = capped.redis.xlen(stream_key(capped.settings.stream_prefix, "ingest.result"))
    finally:
        capped.close()
    assert 100 <= length < 300  # XADD MAXLEN ~ trims whole radix-tree nodes (100 entries each)
