"""Rerank full-text candidates by meaning: cosine similarity of embeddings to the question."""

from __future__ import annotations

import uuid

from shared.platform.db import Conn
from shared.search.contracts import Passage
from shared.study.ask.embeddings import Embedder, cosine

_READ = """
SELECT entry_id, embedding FROM passage_embeddings
WHERE user_id = %(user_id)s AND model = %(model)s AND entry_id = ANY(%(ids)s)
"""
_SAVE = """
INSERT INTO passage_embeddings (user_id, entry_id, model, embedding)
VALUES (%(user_id)s, %(entry_id)s, %(model)s, %(embedding)s) ON CONFLICT DO NOTHING
"""


def rerank(
    conn: Conn, *, user_id: uuid.UUID, question: str, passages: list[Passage], embedder: Embedder, keep: int
) -> list[Passage]:
    """The `keep` passages closest in meaning to `question`, embedding only passages not seen before."""
    if not passages:
        return []
    vectors = _stored(conn, user_id=user_id, model=embedder.model, ids=[p.id for p in passages])
    missing = [p for p in passages if p.id not in vectors]
    fresh = embedder.embed([question] + [f"{p.cite_section}\n{p.body}" for p in missing])
    asked = fresh[0]
    made = dict(zip((p.id for p in missing), fresh[1:], strict=True))
    with conn.cursor() as cur:
        rows = [{"user_id": user_id, "entry_id": i, "model": embedder.model, "embedding": v} for i, v in made.items()]
        cur.executemany(_SAVE, rows)
    vectors.update(made)
    ranked = sorted(passages, key=lambda p: cosine(asked, vectors[p.id]), reverse=True)
    return ranked[:keep]


def _stored(conn: Conn, *, user_id: uuid.UUID, model: str, ids: list[uuid.UUID]) -> dict[uuid.UUID, list[float]]:
    rows = conn.execute(_READ, {"user_id": user_id, "model": model, "ids": ids}).fetchall()
    return {row[0]: list(row[1]) for row in rows}
