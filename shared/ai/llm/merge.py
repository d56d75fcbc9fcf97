"""Merge the answers for a document's chunks into one set of study aids, labelled with the model."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from shared.ai.cards import make_card, unique_cards
from shared.ai.contracts.aids import Citation, GlossaryEntry, KeyPoint, NotesSummary, Slide, StudyAids, Usage
from shared.ai.language.text import normalised
from shared.ai.llm.answer import ChunkAids
from shared.ai.llm.chunking import Chunk

T = TypeVar("T")


def merge_chunks(*, title: str, answers: list[tuple[Chunk, ChunkAids]], model: str, usage: Usage) -> StudyAids:
    """Key points and glossary deduplicated by normalised text, slides renumbered, cards by id."""
    chunks = [chunk for chunk, _ in answers]
    parts = [answer for _, answer in answers]
    notes = NotesSummary(
        title=title,
        overview=" ".join(answer.overview.strip() for answer in parts),
        overview_sources=_first_citations(chunks),
        key_points=_unique(
            [
                KeyPoint(text=k.text, source=_canon(k.source, c), generator=model)
                for c, a in answers
                for k in a.key_points
            ],
            key=lambda k: normalised(k.text),
        ),
        glossary=_unique(
            [
                GlossaryEntry(term=g.term, definition=g.definition, source=_canon(g.source, c), generator=model)
                for c, a in answers
                for g in a.glossary
            ],
            key=lambda g: normalised(g.term),
        ),
        generator=model,
    )
    deck = [
        Slide(
            index=i,
            title=s.title,
            bullets=s.bullets,
            narration=s.narration,
            source=_canon(s.source, c),
            generator=model,
        )
        for i, (c, s) in enumerate(((c, s) for c, a in answers for s in a.slides), start=1)
    ]
    cards = unique_cards(
        [
            make_card(front=f.front, back=f.back, source=_canon(f.source, c), tags=f.tags, generator=model)
            for c, a in answers
            for f in a.flashcards
        ]
    )
    return StudyAids(generator=model, notes=notes, slides=deck, cards=cards, usage=usage)


def _canon(citation: Citation, chunk: Chunk) -> Citation:
    """The citation exactly as the document spells it (the model may change case or spacing)."""
    wanted = (normalised(citation.section), citation.page)
    return next((c for c in chunk.citations if (normalised(c.section), c.page) == wanted), citation)


def _first_citations(chunks: list[Chunk]) -> list[Citation]:
    return [chunk.parts[0].source for chunk in chunks]


def _unique(items: list[T], *, key: Callable[[T], str]) -> list[T]:
    seen: dict[str, T] = {}
    for item in items:
        seen.setdefault(key(item), item)
    return list(seen.values())
