"""Slides from the section structure: a title slide, then one slide per section with text."""

from __future__ import annotations

from itertools import islice

from shared.ai.contracts.aids import MAX_BULLETS, NotesSummary, Slide
from shared.ai.language.text import joined, shorten
from shared.ai.local.analysis import Analysis, citation_for
from shared.ai.local.notes import statement_of, statements

GENERATOR = "local"
MAX_SLIDES = 20
NARRATION_SENTENCES = 3


def slides_from(analysis: Analysis, notes: NotesSummary) -> list[Slide]:
    """Needs at least one sentence in the analysis (the generator checks that first)."""
    structure = analysis.structure
    sections = _slide_sections(analysis)
    title_source = citation_for(structure, structure.sections[sections[0]])
    headings = [structure.sections[i].heading.strip() for i in sections]
    headings = list(dict.fromkeys(h for h in headings if h))
    slides = [
        Slide(
            index=1,
            title=analysis.title,
            bullets=[shorten(h, max_words=12) for h in headings[:MAX_BULLETS]],
            narration=notes.overview or analysis.title,
            source=title_source,
            generator=GENERATOR,
        )
    ]
    for index in sections:
        slide = _section_slide(analysis, index, len(slides) + 1)
        if slide is not None:
            slides.append(slide)
    return slides


def _slide_sections(analysis: Analysis) -> list[int]:
    """Sections with text; when there are too many, the ones with the most ranked weight."""
    weight: dict[int, float] = {}
    for sentence, score in zip(analysis.sentences, analysis.scores, strict=True):
        weight[sentence.section] = weight.get(sentence.section, 0.0) + score
    # Navigation sections (a table of contents) have no sentences, so they get no slide.
    best = sorted(weight, key=lambda i: (-weight[i], i))[: MAX_SLIDES - 1]
    return sorted(best)


def _section_slide(analysis: Analysis, section: int, index: int) -> Slide | None:
    ranked = analysis.ranked_in(section)
    if not ranked:
        return None
    bullets = sorted(ranked[: MAX_BULLETS - 1], key=lambda s: s.position)
    # Narration is spoken: complete statements when the section has them, else its best lines.
    spoken = list(islice(statements(ranked), NARRATION_SENTENCES)) or ranked[:NARRATION_SENTENCES]
    narration = sorted(spoken, key=lambda s: s.position)
    return Slide(
        index=index,
        title=ranked[0].source.section,
        bullets=[shorten(s.text) for s in bullets],
        narration=joined([statement_of(s) for s in narration]),
        source=ranked[0].source,
        generator=GENERATOR,
    )
