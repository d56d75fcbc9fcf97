"""Flashcards without a model: definitions, cloze deletions of key sentences, section recaps."""

from __future__ import annotations

from shared.ai.analysis import Analysis
from shared.ai.cards import make_card, unique_cards
from shared.ai.local_notes import key_sentences
from shared.ai.models import Flashcard
from shared.ai.terms import cloze
from shared.ai.text import shorten

GENERATOR = "local"
MAX_CLOZE = 20
MAX_CARDS = 50


def cards_from(analysis: Analysis) -> list[Flashcard]:
    cards = _definition_cards(analysis) + _cloze_cards(analysis) + _section_cards(analysis)
    return unique_cards(cards)[:MAX_CARDS]


def _definition_cards(analysis: Analysis) -> list[Flashcard]:
    return [
        make_card(
            front=f"What is meant by “{d.term}”?",
            back=d.definition,
            source=d.sentence.source,
            tags=["definition", *_tag(d.sentence.source.section)],
            generator=GENERATOR,
        )
        for d in analysis.definitions
    ]


def _cloze_cards(analysis: Analysis) -> list[Flashcard]:
    cards: list[Flashcard] = []
    candidates = key_sentences(analysis) + analysis.ranked()[:MAX_CLOZE]
    for sentence in dict.fromkeys(candidates):
        gap = cloze(sentence.text, analysis.terms)
        if gap is not None and len(cards) < MAX_CLOZE:
            front, answer = gap
            tags = ["cloze", *_tag(sentence.source.section)]
            cards.append(make_card(front=front, back=answer, source=sentence.source, tags=tags, generator=GENERATOR))
    return cards


def _section_cards(analysis: Analysis) -> list[Flashcard]:
    cards: list[Flashcard] = []
    for index, section in enumerate(analysis.structure.sections):
        ranked = analysis.ranked_in(index)
        heading = section.heading.strip()
        if not heading or not ranked or heading == analysis.title:
            continue
        back = " ".join(shorten(s.text, max_words=30) for s in sorted(ranked[:2], key=lambda s: s.position))
        front = f"What are the main points of “{heading}”?"
        cards.append(make_card(front=front, back=back, source=ranked[0].source, tags=["section"], generator=GENERATOR))
    return cards


def _tag(section: str) -> list[str]:
    slug = "-".join(section.lower().split())[:40]
    return [slug] if slug else []
