"""The specification's stream contract: consumer groups, flat entry fields, hand-written entries
with only those fields, `media.result`, and `studyaid ops migrate-groups` for existing groups."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

from devtools.devhost.stack import Stack
from shared.ai.contracts import AiRequest, AiResult
from shared.cli import main
from shared.container import Container, set_container
from shared.documents.service import create_document, request_ingest
from shared.documents.store import DocumentRow
from shared.media.adapters import Speech, TtsFailed
from shared.media.contracts import MediaResult
from shared.media.stage import handle_media_request
from shared.notify.contracts import NotifyRequest
from shared.ops.documents import reprocess
from shared.platform.consumer import StreamConsumer
from shared.platform.errors import Unavailable
from shared.platform.stages import stages_of
from shared.platform.stream_names import GROUPS, LEGACY_GROUP, STREAMS
from shared.platform.streams import dead_key, stream_key
from shared.workers import make_consumer, run_drain
from tests.conftest import make_settings
from tests.support.ai_docs import lecture, published, seed_document
from tests.support.documents_files import text_pdf
from tests.support.media_docs import make_document, media_request
from tests.support.users import make_user

pytestmark = pytest.mark.integration

SPEC_GROUPS = {
    "ingest.request": "ingestion:group",
    "ai.request": "ai:group",
    "media.request": "media:group",
    "notify.request": "notify:group",
}


@contextmanager
def own_streams(stack: Stack, database_url: str, **overrides: object) -> Iterator[Container]:
    """A container with streams of its own (a new prefix, so no groups yet), removed afterwards."""
    built = Container(make_settings(stack, database_url, LOG_SINK_DB=False, **overrides))
    try:
        yield built
    finally:
        keys = list(built.redis.scan_iter(match=f"{built.settings.stream_prefix}*"))
        if keys:
            built.redis.delete(*keys)
        built.close()


@pytest.fixture
def fresh(stack: Stack, database_url: str, container: Container) -> Iterator[Container]:
    with own_streams(stack, database_url) as built:
        set_container(built)
        try:
            yield built
        finally:
            set_container(container)


def _text(value: Any) -> str:
    return value.decode() if isinstance(value, bytes) else str(value)


def _groups(container: Container, stream: str) -> set[str]:
    key = stream_key(container.settings.stream_prefix, stream)
    return {_text(g["name"]) for g in container.redis.xinfo_groups(key)}


def _entries(container: Container, stream: str) -> list[dict[str, str]]:
    rows: Any = container.redis.xrange(stream_key(container.settings.stream_prefix, stream))
    return [{_text(k): _text(v) for k, v in fields.items()} for _, fields in rows]


def _uploaded_pdf(container: Container, user_id: uuid.UUID, *, data: bytes | None) -> DocumentRow:
    with container.db.connection() as conn:
        return create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user_id,
            title="week 1",
            filename="week-1.pdf",
            kind="pdf",
            size=len(data or b"-"),
            course_id=None,
            source="upload",
            data=data,
        )


def _add_by_hand(container: Container, stream: str, fields: dict[str, str]) -> None:
    """What an operator's `XADD` does: only the specification's fields, no `type` or `data`."""
    entry: dict[Any, Any] = dict(fields)
    container.redis.xadd(stream_key(container.settings.stream_prefix, stream), entry)


def test_each_stream_is_drained_by_the_specifications_group(fresh: Container) -> None:
    assert {s: GROUPS[s] for s in SPEC_GROUPS} == SPEC_GROUPS
    assert set(GROUPS) == set(STREAMS) and GROUPS["canvas.sync"] == "canvas:group"
    run_drain(fresh, "notify.request", budget_s=0.05)
    assert _groups(fresh, "notify.request") == {"notify:group"}


def test_entries_carry_the_specifications_flat_fields_beside_ours(fresh: Container) -> None:
    user = make_user(fresh)
    row = _uploaded_pdf(fresh, user.user_id, data=None)
    with fresh.db.connection() as conn:
        request_ingest(conn=conn, publisher=fresh.publisher, doc_id=row.id, user_id=user.user_id)
    fresh.publisher.publish(AiRequest(doc_id=row.id, user_id=user.user_id))
    fresh.publisher.publish(media_request(user.user_id, row.id, count=2))
    ids = {"user_id": str(user.user_id), "doc_id": str(row.id)}
    reprocess(db=fresh.db, publisher=fresh.publisher, doc_id=row.id)  # the runbook's way publishes the same fields
    expected_ingest = {**ids, "source": "upload", "kind": "pdf", "file_url": f"raw/{row.raw_blob_path}"}
    for ingest in _entries(fresh, "ingest.request"):
        assert ingest.items() >= expected_ingest.items()
        assert json.loads(ingest["data"])["doc_id"] == str(row.id) and ingest["type"] == "ingest.request"
    assert len(_entries(fresh, "ingest.request")) == 2
    [ai] = _entries(fresh, "ai.request")
    derived = f"derived/{user.user_id}/{row.id}"
    expected_ai = {**ids, "markdown_url": f"{derived}/document.md", "json_url": f"{derived}/structure.json"}
    assert ai.items() >= expected_ai.items()
    [media] = _entries(fresh, "media.request")
    assert media.items() >= ids.items() and json.loads(media["assets"]) == []
    narrations = [slide.narration for slide in media_request(user.user_id, row.id, count=2).slides]
    assert [slide["narration"] for slide in json.loads(media["script"])] == narrations


def test_an_ingest_request_with_only_the_specifications_fields_is_processed(fresh: Container) -> None:
    user = make_user(fresh)
    row = _uploaded_pdf(fresh, user.user_id, data=text_pdf(pages=1))
    by_hand = {
        "user_id": str(user.user_id),
        "doc_id": str(row.id),
        "source": "upload",
        "file_url": "http://169.254.169.254/never-fetched",  # the worker reads the document's own blob
        "kind": "pdf",
    }
    _add_by_hand(fresh, "ingest.request", by_hand)
    report = run_drain(fresh, "ingest.request", budget_s=0.3)
    assert (report.acked, report.dead) == (1, 0), report
    with fresh.db.connection() as conn:
        assert {s.stage: s.status for s in stages_of(conn, doc_id=row.id)}["ingest"] == "done"
    assert [m.doc_id for m in published(fresh, AiRequest, doc_id=row.id)] == [row.id]


def test_a_hand_written_ai_request_generates_the_study_aids(fresh: Container) -> None:
    user = make_user(fresh)
    doc_id = seed_document(fresh, user_id=user.user_id, structure=lecture(pages=2))
    derived = f"derived/{user.user_id}/{doc_id}"
    by_hand = {
        "user_id": str(user.user_id),
        "doc_id": str(doc_id),
        "markdown_url": f"{derived}/document.md",
        "json_url": f"{derived}/structure.json",
    }
    _add_by_hand(fresh, "ai.request", by_hand)
    report = run_drain(fresh, "ai.request", budget_s=0.3)
    assert (report.acked, report.dead) == (1, 0), report
    with fresh.db.connection() as conn:
        assert {s.stage: s.status for s in stages_of(conn, doc_id=doc_id)}["ai"] == "done"
    assert [r.status for r in published(fresh, AiResult, doc_id=doc_id)] == ["done"]


def test_a_hand_written_media_request_is_narrated_and_media_result_published(fresh: Container) -> None:
    user = make_user(fresh)
    doc_id = make_document(fresh, user.user_id)
    by_hand = {"user_id": str(user.user_id), "doc_id": str(doc_id), "script": "Light becomes sugar.", "assets": "[]"}
    _add_by_hand(fresh, "media.request", by_hand)
    report = run_drain(fresh, "media.request", budget_s=0.3)
    assert (report.acked, report.dead) == (1, 0), report
    [result] = published(fresh, MediaResult, doc_id=doc_id)
    assert (result.status, result.user_id) == ("done", user.user_id)
    assert sorted(path.rsplit(".", 1)[-1] for path in result.assets) == ["m4a", "mp4", "vtt"]


def test_media_result_is_published_when_media_fails(stack: Stack, database_url: str) -> None:
    with own_streams(stack, database_url, FFMPEG_PATH="/nonexistent/ffmpeg") as broken:
        user = make_user(broken)
        doc_id = make_document(broken, user.user_id)
        broken.publisher.publish(media_request(user.user_id, doc_id, count=1))
        assert run_drain(broken, "media.request", budget_s=0.3).dead == 1
        [result] = published(broken, MediaResult, doc_id=doc_id)
        assert (result.status, result.error_code, result.retrying) == ("failed", "FFMPEG_FAILED", False)


class SpeechOutage:
    """A speech provider that times out on every narration it is asked for."""

    name = "outage"

    def __init__(self) -> None:
        self.asked: list[tuple[str, Path]] = []

    def synthesize(self, *, text: str, out_path: Path) -> Speech:
        self.asked.append((text, out_path))
        raise TtsFailed("speech service timed out", transient=True)


def test_a_failure_that_will_be_retried_is_published_as_retrying(fresh: Container) -> None:
    user = make_user(fresh)
    doc_id = make_document(fresh, user.user_id)
    outage = SpeechOutage()
    with pytest.raises(Unavailable):
        handle_media_request(fresh, media_request(user.user_id, doc_id, count=1), tts=outage)
    assert len(outage.asked) == 1
    [result] = published(fresh, MediaResult, doc_id=doc_id)
    assert (result.status, result.error_code, result.retrying) == ("failed", "TTS_FAILED", True)


def test_migrate_groups_moves_the_old_groups_progress_and_pending_entries(
    fresh: Container, capsys: pytest.CaptureFixture[str]
) -> None:
    # The old release: one group, `workers`, on every stream.
    prefix = fresh.settings.stream_prefix
    old = StreamConsumer(
        fresh.redis,
        key=stream_key(prefix, "notify.request"),
        dead_key=dead_key(prefix, "notify.request"),
        group=LEGACY_GROUP,
        consumer="old-worker",
        visibility_timeout_ms=60_000,
    )
    old.ensure_group()
    sent = [NotifyRequest(delivery_id=uuid.uuid4(), user_id=uuid.uuid4()) for _ in range(4)]
    for message in sent[:3]:
        fresh.publisher.publish(message)
    done, *in_flight = old.read_new(count=3, block_ms=None)
    old.ack(done.entry_id)  # processed under the old group: must not run again
    fresh.publisher.publish(sent[3])  # never delivered

    assert main(["ops", "migrate-groups", "notify.request"]) == 0
    [move] = json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    assert (move["old_group"], move["new_group"], move["created"]) == (LEGACY_GROUP, "notify:group", True)
    assert sorted(move["requeued"]) == sorted(e.entry_id for e in in_flight)
    assert _groups(fresh, "notify.request") == {"notify:group"}
    new = make_consumer(fresh, "notify.request", consumer="new-worker")
    delivered = new.read_new(count=10, block_ms=None)
    got = sorted(str(NotifyRequest.model_validate_json(e.fields["data"]).delivery_id) for e in delivered)
    assert got == sorted(str(m.delivery_id) for m in sent[1:])
