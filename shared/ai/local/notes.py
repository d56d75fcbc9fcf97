"""Extractive notes: overview and key points by TextRank, glossary from definitions and key terms.

Only complete statements become an overview sentence or a key point (a slide line that lacks
only its full stop gets one), and a sentence that says nearly what a chosen one says is skipped.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from shared.ai.contracts.aids import GlossaryEntry, KeyPoint, NotesSummary
from shared.ai.language.grounding import stems
from shared.ai.language.text import Sentence
from shared.ai.local.analysis import Analysis
from shared.ai.local.similar import NearDuplicates

GENERATOR = "local"
OVERVIEW_SENTENCES = 3
PER_SECTION = 2
MIN_KEY_POINTS = 5
MAX_KEY_POINTS = 12
MIN_GLOSSARY = 5
MAX_GLOSSARY = 15


def notes_from(analysis: Analysis) -> NotesSummary:
    overview = sorted(islice(statements(analysis.ranked()), OVERVIEW_SENTENCES), key=lambda s: s.position)
    return NotesSummary(
        title=analysis.title,
        overview=" ".join(statement_of(s) for s in overview) or _fallback_overview(analysis),
        overview_sources=list(dict.fromkeys(s.source for s in overview)),
        key_points=[
            KeyPoint(text=statement_of(s), source=s.source, generator=GENERATOR) for s in key_sentences(analysis)
        ],
        glossary=glossary_from(analysis),
        generator=GENERATOR,
    )


def statements(sentences: Iterable[Sentence]) -> Iterator[Sentence]:
    """The complete statements among `sentences`, lazily (take only as many as you need)."""
    return (s for s in sentences if s.statement is not None)


def statement_of(sentence: Sentence) -> str:
    return sentence.statement or sentence.text


def key_sentences(analysis: Analysis) -> list[Sentence]:
    """The best statements, at most two per section and no near-duplicates, in reading order.

    A document of slide scraps only (not one complete statement) gets its best lines instead:
    notes without a single key point would leave the student nothing."""
    wanted = min(MAX_KEY_POINTS, max(MIN_KEY_POINTS, len(analysis.structure.sections)))
    chosen: list[Sentence] = []
    seen = NearDuplicates()
    per_section: dict[int, int] = {}
    ranked = analysis.ranked()
    pool = statements(ranked) if next(statements(ranked), None) is not None else iter(ranked)
    for sentence in pool:
        if len(chosen) == wanted:
            break
        if per_section.get(sentence.section, 0) < PER_SECTION and seen.add(stems(sentence.text)):
            per_section[sentence.section] = per_section.get(sentence.section, 0) + 1
            chosen.append(sentence)
    return sorted(chosen, key=lambda s: s.position)


def glossary_from(analysis: Analysis) -> list[GlossaryEntry]:
    entries = [
        GlossaryEntry(term=d.term, definition=d.definition, source=d.sentence.source, generator=GENERATOR)
        for d in analysis.definitions[:MAX_GLOSSARY]
    ]
    known = {e.term.casefold() for e in entries}
    for term in (t for t in analysis.terms if " " in t):  # a lone frequent word ("data") explains nothing
        if len(entries) >= MIN_GLOSSARY:
            break
        context = _context_of(analysis, term)
        if term.casefold() not in known and context is not None:
            definition = statement_of(context)
            entries.append(GlossaryEntry(term=term, definition=definition, source=context.source, generator=GENERATOR))
            known.add(term.casefold())
    return entries


def _context_of(analysis: Analysis, term: str) -> Sentence | None:
    """The highest-ranked statement using a term: the closest an extractive tool gets to a definition."""
    return next((s for s in statements(analysis.ranked()) if term in s.text.lower()), None)


def _fallback_overview(analysis: Analysis) -> str:
    """A document of slide scraps only (no complete statement): say what it covers instead."""
    headings = list(dict.fromkeys(s.source.section for s in analysis.sentences))[:4]
    listed = ", ".join(f"“{h}”" for h in headings)
    return f"This document covers {listed}." if headings else f"This document is titled “{analysis.title}”."
