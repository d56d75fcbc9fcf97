"""Upload a lecture PDF through the API, run the real ingest and AI drains, read the study aids."""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.gateway import create_app
from shared.workers import run_drain
from tests.conftest import FROM_APP, make_settings
from tests.support.documents_files import lecture_pdf
from tests.support.openai_stub import OpenAiStub
from tests.support.users import TestUser, make_user

pytestmark = [pytest.mark.integration, pytest.mark.slow]


def _auth(user: TestUser) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={user.token}"}


def _upload_and_process(client: TestClient, container: Container, user: TestUser, name: str, data: bytes) -> str:
    files = {"file": (name, data, "application/pdf")}
    created = client.post("/v1/documents/upload", files=files, data={"title": name}, headers=_auth(user))
    assert created.status_code == 201, created.text
    doc_id = str(created.json()["id"])
    assert run_drain(container, "ingest.request", budget_s=2).acked >= 1
    assert run_drain(container, "ai.request", budget_s=1).acked >= 1
    return doc_id


def _study_aids(client: TestClient, user: TestUser, doc_id: str) -> dict[str, Any]:
    got = {kind: client.get(f"/v1/{kind}/{doc_id}", headers=_auth(user)) for kind in ("notes", "flashcards", "slides")}
    assert all(r.status_code == 200 for r in got.values()), {k: r.text for k, r in got.items()}
    return {kind: response.json() for kind, response in got.items()}


def _cited_pages_exist(client: TestClient, user: TestUser, doc_id: str, aids: dict[str, Any]) -> None:
    detail = client.get(f"/v1/documents/{doc_id}", headers=_auth(user)).json()
    structure = json.loads(httpx.get(detail["structure_url"]).text)
    known = {(s["heading"].strip() or structure["title"], s["source"]["page"]) for s in structure["sections"]}
    cited = [k["source"] for k in aids["notes"]["summary"]["key_points"]]
    cited += [c["source"] for c in aids["flashcards"]["cards"]] + [s["source"] for s in aids["slides"]["slides"]]
    assert cited and all((c["section"], c["page"]) in known for c in cited)


def test_lecture_pdf_upload_to_study_aids_with_the_local_generator(client: TestClient, container: Container) -> None:
    user = make_user(container)
    doc_id = _upload_and_process(client, container, user, "notes.pdf", lecture_pdf(18))
    aids = _study_aids(client, user, doc_id)
    assert aids["notes"]["generator"] == aids["flashcards"]["generator"] == aids["slides"]["generator"] == "local"
    assert aids["notes"]["summary"]["key_points"] and aids["flashcards"]["cards"]
    assert aids["slides"]["slide_count"] > 3
    _cited_pages_exist(client, user, doc_id, aids)
    notes_md = httpx.get(aids["notes"]["markdown_url"]).text
    assert "## Key points" in notes_md


@pytest.fixture
def stub() -> Iterator[OpenAiStub]:
    server = OpenAiStub().start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture
def llm_client(stack: Stack, database_url: str, stub: OpenAiStub) -> Iterator[tuple[TestClient, Container]]:
    settings = make_settings(
        stack, database_url, AI_PROVIDER="openai", OPENAI_API_KEY="sk-test-e2e", OPENAI_BASE_URL=stub.base_url
    )
    llm = Container(settings)
    try:
        with TestClient(create_app(llm), headers=FROM_APP) as client:
            yield client, llm
    finally:
        llm.close()


def test_lecture_pdf_upload_to_study_aids_with_the_openai_adapter(llm_client: tuple[TestClient, Container]) -> None:
    client, llm = llm_client
    user = make_user(llm)
    doc_id = _upload_and_process(client, llm, user, "lecture.pdf", lecture_pdf())
    aids = _study_aids(client, user, doc_id)
    assert aids["notes"]["generator"] == "gpt-4o-mini"
    assert {c["generator"] for c in aids["flashcards"]["cards"]} == {"gpt-4o-mini"}
    _cited_pages_exist(client, user, doc_id, aids)
    with llm.db.connection() as conn:
        row = conn.execute(
            "SELECT requests, prompt_tokens FROM ai_usage WHERE document_id = %(d)s", {"d": uuid.UUID(doc_id)}
        ).fetchone()
    assert row is not None and row[0] >= 1 and row[1] > 0


def test_ten_pages_are_one_llm_round_trip(llm_client: tuple[TestClient, Container], stub: OpenAiStub) -> None:
    """The design's promise for the LLM path: a 10-page PDF costs one request with default settings."""
    client, llm = llm_client
    user = make_user(llm)
    docs = []
    for course in ("Search", "Games", "Learning"):
        files = {"file": (f"{course}.pdf", lecture_pdf(10, course=course), "application/pdf")}
        created = client.post("/v1/documents/upload", files=files, headers=_auth(user))
        assert created.status_code == 201, created.text
        docs.append(str(created.json()["id"]))
    stub.reset()
    run_drain(llm, "ingest.request", budget_s=2)
    run_drain(llm, "ai.request", budget_s=1)
    assert len(docs) == 3 and len(stub.requests) == len(docs)
    for doc_id in docs:
        assert client.get(f"/v1/notes/{doc_id}", headers=_auth(user)).json()["generator"] == "gpt-4o-mini"
