"""Each item of a model's answer is checked against the section it cites (no network: built answers)."""

from __future__ import annotations

import json

from shared.ai.llm.answer import ChunkAids
from shared.ai.llm.chunking import Chunk, chunk_structure
from shared.ai.llm.verify import failing_items, without
from tests.support.ai_docs import lecture
from tests.support.openai_stub_answers import UNSUPPORTED_BACK, UNSUPPORTED_POINT, answer_for


def _answer(behaviour: str) -> tuple[Chunk, ChunkAids]:
    chunk = chunk_structure(lecture(pages=2), budget=4000)[0]
    sections = [{"section": p.source.section, "page": p.source.page, "text": p.text} for p in chunk.parts]
    body = {"messages": [{"role": "user", "content": json.dumps({"sections": sections})}]}
    return chunk, ChunkAids.model_validate_json(answer_for(body, behaviour))


def test_a_grounded_answer_has_no_failing_items() -> None:
    chunk, answer = _answer("ok")
    assert failing_items(answer, chunk) == []


def test_unsupported_items_and_fragments_are_named_with_why() -> None:
    chunk, answer = _answer("unsupported")
    failing = failing_items(answer, chunk)
    assert [(f.kind, f.index) for f in failing] == [("key_points", 0), ("flashcards", 0)]
    assert UNSUPPORTED_POINT in failing[0].describe() and "Search problems, p. 1 does not support it" in (
        failing[0].describe()
    )
    chunk, answer = _answer("fragment")
    [fragment] = failing_items(answer, chunk)
    assert fragment.kind == "key_points" and "not a complete sentence" in fragment.reason


def test_a_point_citing_the_wrong_page_fails_even_though_the_page_was_sent() -> None:
    chunk, answer = _answer("ok")
    moved = answer.key_points[0].model_copy(update={"source": answer.key_points[1].source})
    answer = answer.model_copy(update={"key_points": [moved, answer.key_points[1]]})
    assert [(f.kind, f.index) for f in failing_items(answer, chunk)] == [("key_points", 0)]


def test_without_drops_exactly_the_failing_items() -> None:
    chunk, answer = _answer("unsupported")
    kept = without(answer, failing_items(answer, chunk))
    assert len(kept.key_points) == len(answer.key_points) - 1 and UNSUPPORTED_POINT not in str(kept)
    assert UNSUPPORTED_BACK not in str(kept) and kept.slides == answer.slides


def test_an_unsupported_bullet_leaves_its_slide_and_the_other_bullets() -> None:
    chunk, answer = _answer("ok")
    slide = answer.slides[0]
    padded = slide.model_copy(update={"bullets": [*slide.bullets, UNSUPPORTED_POINT, "O(n)"]})
    answer = answer.model_copy(update={"slides": [padded, *answer.slides[1:]]})
    failing = failing_items(answer, chunk)
    assert [(f.kind, f.index, f.bullet) for f in failing] == [("slides", 0, len(slide.bullets))]
    kept = without(answer, failing)
    assert kept.slides[0].bullets == [*slide.bullets, "O(n)"] and len(kept.slides) == len(answer.slides)
