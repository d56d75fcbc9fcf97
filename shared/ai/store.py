"""SQL of the AI context: the study aids and their cost, upserted by document (a re-run replaces),
and the reads of them, always scoped by the calling user."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from psycopg.types.json import Jsonb
from psycopg_pool import ConnectionPool

from shared.ai.contracts import AiRequest
from shared.ai.contracts.aids import Flashcard, NotesSummary, Slide, StudyAids
from shared.canvas.service import media_wanted
from shared.documents.service import document_owner, still_there
from shared.platform.db import Conn
from shared.platform.dedupe import already_processed, first_time
from shared.platform.stages import Status, set_stage
from shared.search.service import index_study_aids
from shared.study.service import sync_review_cards

_NOTES = """
INSERT INTO notes (document_id, user_id, summary, markdown_url, generator)
VALUES (%(doc_id)s, %(user_id)s, %(summary)s, %(path)s, %(generator)s)
ON CONFLICT (document_id) DO UPDATE SET summary = EXCLUDED.summary, markdown_url = EXCLUDED.markdown_url,
    generator = EXCLUDED.generator, updated_at = now()
"""
_CARDS = """
INSERT INTO flashcards (document_id, user_id, cards, generator)
VALUES (%(doc_id)s, %(user_id)s, %(cards)s, %(generator)s)
ON CONFLICT (document_id) DO UPDATE SET cards = EXCLUDED.cards, generator = EXCLUDED.generator,
    updated_at = now()
"""
_SLIDES = """
INSERT INTO slide_decks (document_id, user_id, markdown_url, slide_count, generator, slides)
VALUES (%(doc_id)s, %(user_id)s, %(path)s, %(count)s, %(generator)s, %(slides)s)
ON CONFLICT (document_id) DO UPDATE SET markdown_url = EXCLUDED.markdown_url,
    slide_count = EXCLUDED.slide_count, generator = EXCLUDED.generator, slides = EXCLUDED.slides,
    updated_at = now()
"""
_USAGE = """
INSERT INTO ai_usage (document_id, user_id, generator, model, requests, prompt_tokens, completion_tokens,
    retries, invalid_outputs, truncated, duration_ms, lifetime_tokens)
VALUES (%(doc_id)s, %(user_id)s, %(generator)s, %(model)s, %(requests)s, %(prompt)s, %(completion)s,
    %(retries)s, %(invalid)s, %(truncated)s, %(duration_ms)s, %(total)s)
ON CONFLICT (document_id) DO UPDATE SET generator = EXCLUDED.generator, model = EXCLUDED.model,
    requests = EXCLUDED.requests, prompt_tokens = EXCLUDED.prompt_tokens,
    completion_tokens = EXCLUDED.completion_tokens, retries = EXCLUDED.retries,
    invalid_outputs = EXCLUDED.invalid_outputs, truncated = EXCLUDED.truncated,
    duration_ms = EXCLUDED.duration_ms, runs = ai_usage.runs + 1,
    lifetime_tokens = ai_usage.lifetime_tokens + EXCLUDED.lifetime_tokens, updated_at = now()
"""


def commit_study_aids(
    conn: Conn,
    *,
    doc_id: uuid.UUID,
    user_id: uuid.UUID,
    aids: StudyAids,
    notes_path: str,
    slides_path: str,
    duration_ms: int,
) -> None:
    """THE place where a document's study aids are written, inside the caller's transaction.

    Anything that must change atomically with them belongs in this function, on the same `conn`:
    the search index of key points, glossary and flashcards is replaced here, and the cards
    become review items (keeping their review state when they come back).
    """
    ids = {"doc_id": doc_id, "user_id": user_id, "generator": aids.generator}
    conn.execute(_NOTES, {**ids, "summary": Jsonb(aids.notes.model_dump(mode="json")), "path": notes_path})
    conn.execute(_CARDS, {**ids, "cards": Jsonb([c.model_dump(mode="json") for c in aids.cards])})
    slides = Jsonb([s.model_dump(mode="json") for s in aids.slides])
    conn.execute(_SLIDES, {**ids, "path": slides_path, "count": len(aids.slides), "slides": slides})
    record_usage(conn, doc_id=doc_id, user_id=user_id, aids=aids, duration_ms=duration_ms)
    notes = aids.notes
    index_study_aids(
        conn, doc_id=doc_id, user_id=user_id, key_points=notes.key_points, glossary=notes.glossary, cards=aids.cards
    )
    sync_review_cards(conn, doc_id=doc_id, user_id=user_id, cards=aids.cards)


def record_usage(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, aids: StudyAids, duration_ms: int) -> None:
    usage = aids.usage
    conn.execute(
        _USAGE,
        {
            "doc_id": doc_id,
            "user_id": user_id,
            "generator": aids.generator,
            "model": usage.model,
            "requests": usage.requests,
            "prompt": usage.prompt_tokens,
            "completion": usage.completion_tokens,
            "retries": usage.retries,
            "invalid": usage.invalid_outputs,
            "truncated": usage.truncated,
            "duration_ms": duration_ms,
            "total": usage.total_tokens,
        },
    )


def remember_ai_message(conn: Conn, *, doc_id: uuid.UUID, message_id: uuid.UUID) -> None:
    """The pending `ai.request`'s id, so the reconciler re-publishes this very message if it gets stuck."""
    sql = "UPDATE documents SET ai_message_id = %(message_id)s, updated_at = now() WHERE id = %(doc_id)s"
    conn.execute(sql, {"doc_id": doc_id, "message_id": message_id})


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


class PostgresRuns:
    """The database side of a generation run (`shared.ai.use_cases.generate.Runs`), one
    transaction per step."""

    def __init__(self, db: ConnectionPool[Conn]) -> None:
        self._db = db

    def owner(self, doc_id: uuid.UUID) -> uuid.UUID | None:
        with self._db.connection() as conn:
            return document_owner(conn, doc_id=doc_id)

    def already_done(self, request: AiRequest) -> bool:
        with self._db.connection() as conn:
            return already_processed(conn, request)

    def set_stage(
        self, doc_id: uuid.UUID, status: Status, *, error_code: str | None = None, error_message: str | None = None
    ) -> None:
        with self._db.connection() as conn:
            set_stage(
                conn, doc_id=doc_id, stage="ai", status=status, error_code=error_code, error_message=error_message
            )

    def stored(self, request: AiRequest) -> tuple[str, list[Slide]] | None:
        with self._db.connection() as conn:
            deck = read_slides(conn, doc_id=request.doc_id, user_id=request.user_id)
            if deck is None:
                return None
            set_stage(conn, doc_id=request.doc_id, stage="ai", status="done")
            return deck.generator, deck.slides

    def media_wanted(self, doc_id: uuid.UUID) -> bool:
        with self._db.connection() as conn:
            return media_wanted(conn, doc_id=doc_id)

    def commit(
        self, request: AiRequest, aids: StudyAids, *, notes_path: str, slides_path: str, duration_ms: int
    ) -> bool:
        ids = {"doc_id": request.doc_id, "user_id": request.user_id}
        with self._db.connection() as conn:
            if not still_there(conn, **ids):
                return False
            if first_time(conn, request):
                commit_study_aids(
                    conn, **ids, aids=aids, notes_path=notes_path, slides_path=slides_path, duration_ms=duration_ms
                )
                set_stage(conn, doc_id=request.doc_id, stage="ai", status="done")
        return True
