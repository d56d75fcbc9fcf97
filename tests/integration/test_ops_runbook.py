"""`studyaid ops ...` against real Redis and Postgres: unstick, dead letters, reprocess, purge."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import pytest

from devtools.devhost.stack import Stack
from shared.cli import main
from shared.container import Container, set_container
from shared.documents.contracts import IngestRequest
from shared.notify.contracts import NotifyRequest
from shared.platform.stages import stages_of
from shared.platform.streams import dead_key, stream_key
from shared.workers import make_consumer
from tests.conftest import make_settings
from tests.support.users import make_user

pytestmark = pytest.mark.integration


@pytest.fixture
def ops(stack: Stack, database_url: str, container: Container) -> Iterator[Container]:
    built = Container(make_settings(stack, database_url, STREAM_VISIBILITY_TIMEOUT_MS=60_000, LOG_SINK_DB=False))
    set_container(built)
    try:
        yield built
    finally:
        set_container(container)
        built.close()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> Any:
    assert main(["ops", *argv]) == 0
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])  # after the JSON log lines


def publish_notify(container: Container, count: int) -> list[NotifyRequest]:
    messages = [NotifyRequest(delivery_id=uuid.uuid4(), user_id=uuid.uuid4()) for _ in range(count)]
    for message in messages:
        container.publisher.publish(message)
    return messages


def test_unstick_moves_a_dead_consumers_entries_so_the_next_drain_takes_them(
    ops: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    crashed = make_consumer(ops, "notify.request", consumer="crashed-worker")
    crashed.ensure_group()
    publish_notify(ops, 3)
    assert len(crashed.read_new(count=10, block_ms=None)) == 3  # read, then the process died

    report = run(capsys, "unstick", "notify.request", "--min-idle-ms", "0")

    assert len(report["moved"]) == 3 and report["removed_consumers"] == ["crashed-worker"]
    fresh = make_consumer(ops, "notify.request", consumer="next-drain")
    reclaimed = fresh.claim_stale(count=10)  # at once, although the visibility timeout is a minute
    assert [e.entry_id for e in reclaimed] == report["moved"]
    assert [e.deliveries for e in reclaimed] == [2, 2, 2]  # the crashed read still counts


def test_dead_letters_are_listed_replayed_and_dropped(ops: Container, capsys: pytest.CaptureFixture[str]) -> None:
    consumer = make_consumer(ops, "notify.request", consumer="worker")
    consumer.ensure_group()
    messages = publish_notify(ops, 3)
    for entry in consumer.read_new(count=10, block_ms=None):
        consumer.dead_letter(entry, error_code="UNAVAILABLE", error="smtp down")

    listed = run(capsys, "dead", "list", "notify.request")
    assert [d["error"] for d in listed] == ["smtp down"] * 3
    first = listed[0]["entry_id"]

    assert run(capsys, "dead", "replay", "notify.request", "--id", first) == {"replayed": [first]}
    [again] = consumer.read_new(count=10, block_ms=None)
    assert NotifyRequest.model_validate_json(again.fields["data"]) == messages[0]
    assert len(run(capsys, "dead", "drop", "notify.request", "--all")["dropped"]) == 2
    assert ops.redis.xlen(dead_key(ops.settings.stream_prefix, "notify.request")) == 0


def test_reprocess_publishes_ingest_request_and_marks_the_stage_queued(
    ops: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    user = make_user(ops)
    doc_id = uuid.uuid4()
    with ops.db.connection() as conn:
        conn.execute(
            "INSERT INTO documents (id, user_id, title, filename, kind, raw_blob_path)"
            " VALUES (%s, %s, 'Notes', 'notes.pdf', 'pdf', %s)",
            (doc_id, user.user_id, f"{user.user_id}/{doc_id}/notes.pdf"),
        )
    report = run(capsys, "reprocess", str(doc_id))
    entries: Any = ops.redis.xrange(stream_key(ops.settings.stream_prefix, "ingest.request"))
    [(entry_id, fields)] = entries
    assert report == {"doc_id": str(doc_id), "entry_id": entry_id.decode()}
    message = IngestRequest.model_validate_json(fields[b"data"])
    assert (message.doc_id, message.user_id) == (doc_id, user.user_id)
    with ops.db.connection() as conn:
        assert [(s.stage, s.status) for s in stages_of(conn, doc_id=doc_id)] == [("ingest", "queued")]
        recorded = conn.execute("SELECT ingest_message_id FROM documents WHERE id = %s", (doc_id,)).fetchone()
    # The published message is the one the reconciler will re-publish if it gets stuck.
    assert recorded == (message.message_id,)
    assert main(["ops", "reprocess", str(uuid.uuid4())]) == 1
    assert "NOT_FOUND" in capsys.readouterr().err


@pytest.mark.usefixtures("ops")
def test_purge_logs_now(capsys: pytest.CaptureFixture[str]) -> None:
    report = run(capsys, "purge-logs", "--retention-days", "90")
    assert set(report) == {"dropped", "ensured"} and len(report["ensured"]) == 5
