"""The AI stage through the real drain, Postgres, Redis and Azurite, read back through the API (local generator)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi.testclient import TestClient

from shared.ai.contracts import AiRequest, AiResult
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.media.contracts import MediaRequest
from shared.platform.stages import stages_of
from shared.workers import run_drain
from tests.support.ai_docs import lecture, published, seed_document
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration

DRAIN_S = 1.0


def _auth(user: TestUser) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={user.token}"}


def _start(client: TestClient, user: TestUser, doc_id: uuid.UUID) -> dict[str, object]:
    response = client.post("/v1/ai/start", json={"doc_id": str(doc_id)}, headers=_auth(user))
    assert response.status_code == 202, response.text
    body: dict[str, object] = response.json()
    return body


def _ai_stage(container: Container, doc_id: uuid.UUID) -> tuple[str, str | None, str | None]:
    with container.db.connection() as conn:
        stage = next(s for s in stages_of(conn, doc_id=doc_id) if s.stage == "ai")
    return stage.status, stage.error_code, stage.error_message


def test_start_drain_and_read_notes_flashcards_and_slides(container: Container, client: TestClient) -> None:
    user = make_user(container)
    structure = lecture(pages=4)
    doc_id = seed_document(container, user_id=user.user_id, structure=structure)
    assert _start(client, user, doc_id)["status"] == "queued"
    pending = client.get(f"/v1/notes/{doc_id}", headers=_auth(user))
    assert pending.status_code == 202 and pending.json()["status"] == "queued"

    report = run_drain(container, "ai.request", budget_s=DRAIN_S)
    assert report.acked == 1 and report.dead == 0

    notes = client.get(f"/v1/notes/{doc_id}", headers=_auth(user))
    assert notes.status_code == 200, notes.text
    body = notes.json()
    assert body["generator"] == "local" and body["stage"]["status"] == "done"
    assert body["summary"]["title"] == "Informed search" and body["summary"]["key_points"]
    markdown = httpx.get(body["markdown_url"]).text
    assert markdown.startswith("# Informed search") and "local extractive generator" in markdown

    cards = client.get(f"/v1/flashcards/{doc_id}", headers=_auth(user)).json()
    pages = {s.source.page for s in structure.sections}
    assert cards["cards"] and all(card["source"]["page"] in pages for card in cards["cards"])

    slides = client.get(f"/v1/slides/{doc_id}", headers=_auth(user)).json()
    assert slides["slide_count"] == len(slides["slides"]) == 5
    deck = httpx.get(slides["markdown_url"]).text
    assert deck.count("\n---\n") == 4 and "<!-- narration:" in deck
    assert _ai_stage(container, doc_id) == ("done", None, None)


def test_outcome_is_published_for_media_and_listeners(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=3))
    _start(client, user, doc_id)
    run_drain(container, "ai.request", budget_s=DRAIN_S)
    [result] = published(container, AiResult, doc_id=doc_id)
    assert result.status == "done" and result.generator == "local"
    [media] = published(container, MediaRequest, doc_id=doc_id)
    assert [s.index for s in media.slides] == [1, 2, 3, 4]
    assert [s.source_page for s in media.slides[1:]] == [1, 2, 3]
    assert all(s.narration for s in media.slides)


def test_regenerating_replaces_rows_and_keeps_card_ids(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=4))
    _start(client, user, doc_id)
    run_drain(container, "ai.request", budget_s=DRAIN_S)
    first = client.get(f"/v1/flashcards/{doc_id}", headers=_auth(user)).json()
    _start(client, user, doc_id)
    run_drain(container, "ai.request", budget_s=DRAIN_S)
    second = client.get(f"/v1/flashcards/{doc_id}", headers=_auth(user)).json()
    assert [c["id"] for c in first["cards"]] == [c["id"] for c in second["cards"]]
    assert second["updated_at"] > first["updated_at"]
    with container.db.connection() as conn:
        counts = conn.execute(
            "SELECT (SELECT count(*) FROM notes WHERE document_id = %(d)s),"
            " (SELECT count(*) FROM flashcards WHERE document_id = %(d)s),"
            " (SELECT count(*) FROM slide_decks WHERE document_id = %(d)s),"
            " (SELECT runs FROM ai_usage WHERE document_id = %(d)s)",
            {"d": doc_id},
        ).fetchone()
    assert counts == (1, 1, 1, 2)


def test_a_redelivered_request_does_not_generate_twice_but_republishes(container: Container) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=2))
    request = AiRequest(doc_id=doc_id, user_id=user.user_id)
    container.publisher.publish(request)
    container.publisher.publish(request)
    report = run_drain(container, "ai.request", budget_s=DRAIN_S)
    assert report.acked == 2
    assert len(published(container, MediaRequest, doc_id=doc_id)) == 2
    with container.db.connection() as conn:
        runs = conn.execute("SELECT runs FROM ai_usage WHERE document_id = %(d)s", {"d": doc_id}).fetchone()
    assert runs == (1,)


def test_someone_elses_document_is_404_everywhere(container: Container, client: TestClient) -> None:
    owner, other = make_user(container), make_user(container)
    doc_id = seed_document(container, user_id=owner.user_id, structure=lecture(pages=2))
    for path in (f"/v1/notes/{doc_id}", f"/v1/flashcards/{doc_id}", f"/v1/slides/{doc_id}"):
        response = client.get(path, headers=_auth(other))
        assert response.status_code == 404 and response.json()["error"]["code"] == "NOT_FOUND"
    start = client.post("/v1/ai/start", json={"doc_id": str(doc_id)}, headers=_auth(other))
    assert start.status_code == 404
    assert client.get(f"/v1/notes/{doc_id}").status_code == 401


def test_a_missing_structure_fails_the_stage_with_its_reason(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=2))
    container.blobs.delete(container="derived", path=f"{user.user_id}/{doc_id}/structure.json")
    container.publisher.publish(AiRequest(doc_id=doc_id, user_id=user.user_id))
    report = run_drain(container, "ai.request", budget_s=DRAIN_S)
    assert report.dead == 1
    status, code, message = _ai_stage(container, doc_id)
    assert (status, code) == ("failed", "NO_STRUCTURE") and message and "ingest the document first" in message
    response = client.get(f"/v1/slides/{doc_id}", headers=_auth(user))
    assert response.status_code == 409 and "ingest the document first" in response.json()["error"]["message"]
    [result] = published(container, AiResult, doc_id=doc_id)
    assert result.status == "failed" and result.error_code == "NO_STRUCTURE"
    start = client.post("/v1/ai/start", json={"doc_id": str(doc_id)}, headers=_auth(user))
    assert start.status_code == 409 and start.json()["error"]["details"] == {"stage": "ingest"}


def test_starts_are_rate_limited_per_user(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=2))
    limit = container.settings.ai_start_per_minute
    answers = [client.post("/v1/ai/start", json={"doc_id": str(doc_id)}, headers=_auth(user)) for _ in range(limit + 1)]
    assert [a.status_code for a in answers[:limit]] == [202] * limit
    assert answers[-1].status_code == 429 and int(answers[-1].headers["retry-after"]) >= 1
    assert answers[1].json()["detail"] == "study aids are already being generated"
    assert len(published(container, AiRequest, doc_id=doc_id)) == 1
    assert run_drain(container, "ai.request", budget_s=DRAIN_S).acked == 1  # leave the stream empty


def test_study_aids_are_searchable_once_committed(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=4))
    _start(client, user, doc_id)
    run_drain(container, "ai.request", budget_s=DRAIN_S)
    hits = client.get("/v1/search", params={"q": "admissible heuristic"}, headers=_auth(user)).json()
    kinds = {hit["kind"] for hit in hits["hits"] if hit["document"]["id"] == str(doc_id)}
    assert kinds & {"key_point", "glossary", "flashcard"}, hits
