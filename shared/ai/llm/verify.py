"""Check a model's answer item by item: does the cited section support it, is a key point a sentence?

Runs after `validate.parse_answer` (so every citation names a section that was sent). Items that
fail are named in one re-ask (`prompt.unsupported`); what still fails is left out (`without`).
Slides keep their place in the deck: only their unsupported bullets are left out.
"""

from __future__ import annotations

from dataclasses import dataclass

from shared.ai.contracts.aids import Citation
from shared.ai.language.grounding import SUPPORTED, page_words, stems, support
from shared.ai.language.statements import fragment_reason
from shared.ai.language.text import normalised
from shared.ai.llm.answer import ChunkAids
from shared.ai.llm.chunking import Chunk
from shared.ai.render import cite

#: Words of a flashcard's question that no page needs to contain.
_QUESTION = frozenset("meant mean main points explain describe define name list give role purpose say says".split())


@dataclass(frozen=True)
class Failing:
    kind: str  # "key_points", "glossary", "flashcards", "slides"
    index: int
    bullet: int | None
    text: str
    reason: str

    def describe(self) -> str:
        where = f"{self.kind}[{self.index}]" + (f".bullets[{self.bullet}]" if self.bullet is not None else "")
        return f"{where} “{self.text}”: {self.reason}"


def failing_items(answer: ChunkAids, chunk: Chunk) -> list[Failing]:
    pages = _Evidence(chunk)
    found: list[Failing] = []
    for i, point in enumerate(answer.key_points):
        reason = pages.unsupported(point.text, point.source) or _not_a_sentence(point.text)
        found += [Failing("key_points", i, None, point.text, reason)] if reason else []
    for i, entry in enumerate(answer.glossary):
        reason = pages.unsupported(f"{entry.term} {entry.definition}", entry.source)
        found += [Failing("glossary", i, None, entry.term, reason)] if reason else []
    for i, card in enumerate(answer.flashcards):
        reason = pages.unsupported(_card_claim(card.front, card.back), card.source)
        found += [Failing("flashcards", i, None, card.front, reason)] if reason else []
    for i, slide in enumerate(answer.slides):
        for j, bullet in enumerate(slide.bullets):
            # The bullet alone (a model's slide title is its own words); "O(n)" has nothing to check.
            reason = pages.unsupported(bullet, slide.source) if stems(bullet) else None
            found += [Failing("slides", i, j, bullet, reason)] if reason else []
    return found


def without(answer: ChunkAids, failing: list[Failing]) -> ChunkAids:
    """The answer minus the failing items (a slide minus its failing bullets)."""
    gone = {(f.kind, f.index, f.bullet) for f in failing}
    slides = [
        s.model_copy(update={"bullets": [b for j, b in enumerate(s.bullets) if ("slides", i, j) not in gone]})
        for i, s in enumerate(answer.slides)
    ]
    return answer.model_copy(
        update={
            "key_points": [k for i, k in enumerate(answer.key_points) if ("key_points", i, None) not in gone],
            "glossary": [g for i, g in enumerate(answer.glossary) if ("glossary", i, None) not in gone],
            "flashcards": [f for i, f in enumerate(answer.flashcards) if ("flashcards", i, None) not in gone],
            "slides": slides,
        }
    )


class _Evidence:
    """The stemmed words of each section sent, by citation (a long section may come in pieces)."""

    def __init__(self, chunk: Chunk) -> None:
        texts: dict[tuple[str, int | None], list[str]] = {}
        for part in chunk.parts:
            texts.setdefault(_key(part.source), [part.source.section]).append(part.text)
        self.words = {key: page_words(parts[0], parts[1:]) for key, parts in texts.items()}

    def unsupported(self, claim: str, source: Citation) -> str | None:
        share = support(claim, self.words.get(_key(source), frozenset()))
        if share >= SUPPORTED:
            return None
        return f"{cite(source)} does not support it (only {share:.0%} of its words are there)"


def _not_a_sentence(text: str) -> str | None:
    reason = fragment_reason(text, verb=False)
    return None if reason is None else f"not a complete sentence ({reason})"


def _card_claim(front: str, back: str) -> str:
    return " ".join(w for w in f"{front} {back}".split() if w.strip("?,.").casefold() not in _QUESTION)


def _key(citation: Citation) -> tuple[str, int | None]:
    return normalised(citation.section), citation.page
