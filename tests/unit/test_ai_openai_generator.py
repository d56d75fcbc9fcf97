"""The LLM generator with a scripted chat: chunking, merge, invalid-output retries, budget, retries."""

from __future__ import annotations

import threading
import time
from collections import deque

import httpx2
import openai
import pytest

from shared.ai.adapters.retry import RetryPolicy, retry_after
from shared.ai.errors import GenerationFailed, ProviderUnavailable
from shared.ai.llm.chunking import chunk_structure, estimate_tokens
from shared.ai.llm.generator import OpenAiGenerator
from shared.ai.render import notes_markdown
from shared.documents.contracts import Section, Source, Structure
from tests.support.ai_docs import lecture
from tests.support.fake_chat import FakeChat, Step
from tests.support.openai_stub_answers import answer_for


def _generator(
    chat: FakeChat,
    *,
    chunk_tokens: int = 4000,
    budget: int = 100_000,
    sleeps: list[float] | None = None,
    parallel: int = 1,
) -> OpenAiGenerator:
    slept = sleeps if sleeps is not None else []
    return OpenAiGenerator(
        chat=chat,
        model="gpt-test",
        chunk_tokens=chunk_tokens,
        document_budget=budget,
        max_output_tokens=500,
        invalid_retries=2,
        retry=RetryPolicy(max_retries=3, base_s=0.5, max_s=10),
        parallel=parallel,
        sleep=slept.append,
    )


def _chat(*steps: Step) -> FakeChat:
    return FakeChat(script=deque(steps))


def _status_error(status: int, headers: dict[str, str] | None = None) -> openai.APIStatusError:
    request = httpx2.Request("POST", "http://127.0.0.1/v1/chat/completions")
    response = httpx2.Response(status, headers=headers or {}, request=request)
    cls = {429: openai.RateLimitError, 500: openai.InternalServerError, 400: openai.BadRequestError}[status]
    return cls(f"HTTP {status}", response=response, body=None)


def test_a_short_document_is_one_request_labelled_with_the_model() -> None:
    chat = _chat()
    aids = _generator(chat).generate(lecture(pages=4))
    assert len(chat.requests) == 1
    assert aids.generator == "gpt-test" and {s.generator for s in aids.slides} == {"gpt-test"}
    assert aids.usage.requests == 1 and aids.usage.total_tokens > 0
    assert chat.formats[0]["type"] == "json_schema"


def test_a_long_document_is_split_by_section_within_the_budget_and_merged() -> None:
    structure = lecture(pages=12)
    chat = _chat()
    aids = _generator(chat, chunk_tokens=200).generate(structure)
    sent = chat.sections_sent()
    assert len(sent) > 1
    assert [h for part in sent for h in part] == [s.heading for s in structure.sections]
    assert all(c.tokens <= 200 for c in chunk_structure(structure, budget=200))
    assert [s.index for s in aids.slides] == list(range(1, len(structure.sections) + 1))
    assert {k.source.page for k in aids.notes.key_points} == {1, 2, 3, 4}  # later pages repeat these sentences
    assert len({c.id for c in aids.cards}) == len(aids.cards) == 12
    assert aids.notes.overview.count("This part covers") == len(sent)


def test_a_section_longer_than_the_budget_is_cut_into_pieces_citing_it() -> None:
    text = "\n".join(f"Line {i} explains one more detail of the method." for i in range(200))
    structure = Structure(
        title="Long", sections=[Section(heading="Method", text=text, source=Source(kind="pdf", page=3))]
    )
    chunks = chunk_structure(structure, budget=300)
    assert len(chunks) > 3
    assert all(p.source.page == 3 and estimate_tokens(p.text) <= 300 for c in chunks for p in c.parts)
    assert "".join(p.text for c in chunks for p in c.parts).replace("\n", "") == text.replace("\n", "")


def test_duplicates_across_chunks_are_merged() -> None:
    structure = lecture(pages=8)  # pages 5-8 repeat the topics of pages 1-4 under new headings
    aids = _generator(_chat(), chunk_tokens=150).generate(structure)
    texts = [k.text for k in aids.notes.key_points]
    assert len(texts) == len(set(texts)) == 4


def test_invalid_output_is_retried_with_the_reason_then_accepted() -> None:
    chat = _chat("invalid_json", "bad_citation", "ok")
    aids = _generator(chat).generate(lecture(pages=2))
    assert len(chat.requests) == 3
    assert "rejected" in chat.requests[1][-1]["content"] and "Invalid JSON" in chat.requests[1][-1]["content"]
    assert "p. 999" in chat.requests[2][-1]["content"]
    assert aids.usage.invalid_outputs == 2


def test_invalid_output_every_time_fails_clearly_after_the_bound() -> None:
    chat = _chat("schema_violation", "schema_violation", "schema_violation", "ok")
    with pytest.raises(GenerationFailed) as raised:
        _generator(chat).generate(lecture(pages=2))
    assert raised.value.code == "INVALID_OUTPUT"
    assert "3 times" in raised.value.message and "pages 1-2" in raised.value.message
    assert len(chat.requests) == 3


def test_the_document_token_budget_truncates_and_says_so() -> None:
    chat = _chat()
    aids = _generator(chat, chunk_tokens=150, budget=1500).generate(lecture(pages=12))
    assert aids.usage.truncated is True and aids.notes.truncated is True
    assert "not covered" in notes_markdown(aids.notes)
    assert 1 <= len(chat.requests) < len(chunk_structure(lecture(pages=12), budget=150))


def test_429_waits_for_retry_after_and_5xx_backs_off() -> None:
    sleeps: list[float] = []
    chat = _chat(_status_error(429, {"retry-after": "2"}), _status_error(500), "ok")
    aids = _generator(chat, sleeps=sleeps).generate(lecture(pages=2))
    assert sleeps[0] == 2.0 and 0.0 < sleeps[1] <= 1.0
    assert aids.usage.retries == 2 and aids.usage.requests == 3


def test_persistent_5xx_gives_up_as_unavailable_after_the_retry_budget() -> None:
    chat = _chat(*[_status_error(500) for _ in range(4)])
    with pytest.raises(ProviderUnavailable, match="4 attempts"):
        _generator(chat).generate(lecture(pages=2))


def test_a_retry_after_beyond_the_cap_is_left_to_the_queue() -> None:
    chat = _chat(_status_error(429, {"retry-after": "120"}))
    with pytest.raises(ProviderUnavailable, match="120s"):
        _generator(chat).generate(lecture(pages=2))


def test_a_refused_request_fails_at_once() -> None:
    chat = _chat(_status_error(400))
    with pytest.raises(GenerationFailed) as raised:
        _generator(chat).generate(lecture(pages=2))
    assert raised.value.code == "PROVIDER_REJECTED" and len(chat.requests) == 1


def test_retry_after_reads_seconds_milliseconds_and_dates() -> None:
    assert retry_after({"retry-after": "3"}) == 3.0
    assert retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert retry_after({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}) == 0.0
    assert retry_after({"retry-after": "soon"}) is None
    assert retry_after({}) is None


def test_chunks_go_out_in_parallel_and_merge_in_document_order() -> None:
    active, peak = [0], [0]
    lock = threading.Lock()

    def slow_ok(messages: list[dict[str, str]]) -> str:
        with lock:
            active[0] += 1
            peak[0] = max(peak[0], active[0])
        time.sleep(0.05)
        with lock:
            active[0] -= 1
        return answer_for({"messages": messages}, "ok")

    structure = lecture(pages=9)
    chat = _chat(*[slow_ok] * 20)
    aids = _generator(chat, chunk_tokens=150, parallel=3).generate(structure)
    assert peak[0] >= 2
    assert [s.source.page for s in aids.slides] == list(range(1, 10))
    assert aids.usage.requests == len(chat.requests) == len(chunk_structure(structure, budget=150))


def test_a_failing_chunk_fails_the_parallel_run() -> None:
    chat = _chat("ok", _status_error(400), "ok", "ok", "ok", "ok")
    with pytest.raises(GenerationFailed) as raised:
        _generator(chat, chunk_tokens=150, parallel=2).generate(lecture(pages=9))
    assert raised.value.code == "PROVIDER_REJECTED"
