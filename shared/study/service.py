"""What other contexts ask of study: keep a document's review cards in step with its flashcards."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from shared.platform.db import Conn
from shared.study.reviews import cards as review_cards
from shared.study.reviews.cards import CardLike


def sync_review_cards(conn: Conn, *, doc_id: uuid.UUID, user_id: uuid.UUID, cards: Sequence[CardLike]) -> None:
    """In the AI commit's transaction: new cards become review items, changed ones start over, and the ones
    no longer generated are retired (`study.reviews.cards`)."""
    review_cards.sync_review_cards(conn, doc_id=doc_id, user_id=user_id, cards=cards)
