"""Split a document by section into requests that fit a token budget (long sections by paragraph)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field

from shared.ai.contracts.aids import Citation
from shared.ai.local.analysis import citation_for
from shared.documents.contracts import Structure

CHARS_PER_TOKEN = 4


def estimate_tokens(text: str) -> int:
    """A conservative estimate (about four characters a token for English) without a tokenizer."""
    return math.ceil(len(text) / CHARS_PER_TOKEN)


@dataclass(frozen=True)
class Part:
    source: Citation
    text: str

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.text) + estimate_tokens(self.source.section) + 8


@dataclass
class Chunk:
    parts: list[Part] = field(default_factory=list)

    @property
    def tokens(self) -> int:
        return sum(part.tokens for part in self.parts)

    @property
    def citations(self) -> set[Citation]:
        return {part.source for part in self.parts}


def chunk_structure(structure: Structure, *, budget: int) -> list[Chunk]:
    chunks: list[Chunk] = [Chunk()]
    for part in _parts(structure, budget=budget):
        if chunks[-1].parts and chunks[-1].tokens + part.tokens > budget:
            chunks.append(Chunk())
        chunks[-1].parts.append(part)
    return [chunk for chunk in chunks if chunk.parts]


def _parts(structure: Structure, *, budget: int) -> list[Part]:
    parts: list[Part] = []
    for section in structure.sections:
        if section.text.strip():
            source = citation_for(structure, section)
            parts.extend(Part(source, piece) for piece in _pieces(section.text, budget=budget))
    return parts


def _pieces(text: str, *, budget: int) -> list[str]:
    """A section's text in pieces of at most `budget` tokens, cut at paragraph then line ends."""
    limit = budget * CHARS_PER_TOKEN - 200
    pieces: list[str] = [""]
    for line in text.splitlines(keepends=True):
        while len(line) > limit:
            pieces.append(line[:limit])
            line = line[limit:]
        if len(pieces[-1]) + len(line) > limit:
            pieces.append("")
        pieces[-1] += line
    return [piece.strip() for piece in pieces if piece.strip()]


def within_budget(chunks: list[Chunk], *, budget: int, per_request: int) -> list[Chunk]:
    """The leading chunks whose estimated cost (sections + `per_request`) fits the budget; at least one."""
    kept: list[Chunk] = []
    spent = 0
    for chunk in chunks:
        spent += chunk.tokens + per_request
        if kept and spent > budget:
            break
        kept.append(chunk)
    return kept
