"""Scores of one set of study aids against the document it came from (the quality benchmark).

Every score uses the application's own checks (`shared.ai.language.grounding`, `statements`, `keyterms`),
so what the benchmark calls grounded or complete is what the OpenAI path accepts.
"""

from __future__ import annotations

import itertools
import re
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from shared.ai.contracts.aids import Citation, Flashcard, StudyAids
from shared.ai.language.grounding import SUPPORTED, page_words, stems, support
from shared.ai.language.statements import as_statement, is_statement
from shared.ai.language.text import is_navigation, split_sentences
from shared.ai.local.analysis import analyse, citation_for
from shared.ai.local.keyterms import term_problem
from shared.ai.local.similar import NEAR_DUPLICATE, jaccard
from shared.documents.contracts import Structure

T = TypeVar("T")
GAP = "_____"
_QUOTED = re.compile(r"\u201c(.+?)\u201d")


@dataclass(frozen=True)
class Scores:
    grounding: float
    fragments: float
    term_quality: float
    coverage: float
    near_duplicates: float
    overview: float
    items: int
    cards: int
    key_points: int


@dataclass(frozen=True)
class Document:
    """What the scores compare against: the text per citation, body text, headings, defined terms."""

    pages: dict[Citation, str]
    body: str
    headings: frozenset[str]
    defined: frozenset[str]

    @classmethod
    def of(cls, structure: Structure) -> Document:
        pages: dict[Citation, list[str]] = defaultdict(list)
        for section in structure.sections:
            pages[citation_for(structure, section)].append(section.text)
        defined = frozenset(d.term.casefold() for d in analyse(structure).definitions)
        return cls(
            pages={c: "\n".join(texts) for c, texts in pages.items()},
            body="\n".join(s.text for s in structure.sections).casefold(),
            headings=frozenset(s.heading.strip().casefold() for s in structure.sections),
            defined=defined,
        )

    def evidence(self, citation: Citation) -> frozenset[str]:
        text = self.pages.get(citation)
        return frozenset() if text is None else page_words(citation.section, [text])

    def uses(self, term: str) -> int:
        return len(re.findall(rf"(?<!\w){re.escape(term.casefold())}(?!\w)", self.body))


def score(structure: Structure, aids: StudyAids) -> Scores:
    document = Document.of(structure)
    claims = _claims(aids)
    statements = [k.text for k in aids.notes.key_points] + [c.back for c in aids.cards if GAP not in c.front]
    terms = [t for t in (_term_of(c) for c in aids.cards) if t is not None]
    overview = split_sentences(aids.notes.overview)
    return Scores(
        grounding=_share(claims, lambda c: support(c[0], document.evidence(c[1])) >= SUPPORTED),
        fragments=1 - _share(statements, _all_statements) if statements else 0.0,
        term_quality=_share(terms, lambda t: _good_term(t, document)),
        coverage=coverage(document, aids),
        near_duplicates=near_duplicates(aids),
        overview=_share(overview, is_statement),
        items=len(claims),
        cards=len(aids.cards),
        key_points=len(aids.notes.key_points),
    )


def _all_statements(text: str) -> bool:
    """A back may hold several sentences (a section recap); each must be a complete statement."""
    return all(is_statement(sentence) for sentence in split_sentences(text))


def _claims(aids: StudyAids) -> list[tuple[str, Citation]]:
    notes = aids.notes
    found = [(k.text, k.source) for k in notes.key_points]
    found += [(f"{g.term} {g.definition}", g.source) for g in notes.glossary]
    return found + [(_card_claim(c), c.source) for c in aids.cards]


def _card_claim(card: Flashcard) -> str:
    return card.front.replace(GAP, card.back) if GAP in card.front else card.back


def _term_of(card: Flashcard) -> str | None:
    if "cloze" in card.tags:
        return card.back
    if "definition" in card.tags:
        quoted = _QUOTED.search(card.front)
        return quoted.group(1) if quoted else card.front
    return None


def _good_term(term: str, document: Document) -> bool:
    defined = term.casefold() in document.defined
    return term_problem(term, uses=document.uses(term), defined=defined, headings=document.headings) is None


def coverage(document: Document, aids: StudyAids) -> float:
    """Share of content sections (a citation whose text has a complete statement) that some key point or card cites."""
    content = {
        c
        for c, text in document.pages.items()
        if not is_navigation(c.section) and any(as_statement(s) for s in split_sentences(text))
    }
    cited = {k.source for k in aids.notes.key_points} | {c.source for c in aids.cards}
    return len(content & cited) / len(content) if content else 1.0


def near_duplicates(aids: StudyAids) -> float:
    """Share of key points and cards that say nearly what an earlier one of the same kind says."""
    groups = [[k.text for k in aids.notes.key_points], [f"{c.front} {c.back}" for c in aids.cards]]
    total = sum(len(g) for g in groups)
    repeats = sum(_repeats(group) for group in groups)
    return repeats / total if total else 0.0


def _repeats(texts: list[str]) -> int:
    sets = [stems(t) for t in texts]
    repeated = {
        j for i, j in itertools.combinations(range(len(sets)), 2) if jaccard(sets[i], sets[j]) >= NEAR_DUPLICATE
    }
    return len(repeated)


def _share(items: Sequence[T], good: Callable[[T], bool]) -> float:
    return sum(1 for item in items if good(item)) / len(items) if items else 1.0


@dataclass(frozen=True)
class Threshold:
    """Lexical support of a document's statements measured against another page of the same document."""

    sentences: int
    other_median: float
    #: Share of statements another page would wrongly "support", per threshold.
    false_accepts: dict[float, float]


CANDIDATE_THRESHOLDS = (0.5, 0.6, 0.75, 0.9)


def threshold_check(structure: Structure) -> Threshold:
    """Each statement against the page half the document away (a plausible mis-citation)."""
    document = Document.of(structure)
    pages = [c for c in document.pages if document.pages[c].strip()]
    values: list[float] = []
    for index, citation in enumerate(pages):
        other = document.evidence(pages[(index + len(pages) // 2) % len(pages)])
        for sentence in split_sentences(document.pages[citation]):
            statement = as_statement(sentence)
            if statement is not None and len(pages) > 1:
                values.append(support(statement, other))
    values.sort()
    median = values[len(values) // 2] if values else 0.0
    shares = {t: sum(v >= t for v in values) / len(values) if values else 0.0 for t in CANDIDATE_THRESHOLDS}
    return Threshold(sentences=len(values), other_median=median, false_accepts=shares)
