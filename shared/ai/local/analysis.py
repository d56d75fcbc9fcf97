"""One pass over a document for the local generator: sentences, their TextRank scores, key terms."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from functools import cached_property

from shared.ai.contracts.aids import Citation
from shared.ai.language.text import (
    Sentence,
    content_words,
    is_navigation,
    is_prose,
    normalised,
    split_sentences,
    word_count,
)
from shared.ai.local.rank import textrank
from shared.ai.local.terms import Definition, find_definitions, key_terms
from shared.documents.contracts import Section, Structure

MIN_WORDS = 4
MAX_WORDS = 80
REPEATED = 3


@dataclass
class Analysis:
    title: str
    structure: Structure
    sentences: list[Sentence]
    scores: list[float]
    terms: list[str]
    definitions: list[Definition]

    def ranked(self) -> list[Sentence]:
        """Best first; ties keep reading order."""
        return list(self._ranked)

    def ranked_in(self, section: int) -> list[Sentence]:
        return list(self._by_section.get(section, ()))

    @cached_property
    def _ranked(self) -> tuple[Sentence, ...]:
        order = sorted(range(len(self.sentences)), key=lambda i: (-self.scores[i], i))
        return tuple(self.sentences[i] for i in order)

    @cached_property
    def _by_section(self) -> dict[int, tuple[Sentence, ...]]:
        grouped: dict[int, list[Sentence]] = {}
        for sentence in self._ranked:
            grouped.setdefault(sentence.section, []).append(sentence)
        return {section: tuple(items) for section, items in grouped.items()}


def citation_for(structure: Structure, section: Section) -> Citation:
    heading = section.heading.strip() or structure.title.strip() or "Document"
    return Citation(section=heading, page=section.source.page)


def analyse(structure: Structure) -> Analysis:
    sentences = _sentences(structure)
    scores = textrank([s.words for s in sentences])
    return Analysis(
        title=structure.title.strip() or "Untitled document",
        structure=structure,
        sentences=sentences,
        scores=scores,
        terms=key_terms(sentences),
        definitions=find_definitions(sentences),
    )


def _sentences(structure: Structure) -> list[Sentence]:
    """Prose sentences of the document, without running headers, footers and other repeats."""
    found: list[tuple[int, str]] = [
        (index, text)
        for index, section in enumerate(structure.sections)
        if not is_navigation(section.heading)
        for text in split_sentences(section.text)
        if MIN_WORDS <= word_count(text) <= MAX_WORDS and text.casefold() != section.heading.casefold()
    ]
    # A sentence printed on three or more pages is a running header or footer, not content;
    # any other repeat (a DOCX has no pages) is kept once, where it first appears.
    pages: dict[str, set[int]] = defaultdict(set)
    for index, text in found:
        page = structure.sections[index].source.page
        if page is not None:
            pages[normalised(text)].add(page)
    taken: set[str] = set()
    citations: dict[int, Citation] = {}
    sentences: list[Sentence] = []
    for index, text in found:
        key = normalised(text)
        if len(pages.get(key, ())) < REPEATED and key not in taken and is_prose(text):
            taken.add(key)
            if index not in citations:  # one Citation per section, not per sentence
                citations[index] = citation_for(structure, structure.sections[index])
            source = citations[index]
            words = content_words(text)
            sentences.append(Sentence(text, index, len(sentences), source, words))
    return sentences
