"""Videos for Canvas-synced files are opt-in per course; uploads always get theirs."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from shared.ai.contracts import AiRequest
from shared.container import Container
from shared.media.contracts import MediaRequest
from shared.workers import run_drain
from tests.support.ai_docs import lecture, published, seed_document
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


def _course(container: Container, user: TestUser) -> uuid.UUID:
    course_id = uuid.uuid4()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO courses (id, user_id, canvas_id, name) VALUES (%s, %s, %s, 'Algorithms')",
            (course_id, user.user_id, uuid.uuid4().int % 10**12),
        )
    return course_id


def _document(container: Container, user: TestUser, *, course_id: uuid.UUID | None) -> uuid.UUID:
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=2))
    if course_id is not None:
        with container.db.connection() as conn:
            conn.execute("UPDATE documents SET source = 'canvas', course_id = %s WHERE id = %s", (course_id, doc_id))
    return doc_id


def _generate(container: Container, user: TestUser, doc_id: uuid.UUID) -> None:
    container.publisher.publish(AiRequest(doc_id=doc_id, user_id=user.user_id))
    run_drain(container, "ai.request", budget_s=1.5)


def test_a_canvas_file_gets_a_video_only_once_its_course_opts_in(container: Container, client: TestClient) -> None:
    user = make_user(container)
    course_id = _course(container, user)
    synced = _document(container, user, course_id=course_id)
    uploaded = _document(container, user, course_id=None)

    _generate(container, user, synced)
    _generate(container, user, uploaded)
    assert published(container, MediaRequest, doc_id=synced) == []
    assert len(published(container, MediaRequest, doc_id=uploaded)) == 1

    client.cookies.update(user.cookies)
    answer = client.put(f"/v1/canvas/courses/{course_id}/media", json={"media": True})
    assert answer.status_code == 200 and answer.json() == {"course_id": str(course_id), "media": True}
    _generate(container, user, synced)  # regenerating after the opt-in queues the video
    assert len(published(container, MediaRequest, doc_id=synced)) == 1


def test_another_users_course_is_not_found(container: Container, client: TestClient) -> None:
    owner, other = make_user(container), make_user(container)
    course_id = _course(container, owner)
    client.cookies.update(other.cookies)
    answer = client.put(f"/v1/canvas/courses/{course_id}/media", json={"media": True})
    assert answer.status_code == 404
    assert answer.json()["error"]["code"] == "NOT_FOUND"
