"""The reconciler re-publishes stuck ingest and AI stages with their own message ids, and gives up after N."""

from __future__ import annotations

import uuid

import pytest

from shared.container import Container
from shared.documents.reconciler import reconcile
from shared.documents.service import create_document
from shared.platform.stages import set_stage, stages_of
from shared.platform.streams import MemoryPublisher
from tests.support.users import make_user

pytestmark = pytest.mark.integration


def _stuck_document(container: Container, *, stage: str, attempts: int, message_id: uuid.UUID) -> uuid.UUID:
    user = make_user(container)
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user.user_id,
            title="t",
            filename="t.pdf",
            kind="pdf",
            size=10,
            course_id=None,
            source="upload",
            data=None,
        )
        column = "ingest_message_id" if stage == "ingest" else "ai_message_id"
        conn.execute(f"UPDATE documents SET {column} = %s WHERE id = %s", (message_id, row.id))
        conn.execute(
            "INSERT INTO document_stages (document_id, stage, status, attempts, updated_at)"
            " VALUES (%s, %s, 'running', %s, now() - interval '1 hour')"
            " ON CONFLICT (document_id, stage) DO UPDATE SET status = 'running', attempts = EXCLUDED.attempts,"
            " updated_at = EXCLUDED.updated_at",
            (row.id, stage, attempts),
        )
    return row.id


def _status(container: Container, doc_id: uuid.UUID, stage: str) -> tuple[str, str | None]:
    with container.db.connection() as conn:
        state = next(s for s in stages_of(conn, doc_id=doc_id) if s.stage == stage)
    return state.status, state.error_code


def test_stuck_stages_are_republished_with_the_same_message_id(container: Container) -> None:
    ingest_id, ai_id = uuid.uuid4(), uuid.uuid4()
    ingest_doc = _stuck_document(container, stage="ingest", attempts=1, message_id=ingest_id)
    ai_doc = _stuck_document(container, stage="ai", attempts=1, message_id=ai_id)
    fresh = _stuck_document(container, stage="ingest", attempts=1, message_id=uuid.uuid4())
    with container.db.connection() as conn:
        set_stage(conn, doc_id=fresh, stage="ingest", status="queued")  # just now: not stuck
    publisher = MemoryPublisher()
    with container.db.connection() as conn:
        report = reconcile(conn=conn, publisher=publisher, after_s=600, max_attempts=5)
    sent = {(m.stream, m.message_id, getattr(m, "doc_id", None)) for m in publisher.published}
    assert ("ingest.request", ingest_id, ingest_doc) in sent
    assert ("ai.request", ai_id, ai_doc) in sent
    assert not any(doc == fresh for _, _, doc in sent)
    assert report["republished_ingest"] >= 1 and report["republished_ai"] >= 1
    assert _status(container, ingest_doc, "ingest") == ("queued", None)
    with container.db.connection() as conn:
        again = reconcile(conn=conn, publisher=MemoryPublisher(), after_s=600, max_attempts=5)
    assert again["republished_ingest"] == 0  # re-queued just now: not stuck any more


def test_a_document_waiting_for_its_upload_is_not_stuck(container: Container) -> None:
    user = make_user(container)
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user.user_id,
            title="later",
            filename="later.pdf",
            kind="pdf",
            size=10,
            course_id=None,
            source="upload",
            data=None,
        )
        conn.execute(
            "UPDATE document_stages SET updated_at = now() - interval '1 day' WHERE document_id = %s", (row.id,)
        )
    publisher = MemoryPublisher()
    with container.db.connection() as conn:
        reconcile(conn=conn, publisher=publisher, after_s=600, max_attempts=5)
    assert not any(getattr(m, "doc_id", None) == row.id for m in publisher.published)
    assert _status(container, row.id, "ingest") == ("queued", None)


def test_a_stage_stuck_too_often_fails_with_stuck_and_media_is_left_alone(container: Container) -> None:
    worn = _stuck_document(container, stage="ingest", attempts=5, message_id=uuid.uuid4())
    media = _stuck_document(container, stage="media", attempts=1, message_id=uuid.uuid4())
    publisher = MemoryPublisher()
    with container.db.connection() as conn:
        report = reconcile(conn=conn, publisher=publisher, after_s=600, max_attempts=5)
    assert _status(container, worn, "ingest") == ("failed", "STUCK")
    assert _status(container, media, "media") == ("running", None)
    assert report["media_stuck_left"] >= 1
    assert not any(getattr(m, "doc_id", None) in (worn, media) for m in publisher.published)
