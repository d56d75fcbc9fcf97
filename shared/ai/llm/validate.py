"""Validate a model's answer before anything is written: the schema, then every citation."""

from __future__ import annotations

from pydantic import ValidationError

from shared.ai.contracts.aids import Citation
from shared.ai.language.text import normalised
from shared.ai.llm.answer import ChunkAids
from shared.ai.llm.chunking import Chunk


class InvalidOutput(ValueError):
    """The answer does not parse, does not match the schema, or cites what it was not given."""


def parse_answer(content: str | None, chunk: Chunk) -> ChunkAids:
    if not content:
        raise InvalidOutput("the answer was empty")
    try:
        answer = ChunkAids.model_validate_json(content)
    except ValidationError as exc:
        raise InvalidOutput(_short(exc)) from exc
    given = {_key(c) for c in chunk.citations}
    unknown = sorted({f"{c.section!r} p. {c.page}" for c in _citations(answer) if _key(c) not in given})
    if unknown:
        raise InvalidOutput(f"it cites sections or pages that were not given: {', '.join(unknown[:5])}")
    return answer


def _citations(answer: ChunkAids) -> list[Citation]:
    sources = [k.source for k in answer.key_points] + [g.source for g in answer.glossary]
    return sources + [s.source for s in answer.slides] + [f.source for f in answer.flashcards]


def _key(citation: Citation) -> tuple[str, int | None]:
    return normalised(citation.section), citation.page


def _short(exc: ValidationError) -> str:
    errors = exc.errors()[:3]
    return "; ".join(f"{'.'.join(str(p) for p in e['loc'])}: {e['msg']}" for e in errors) or str(exc)
