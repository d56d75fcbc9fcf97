"""Writes of the AI context: the study aids and their cost, upserted by document (a re-run replaces)."""

from __future__ import annotations

import uuid

from psycopg.types.json import Jsonb

from shared.ai.models import StudyAids
from shared.platform.db import Conn
from shared.search.indexing import index_study_aids
from shared.study.reviews.cards import sync_review_cards

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
