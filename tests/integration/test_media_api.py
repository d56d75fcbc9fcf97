"""`POST /v1/media/start` and `GET /v1/media/{doc_id}`, after the AI stage wrote the deck (real services)."""

from __future__ import annotations

import uuid

import httpx
import pytest
from fastapi.testclient import TestClient

from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.workers import run_drain
from tests.support.ai_docs import lecture, seed_document
from tests.support.media_docs import make_document, slides_markdown
from tests.support.users import TestUser, make_user

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def auth(user: TestUser) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={user.token}"}


def test_deck_from_the_ai_stage_ends_as_playable_media(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = seed_document(container, user_id=user.user_id, structure=lecture(pages=3))
    assert client.get(f"/v1/media/{doc_id}", headers=auth(user)).json()["status"] == "none"
    assert client.post("/v1/ai/start", json={"doc_id": str(doc_id)}, headers=auth(user)).status_code == 202
    run_drain(container, "ai.request", budget_s=1)
    report = run_drain(container, "media.request", budget_s=3)  # the AI stage published the narration script
    assert report.acked >= 1 and report.dead == 0

    body = client.get(f"/v1/media/{doc_id}", headers=auth(user)).json()
    assert body["status"] == "done" and body["duration_ms"] > 1000
    video = httpx.get(body["video"]["url"])
    assert video.status_code == 200 and video.content[4:8] == b"ftyp"
    assert video.headers["content-type"] == "video/mp4"
    assert httpx.get(body["video"]["thumbnail_url"]).content[:3] == b"\xff\xd8\xff"
    assert httpx.get(body["captions"]["url"]).text.startswith("WEBVTT")
    assert httpx.get(body["audio"]["url"]).content[4:8] == b"ftyp"
    assert body["audio"]["duration_ms"] == body["video"]["duration_ms"] == body["duration_ms"]

    started = client.post("/v1/media/start", json={"doc_id": str(doc_id)}, headers=auth(user))
    assert started.status_code == 202, started.text
    assert started.json() == {"doc_id": str(doc_id), "status": "queued", "slide_count": 4}
    assert client.get(f"/v1/media/{doc_id}", headers=auth(user)).json()["status"] == "queued"
    twice = client.post("/v1/media/start", json={"doc_id": str(doc_id)}, headers=auth(user))
    assert twice.json() == {"doc_id": str(doc_id), "status": "queued", "slide_count": None}  # not queued again
    assert run_drain(container, "media.request", budget_s=3).acked == 1
    again = client.get(f"/v1/media/{doc_id}", headers=auth(user)).json()
    assert again["status"] == "done" and again["video"]["id"] != body["video"]["id"]


def test_start_reads_slides_md(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    container.blobs.put(container="derived", path=f"{user.user_id}/{doc_id}/slides.md",
                        data=slides_markdown(2).encode(), content_type="text/markdown")  # fmt: skip
    started = client.post("/v1/media/start", json={"doc_id": str(doc_id)}, headers=auth(user))
    assert started.status_code == 202 and started.json()["slide_count"] == 2
    assert run_drain(container, "media.request", budget_s=3).acked == 1
    body = client.get(f"/v1/media/{doc_id}", headers=auth(user)).json()
    cues = httpx.get(body["captions"]["url"]).text
    assert "split water &amp; make ATP" in cues


def test_starts_are_rate_limited_per_user(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    answers = [
        client.post("/v1/media/start", json={"doc_id": str(doc_id)}, headers=auth(user)).status_code
        for _ in range(container.settings.media_start_per_minute + 1)
    ]
    assert answers[:-1] == [409] * container.settings.media_start_per_minute  # no slides, but counted
    assert answers[-1] == 429


def test_without_slides_start_is_refused(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = make_document(container, user.user_id)
    response = client.post("/v1/media/start", json={"doc_id": str(doc_id)}, headers=auth(user))
    assert response.status_code == 409
    assert response.json()["error"]["code"] == "FAILED_PRECONDITION"


def test_someone_elses_document_is_not_found(container: Container, client: TestClient) -> None:
    owner, other = make_user(container), make_user(container)
    doc_id = make_document(container, owner.user_id)
    for response in (
        client.get(f"/v1/media/{doc_id}", headers=auth(other)),
        client.post("/v1/media/start", json={"doc_id": str(doc_id)}, headers=auth(other)),
        client.get(f"/v1/media/{uuid.uuid4()}", headers=auth(owner)),
    ):
        assert response.status_code == 404
        assert response.json()["error"]["code"] == "NOT_FOUND"
    assert client.get(f"/v1/media/{doc_id}").status_code == 401
