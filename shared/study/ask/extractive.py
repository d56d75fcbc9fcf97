"""The extractive answer: the retrieved sentences that share the most words with the question."""

from __future__ import annotations

import re

from shared.search.contracts import Passage
from shared.study.contracts import AnswerCitation, AnswerSentence
from shared.study.reviews.sameness import words

MAX_SENTENCES = 3
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z0-9“\"(])")
_STOP = frozenset(
    "a an the of to in on at by for and or is are was were be been what which who whom whose why how when where "
    "does do did can could should would will with from that this these those it its as about into than then "
    "there their they them not no yes if so such".split()
)


def content_words(text: str) -> frozenset[str]:
    return frozenset(w for w in words(text) if w not in _STOP and len(w) > 1)


def citation(passage: Passage) -> AnswerCitation:
    return AnswerCitation(
        document_id=passage.document_id,
        document_title=passage.title,
        section=passage.cite_section,
        page=passage.cite_page,
        unit=passage.page_unit,
    )


def extractive_answer(question: str, passages: list[Passage]) -> list[AnswerSentence]:
    """Up to three sentences from the passages, best first, each citing the passage it comes from."""
    asked = content_words(question)
    scored: list[tuple[float, int, str, Passage]] = []
    for rank, passage in enumerate(passages):
        for sentence in _sentences(passage.body):
            overlap = len(asked & content_words(sentence))
            if overlap:
                scored.append((overlap + passage.score, -rank, sentence, passage))
    scored.sort(key=lambda item: (item[0], item[1]), reverse=True)
    chosen: list[AnswerSentence] = []
    for _, _, sentence, passage in scored:
        if all(sentence != picked.text for picked in chosen):
            chosen.append(AnswerSentence(text=sentence, citations=[citation(passage)]))
        if len(chosen) == MAX_SENTENCES:
            break
    return chosen


def _sentences(text: str) -> list[str]:
    flat = " ".join(text.split())
    return [s.strip() for s in _SENTENCE_END.split(flat) if len(s.strip()) > 2]
