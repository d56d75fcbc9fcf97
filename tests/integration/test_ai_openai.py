"""The OpenAI adapter through the real `openai` SDK against the loopback stub, alone and in the pipeline."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.ai.build import build_generator
from shared.ai.contracts import AiRequest
from shared.ai.errors import GenerationFailed
from shared.ai.render import notes_markdown
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.platform.stages import stages_of
from shared.settings import Settings
from shared.workers import run_drain
from tests.conftest import make_settings
from tests.support.ai_docs import lecture, seed_document
from tests.support.openai_stub import OpenAiStub
from tests.support.openai_stub_answers import UNSUPPORTED_BACK, UNSUPPORTED_POINT
from tests.support.users import make_user

pytestmark = pytest.mark.integration

KEY = "sk-test-0123456789"


@pytest.fixture(scope="module")
def stub() -> Iterator[OpenAiStub]:
    server = OpenAiStub(retry_after="1").start()
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(autouse=True)
def _fresh_stub(stub: OpenAiStub) -> None:
    stub.reset()


def _settings(stub: OpenAiStub, **overrides: object) -> Settings:
    values: dict[str, object] = {
        "APP_ENV": "test",
        "AI_PROVIDER": "openai",
        "OPENAI_API_KEY": KEY,
        "OPENAI_BASE_URL": stub.base_url,
        "AI_BACKOFF_BASE_SECONDS": 0.05,
        **overrides,
    }
    return Settings.model_validate(values)


@pytest.fixture
def llm_container(stack: Stack, database_url: str, stub: OpenAiStub) -> Iterator[Container]:
    built = Container(
        make_settings(
            stack,
            database_url,
            AI_PROVIDER="openai",
            OPENAI_API_KEY=KEY,
            OPENAI_BASE_URL=stub.base_url,
            AI_BACKOFF_BASE_SECONDS=0.05,
            AI_MAX_RETRIES=1,
        )
    )
    try:
        yield built
    finally:
        built.close()


def test_structured_output_request_and_answer_over_the_sdk(stub: OpenAiStub) -> None:
    aids = build_generator(_settings(stub)).generate(lecture(pages=3))
    [request] = stub.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {KEY}"
    assert request.body["response_format"]["type"] == "json_schema"
    assert request.body["response_format"]["json_schema"]["strict"] is True
    assert aids.generator == "gpt-4o-mini" and aids.usage.total_tokens > 0
    assert [k.source.page for k in aids.notes.key_points] == [1, 2, 3]


def test_429_honours_retry_after_with_the_sdk_retries_off(stub: OpenAiStub) -> None:
    stub.queue("rate_limit")
    aids = build_generator(_settings(stub)).generate(lecture(pages=2))
    first, second = stub.requests
    assert (first.behaviour, second.behaviour) == ("rate_limit", "ok")
    assert second.at - first.at >= 1.0
    assert aids.usage.retries == 1 and aids.usage.requests == 2


def test_500_is_retried_with_backoff(stub: OpenAiStub) -> None:
    stub.queue("server_error", "server_error")
    aids = build_generator(_settings(stub)).generate(lecture(pages=2))
    assert [r.behaviour for r in stub.requests] == ["server_error", "server_error", "ok"]
    assert aids.usage.retries == 2


def test_invalid_json_is_retried_then_fails_clearly(stub: OpenAiStub) -> None:
    stub.queue("invalid_json", "ok")
    assert build_generator(_settings(stub)).generate(lecture(pages=2)).usage.invalid_outputs == 1
    stub.queue("invalid_json", "schema_violation", "bad_citation")
    with pytest.raises(GenerationFailed) as raised:
        build_generator(_settings(stub)).generate(lecture(pages=2))
    assert raised.value.code == "INVALID_OUTPUT" and "A section nobody wrote" in raised.value.message


def test_a_long_document_is_several_requests_merged(stub: OpenAiStub) -> None:
    structure = lecture(pages=10)
    aids = build_generator(_settings(stub, AI_CHUNK_TOKENS=200)).generate(structure)
    assert len(stub.requests) > 2
    assert len(aids.slides) == 10 and [s.source.page for s in aids.slides] == list(range(1, 11))


def test_azure_openai_uses_the_deployment_path_version_and_key(stub: OpenAiStub) -> None:
    settings = _settings(
        stub, OPENAI_BASE_URL=None, AZURE_OPENAI_ENDPOINT=stub.endpoint, AZURE_OPENAI_DEPLOYMENT="study-gpt"
    )
    aids = build_generator(settings).generate(lecture(pages=2))
    [request] = stub.requests
    assert request.path == "/openai/deployments/study-gpt/chat/completions"
    assert request.query == {"api-version": "2024-10-21"} and request.headers["api-key"] == KEY
    assert aids.generator == "study-gpt"


def test_pipeline_with_the_openai_adapter_records_model_and_tokens(
    llm_container: Container, client: TestClient
) -> None:
    user = make_user(llm_container)
    doc_id = seed_document(llm_container, user_id=user.user_id, structure=lecture(pages=4))
    llm_container.publisher.publish(AiRequest(doc_id=doc_id, user_id=user.user_id))
    assert run_drain(llm_container, "ai.request", budget_s=1.0).acked == 1
    headers = {"Cookie": f"{SESSION_COOKIE}={user.token}"}
    notes = client.get(f"/v1/notes/{doc_id}", headers=headers).json()
    assert notes["generator"] == "gpt-4o-mini"
    assert {k["generator"] for k in notes["summary"]["key_points"]} == {"gpt-4o-mini"}
    cards = client.get(f"/v1/flashcards/{doc_id}", headers=headers).json()["cards"]
    assert len(cards) == 4 and all(c["source"]["page"] in {1, 2, 3, 4} for c in cards)
    with llm_container.db.connection() as conn:
        usage = conn.execute(
            "SELECT model, requests, prompt_tokens > 0, completion_tokens > 0 FROM ai_usage WHERE document_id = %(d)s",
            {"d": doc_id},
        ).fetchone()
    assert usage == ("gpt-4o-mini", 1, True, True)


def test_pipeline_fails_the_stage_on_invalid_output_and_retries_on_outage(
    llm_container: Container, client: TestClient, stub: OpenAiStub
) -> None:
    user = make_user(llm_container)
    bad = seed_document(llm_container, user_id=user.user_id, structure=lecture(pages=2))
    stub.queue("invalid_json", "invalid_json", "invalid_json")
    llm_container.publisher.publish(AiRequest(doc_id=bad, user_id=user.user_id))
    assert run_drain(llm_container, "ai.request", budget_s=1.0).dead == 1
    response = client.get(f"/v1/notes/{bad}", headers={"Cookie": f"{SESSION_COOKIE}={user.token}"})
    assert response.status_code == 409 and "invalid output 3 times" in response.json()["error"]["message"]

    down = seed_document(llm_container, user_id=user.user_id, structure=lecture(pages=2))
    stub.queue("server_error", "server_error")
    llm_container.publisher.publish(AiRequest(doc_id=down, user_id=user.user_id))
    report = run_drain(llm_container, "ai.request", budget_s=1.0)
    assert report.retried == 1 and report.dead == 0
    assert _ai_stage(llm_container, down)[:2] == ("failed", "UNAVAILABLE")


def _ai_stage(container: Container, doc_id: uuid.UUID) -> tuple[str, str | None]:
    with container.db.connection() as conn:
        stage = next(s for s in stages_of(conn, doc_id=doc_id) if s.stage == "ai")
    return stage.status, stage.error_code


def _user_messages(stub: OpenAiStub, request: int) -> list[str]:
    return [m["content"] for m in stub.requests[request].body["messages"] if m["role"] == "user"]


def test_unsupported_items_are_named_in_one_reask_and_the_grounded_answer_is_kept(stub: OpenAiStub) -> None:
    stub.queue("unsupported", "ok")
    structure = lecture(pages=2)
    aids = build_generator(_settings(stub)).generate(structure)
    assert [r.behaviour for r in stub.requests] == ["unsupported", "ok"]
    reask = _user_messages(stub, 1)[-1]
    assert "key_points[0]" in reask and UNSUPPORTED_POINT in reask and "does not support it" in reask
    assert "flashcards[0]" in reask
    assert "key_points[1]" not in reask  # only the failing items are named
    sent = " ".join(s.text for s in structure.sections)
    assert aids.notes.key_points and all(k.text.rstrip(".") in sent for k in aids.notes.key_points)
    assert aids.notes.unsupported_dropped == 0 and aids.usage.requests == 2


def test_items_still_failing_after_the_reask_are_dropped_and_noted(stub: OpenAiStub) -> None:
    stub.queue("unsupported", "fragment")
    structure = lecture(pages=3)
    aids = build_generator(_settings(stub)).generate(structure)
    assert [r.behaviour for r in stub.requests] == ["unsupported", "fragment"]  # one re-ask, no more
    # The re-ask's answer is grounded but its last key point is a lead-in, not a sentence: left out.
    assert [k.source.page for k in aids.notes.key_points] == [1, 2]
    assert all(k.text.endswith(".") for k in aids.notes.key_points)
    assert UNSUPPORTED_BACK not in {c.back for c in aids.cards} and len(aids.cards) == 3
    assert aids.notes.unsupported_dropped == 1
    assert "Items left out: 1" in notes_markdown(aids.notes)


def test_a_reask_that_stays_unsupported_drops_exactly_the_failing_items(stub: OpenAiStub) -> None:
    stub.queue("unsupported", "unsupported")
    aids = build_generator(_settings(stub)).generate(lecture(pages=3))
    assert len(stub.requests) == 2
    assert UNSUPPORTED_POINT not in {k.text for k in aids.notes.key_points}
    assert UNSUPPORTED_BACK not in {c.back for c in aids.cards}
    assert len(aids.notes.key_points) == 2 and len(aids.cards) == 2 and len(aids.notes.glossary) == 3
    assert aids.notes.unsupported_dropped == 2
