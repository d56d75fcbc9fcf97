"""Flashcards without a model: definitions, cloze deletions of key sentences, section recaps.

Every back is a complete statement from the document (a cloze card's back is its key term), each
sentence feeds at most one card, and every section with a statement gets a card, so the deck
covers the document.
"""

from __future__ import annotations

from collections import Counter
from itertools import islice

from shared.ai.cards import make_card, unique_cards
from shared.ai.contracts.aids import Flashcard
from shared.ai.language.grounding import stems
from shared.ai.language.text import Sentence
from shared.ai.local.analysis import Analysis
from shared.ai.local.notes import key_sentences, statement_of, statements
from shared.ai.local.similar import NearDuplicates
from shared.ai.local.terms import cloze

GENERATOR = "local"
MAX_DEFINITIONS = 15
MAX_CLOZE = 20
#: The same answer on many cards teaches one thing many times.
GAPS_PER_TERM = 2
MAX_CARDS = 200
RECAP_SENTENCES = 2
RECAP_WORDS = 60


def cards_from(analysis: Analysis) -> list[Flashcard]:
    used: set[int] = set()
    cards = _definition_cards(analysis, used) + _cloze_cards(analysis, used) + _section_cards(analysis, used)
    seen = NearDuplicates()
    return [card for card in unique_cards(cards) if seen.add(stems(f"{card.front} {card.back}"))][:MAX_CARDS]


def _definition_cards(analysis: Analysis, used: set[int]) -> list[Flashcard]:
    cards: list[Flashcard] = []
    for d in analysis.definitions:
        if len(cards) == MAX_DEFINITIONS:
            break
        if d.sentence.statement is None:
            continue
        used.add(d.sentence.position)
        source = d.sentence.source
        tags = ["definition", *_tag(source.section)]
        front = f"What is meant by “{d.term}”?"
        cards.append(make_card(front=front, back=d.sentence.statement, source=source, tags=tags, generator=GENERATOR))
    return cards


def _cloze_cards(analysis: Analysis, used: set[int]) -> list[Flashcard]:
    cards: list[Flashcard] = []
    candidates = key_sentences(analysis) + list(islice(statements(analysis.ranked()), MAX_CLOZE))
    terms = _gap_terms(analysis)
    answers: Counter[str] = Counter()
    for sentence in dict.fromkeys(candidates):
        fresh = [t for t in terms if answers[t.casefold()] < GAPS_PER_TERM]
        gap = cloze(statement_of(sentence), fresh)
        if gap is None or sentence.position in used or len(cards) == MAX_CLOZE:
            continue
        used.add(sentence.position)
        front, answer = gap
        answers[answer.casefold()] += 1
        tags = ["cloze", *_tag(sentence.source.section)]
        cards.append(make_card(front=front, back=answer, source=sentence.source, tags=tags, generator=GENERATOR))
    return cards


def _gap_terms(analysis: Analysis) -> list[str]:
    """Defined terms and recurring word pairs: a lone frequent word ("search", "path") is a weak gap."""
    pairs = [t for t in analysis.terms if " " in t]
    return list(dict.fromkeys([*(d.term for d in analysis.definitions), *pairs]))


def _section_cards(analysis: Analysis, used: set[int]) -> list[Flashcard]:
    """A recap per section from statements no other card uses."""
    cards: list[Flashcard] = []
    headings: set[str] = set()
    for index, section in enumerate(analysis.structure.sections):
        fresh = (s for s in statements(analysis.ranked_in(index)) if s.position not in used)
        ranked = list(islice(fresh, RECAP_SENTENCES))
        heading = section.heading.strip()
        if not heading or not ranked or heading == analysis.title:
            continue
        chosen = _recap(ranked)
        used.update(s.position for s in chosen)
        back = " ".join(statement_of(s) for s in sorted(chosen, key=lambda s: s.position))
        front = f"What are the main points of “{heading}”{_on_page(ranked[0], headings)}?"
        headings.add(heading)
        cards.append(make_card(front=front, back=back, source=ranked[0].source, tags=["section"], generator=GENERATOR))
    return cards


def _on_page(sentence: Sentence, headings: set[str]) -> str:
    """A heading that runs over several pages gets a card per page: the front names the page."""
    page = sentence.source.page
    return f" on page {page}" if sentence.source.section in headings and page is not None else ""


def _recap(ranked: list[Sentence]) -> list[Sentence]:
    chosen = [ranked[0]]
    for sentence in ranked[1:]:
        if sum(len(s.text.split()) for s in chosen) + len(sentence.text.split()) <= RECAP_WORDS:
            chosen.append(sentence)
    return chosen


def _tag(section: str) -> list[str]:
    slug = "-".join(section.lower().split())[:40]
    return [slug] if slug else []
