"""Provider output is validated before anything is written: schema first, then every citation."""

from __future__ import annotations

import json
from typing import Any

import pytest

from shared.ai.adapters.schema import response_format, strict_schema
from shared.ai.llm.answer import ChunkAids
from shared.ai.llm.chunking import Chunk, chunk_structure
from shared.ai.llm.validate import InvalidOutput, parse_answer
from tests.support.ai_docs import lecture
from tests.support.openai_stub_answers import answer_for


def _chunk_and_answer() -> tuple[Chunk, dict[str, Any]]:
    chunk = chunk_structure(lecture(pages=2), budget=4000)[0]
    sections = [{"section": p.source.section, "page": p.source.page, "text": p.text} for p in chunk.parts]
    body = {"messages": [{"role": "user", "content": json.dumps({"sections": sections})}]}
    return chunk, json.loads(answer_for(body, "ok"))


def test_a_valid_answer_parses() -> None:
    chunk, answer = _chunk_and_answer()
    parsed = parse_answer(json.dumps(answer), chunk)
    assert parsed.key_points[0].source.page == 1


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        (None, "empty"),
        ('{"overview": "cut off', "Invalid JSON"),
        ('{"overview": "x", "key_points": "not a list"}', "key_points"),
    ],
)
def test_malformed_output_is_rejected(content: str | None, problem: str) -> None:
    chunk, _ = _chunk_and_answer()
    with pytest.raises(InvalidOutput, match=problem):
        parse_answer(content, chunk)


def test_schema_violations_are_rejected() -> None:
    chunk, answer = _chunk_and_answer()
    too_many = json.loads(json.dumps(answer))
    too_many["slides"][0]["bullets"] = [f"b{i}" for i in range(7)]
    extra = json.loads(json.dumps(answer))
    extra["key_points"][0]["confidence"] = 0.9
    no_slides = {**answer, "slides": []}
    for bad in (too_many, extra, no_slides):
        with pytest.raises(InvalidOutput):
            parse_answer(json.dumps(bad), chunk)


def test_a_citation_of_a_page_that_was_not_sent_is_rejected() -> None:
    chunk, answer = _chunk_and_answer()
    answer["flashcards"][0]["source"] = {"section": "Search problems", "page": 7}
    with pytest.raises(InvalidOutput, match=r"p\. 7"):
        parse_answer(json.dumps(answer), chunk)


def test_citations_match_headings_ignoring_case_and_spacing() -> None:
    chunk, answer = _chunk_and_answer()
    answer["key_points"][0]["source"] = {"section": "search  PROBLEMS", "page": 1}
    assert parse_answer(json.dumps(answer), chunk).key_points[0].source.section == "search  PROBLEMS"


def test_the_strict_schema_requires_everything_and_forbids_extras() -> None:
    schema = strict_schema(ChunkAids)
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == {"overview", "key_points", "glossary", "slides", "flashcards"}
    for definition in schema["$defs"].values():
        assert definition["additionalProperties"] is False
        assert set(definition["required"]) == set(definition["properties"])
    assert "default" not in json.dumps(schema) and "maxItems" not in json.dumps(schema)
    assert response_format(ChunkAids)["json_schema"]["strict"] is True
