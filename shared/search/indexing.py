"""Index what the stages produce. Call inside the stage's own commit transaction.

Each call replaces every row of the document for its group of kinds (sections; or key points,
glossary and flashcards), so re-running a stage never duplicates hits. Deleting the document
removes its rows through the foreign key.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import replace

from shared.documents.contracts import Section, Structure
from shared.platform.db import Conn
from shared.search.contracts import STUDY_AID_KINDS, CardLike, CitedSource, GlossaryLike, KeyPointLike, Kind, PageUnit
from shared.search.language import SIMPLE, config_for
from shared.search.passages import passages
from shared.search.store.entries import EntryRow, document_config, document_page_unit, replace_entries
from shared.search.text import clean

_SOURCE_UNITS: dict[str, PageUnit] = {"pdf": "page", "pptx": "slide"}


def index_document_sections(
    conn: Conn,
    *,
    doc_id: uuid.UUID,
    user_id: uuid.UUID,
    structure: Structure,
    course_id: uuid.UUID | None = None,
) -> int:
    """Replace the document's section rows with `structure.sections`; returns the row count.

    `course_id` defaults to the documents row's.
    """
    rows = [row for section in structure.sections for row in _section_rows(section)]
    rows = [replace(row, position=position) for position, row in enumerate(rows)]
    return replace_entries(
        conn,
        document_id=doc_id,
        user_id=user_id,
        course_id=course_id,
        config=config_for(structure.language),
        kinds=("section",),
        rows=rows,
    )


def index_study_aids(
    conn: Conn,
    *,
    doc_id: uuid.UUID,
    user_id: uuid.UUID,
    key_points: Sequence[KeyPointLike],
    glossary: Sequence[GlossaryLike],
    cards: Sequence[CardLike],
    course_id: uuid.UUID | None = None,
    language: str | None = None,
) -> int:
    """Replace the document's key point, glossary and flashcard rows; returns the row count.

    Pass `shared.ai.contracts.aids` items as they are. `course_id` defaults to the documents row's; the
    language to the one the document's sections were indexed with.
    """
    config = config_for(language) if language else document_config(conn, document_id=doc_id, user_id=user_id) or SIMPLE
    unit = document_page_unit(conn, document_id=doc_id)
    rows = [
        *(_aid_row("key_point", i, "", point.text, "", point.source, unit) for i, point in enumerate(key_points)),
        *(_aid_row("glossary", i, g.term, g.definition, "", g.source, unit) for i, g in enumerate(glossary)),
        *(_aid_row("flashcard", i, "", card.front, card.back, card.source, unit) for i, card in enumerate(cards)),
    ]
    return replace_entries(
        conn,
        document_id=doc_id,
        user_id=user_id,
        course_id=course_id,
        config=config,
        kinds=STUDY_AID_KINDS,
        rows=rows,
    )


def _section_rows(section: Section) -> list[EntryRow]:
    """The section's first passage carries its heading (weight A); later ones cite it only."""
    heading = clean(section.heading)
    unit = _SOURCE_UNITS.get(section.source.kind) if section.source.page is not None else None
    texts = passages(clean(section.text))
    if not heading and not texts[0]:
        return []
    return [
        EntryRow(
            kind="section",
            position=0,
            heading=heading if n == 0 else "",
            body=text,
            detail="",
            cite_section=heading,
            cite_page=section.source.page,
            page_unit=unit,
        )
        for n, text in enumerate(texts)
    ]


def _aid_row(
    kind: Kind, position: int, heading: str, body: str, detail: str, source: CitedSource, unit: PageUnit
) -> EntryRow:
    return EntryRow(
        kind=kind,
        position=position,
        heading=clean(heading),
        body=clean(body),
        detail=clean(detail),
        cite_section=clean(source.section),
        cite_page=source.page,
        page_unit=unit if source.page is not None else None,
    )
