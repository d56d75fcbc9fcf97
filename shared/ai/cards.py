"""Stable flashcard ids: a hash of the normalised front, so regenerating keeps the same ids."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from shared.ai.contracts.aids import Citation, Flashcard

_NOT_WORD = re.compile(r"[^\w]+")


def normalise_front(front: str) -> str:
    folded = unicodedata.normalize("NFKC", front).casefold()
    return " ".join(_NOT_WORD.sub(" ", folded).split())


def card_id(front: str) -> str:
    return hashlib.sha256(normalise_front(front).encode()).hexdigest()[:16]


def make_card(*, front: str, back: str, source: Citation, tags: list[str], generator: str) -> Flashcard:
    return Flashcard(id=card_id(front), front=front, back=back, source=source, tags=tags, generator=generator)


def unique_cards(cards: list[Flashcard]) -> list[Flashcard]:
    """First card wins per id (two fronts that normalise alike are the same question)."""
    seen: dict[str, Flashcard] = {}
    for card in cards:
        seen.setdefault(card.id, card)
    return list(seen.values())
