"""Reads of the AI context, always scoped by the calling user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from shared.ai.models import Flashcard, NotesSummary, Slide
from shared.platform.db import Conn


@dataclass(frozen=True)
class StoredNotes:
    summary: NotesSummary
    markdown_path: str | None
    generator: str
    updated_at: datetime


@dataclass(frozen=True)
class StoredCards:
    cards: list[Flashcard]
    generator: str
    updated_at: datetime


@dataclass(frozen=True)
class StoredSlides:
    slides: list[Slide]
    markdown_path: str
    generator: str
    updated_at: datetime


_SCOPE = "WHERE document_id = %(doc_id)s AND user_id = %(user_id)s"


def read_notes(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> StoredNotes | None:
    sql = f"SELECT summary, markdown_url, generator, updated_at FROM notes {_SCOPE}"
    row = conn.execute(sql, {"doc_id": doc_id, "user_id": user_id}).fetchone()
    if row is None:
        return None
    return StoredNotes(NotesSummary.model_validate(row[0]), row[1], row[2], row[3])


def read_cards(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> StoredCards | None:
    sql = f"SELECT cards, generator, updated_at FROM flashcards {_SCOPE}"
    row = conn.execute(sql, {"doc_id": doc_id, "user_id": user_id}).fetchone()
    if row is None:
        return None
    return StoredCards([Flashcard.model_validate(c) for c in row[0]], row[1], row[2])


def read_slides(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID) -> StoredSlides | None:
    sql = f"SELECT slides, markdown_url, generator, updated_at FROM slide_decks {_SCOPE}"
    row = conn.execute(sql, {"doc_id": doc_id, "user_id": user_id}).fetchone()
    if row is None:
        return None
    return StoredSlides([Slide.model_validate(s) for s in row[0]], row[1], row[2], row[3])
