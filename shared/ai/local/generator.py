"""The local generator: deterministic, extractive, no network. Everything it makes says "local"."""

from __future__ import annotations

from shared.ai.contracts.aids import StudyAids, Usage
from shared.ai.errors import GenerationFailed
from shared.ai.local.analysis import analyse
from shared.ai.local.cards import cards_from
from shared.ai.local.notes import notes_from
from shared.ai.local.slides import slides_from
from shared.documents.contracts import Structure


class LocalGenerator:
    name = "local"

    def generate(self, structure: Structure) -> StudyAids:
        analysis = analyse(structure)
        if not analysis.sentences:
            raise GenerationFailed("NO_TEXT", "the document has no sentences to make study aids from")
        notes = notes_from(analysis)
        return StudyAids(
            generator=self.name,
            notes=notes,
            slides=slides_from(analysis, notes),
            cards=cards_from(analysis),
            usage=Usage(),
        )
