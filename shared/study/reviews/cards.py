"""Writes of review items: the cards of a document copied in whenever its study aids are written."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Protocol

from shared.platform.db import Conn
from shared.study.reviews.sameness import same_card


class Cited(Protocol):
    @property
    def section(self) -> str: ...
    @property
    def page(self) -> int | None: ...


class CardLike(Protocol):
    """A generated flashcard (`shared.ai.contracts.aids.Flashcard` fits)."""

    @property
    def id(self) -> str: ...
    @property
    def front(self) -> str: ...
    @property
    def back(self) -> str: ...
    @property
    def source(self) -> Cited: ...
    @property
    def tags(self) -> list[str]: ...


_EXISTING = "SELECT card_id, back FROM review_cards WHERE user_id = %(user_id)s AND document_id = %(doc_id)s"
_RETIRE = """
UPDATE review_cards SET retired = true, updated_at = now()
WHERE user_id = %(user_id)s AND document_id = %(doc_id)s AND NOT (card_id = ANY(%(kept)s)) AND NOT retired
"""
_KEEP = """
INSERT INTO review_cards (user_id, document_id, card_id, front, back, section, page, tags)
VALUES (%(user_id)s, %(doc_id)s, %(card_id)s, %(front)s, %(back)s, %(section)s, %(page)s, %(tags)s)
ON CONFLICT (user_id, document_id, card_id) DO UPDATE SET front = EXCLUDED.front, back = EXCLUDED.back,
    section = EXCLUDED.section, page = EXCLUDED.page, tags = EXCLUDED.tags, retired = false, updated_at = now()
"""
_RESTART = """
UPDATE review_cards SET version = version + 1, state = 1, step = 0, stability = NULL, difficulty = NULL,
    due = now(), last_review = NULL, reps = 0, lapses = 0
WHERE user_id = %(user_id)s AND document_id = %(doc_id)s AND card_id = %(card_id)s
"""


def sync_review_cards(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, cards: Sequence[CardLike]) -> None:
    """Make the document's cards its review items, inside the caller's transaction.

    A card that comes back keeps its state; one whose answer changed into another card starts
    over (a new `version`); a card no longer generated is retired, not deleted, so its history
    returns with it.
    """
    ids = {"user_id": user_id, "doc_id": doc_id}
    old_backs: dict[str, str] = {row[0]: row[1] for row in conn.execute(_EXISTING, ids).fetchall()}
    conn.execute(_RETIRE, {**ids, "kept": [card.id for card in cards]})
    with conn.cursor() as cur:
        cur.executemany(_KEEP, [{**ids, **_row(card)} for card in cards])
        restarted = [c.id for c in cards if c.id in old_backs and not same_card(old_backs[c.id], c.back)]
        cur.executemany(_RESTART, [{**ids, "card_id": card_id} for card_id in restarted])


def _row(card: CardLike) -> dict[str, object]:
    return {
        "card_id": card.id,
        "front": card.front,
        "back": card.back,
        "section": card.source.section,
        "page": card.source.page,
        "tags": list(card.tags),
    }
