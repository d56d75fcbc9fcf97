"""Extractive notes: overview and key points by TextRank, glossary from definitions and key terms."""

from __future__ import annotations

from shared.ai.analysis import Analysis
from shared.ai.models import GlossaryEntry, KeyPoint, NotesSummary
from shared.ai.text import Sentence, joined

GENERATOR = "local"
OVERVIEW_SENTENCES = 3
PER_SECTION = 2
MIN_GLOSSARY = 5
MAX_GLOSSARY = 15


def notes_from(analysis: Analysis) -> NotesSummary:
    overview = sorted(_complete(analysis.ranked())[:OVERVIEW_SENTENCES], key=lambda s: s.position)
    return NotesSummary(
        title=analysis.title,
        overview=joined([s.text for s in overview]),
        overview_sources=list(dict.fromkeys(s.source for s in overview)),
        key_points=[KeyPoint(text=s.text, source=s.source, generator=GENERATOR) for s in key_sentences(analysis)],
        glossary=glossary_from(analysis),
        generator=GENERATOR,
    )


def key_sentences(analysis: Analysis) -> list[Sentence]:
    """The best sentences, at most two per section, in reading order."""
    wanted = min(12, max(5, len(analysis.structure.sections)))
    chosen: list[Sentence] = []
    per_section: dict[int, int] = {}
    for sentence in _complete(analysis.ranked()):
        if len(chosen) == wanted:
            break
        if per_section.get(sentence.section, 0) < PER_SECTION:
            per_section[sentence.section] = per_section.get(sentence.section, 0) + 1
            chosen.append(sentence)
    return sorted(chosen, key=lambda s: s.position)


def glossary_from(analysis: Analysis) -> list[GlossaryEntry]:
    entries = [
        GlossaryEntry(term=d.term, definition=d.definition, source=d.sentence.source, generator=GENERATOR)
        for d in analysis.definitions[:MAX_GLOSSARY]
    ]
    known = {e.term.casefold() for e in entries}
    for term in analysis.terms:
        if len(entries) >= MIN_GLOSSARY:
            break
        context = _context_of(analysis, term)
        if term.casefold() not in known and context is not None:
            entries.append(
                GlossaryEntry(term=term, definition=context.text, source=context.source, generator=GENERATOR)
            )
            known.add(term.casefold())
    return entries


def _context_of(analysis: Analysis, term: str) -> Sentence | None:
    """The highest-ranked sentence using a term: the closest an extractive tool gets to a definition."""
    return next((s for s in analysis.ranked() if term in s.text.lower()), None)


def _complete(sentences: list[Sentence]) -> list[Sentence]:
    """Sentences that stand alone: not a lead-in ending in a colon ("A* is optimal if:")."""
    return [s for s in sentences if not s.text.endswith(":")]
