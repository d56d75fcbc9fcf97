"""Near-duplicate detection over stemmed content words (Jaccard similarity)."""

from __future__ import annotations

#: Two items whose content words overlap this much say nearly the same thing.
NEAR_DUPLICATE = 0.8


def jaccard(a: frozenset[str], b: frozenset[str]) -> float:
    union = a | b
    return len(a & b) / len(union) if union else 1.0


class NearDuplicates:
    """Remembers what was kept; `add` refuses a word set too close to one kept before."""

    def __init__(self) -> None:
        self.kept: list[frozenset[str]] = []

    def add(self, words: frozenset[str]) -> bool:
        if any(jaccard(words, other) >= NEAR_DUPLICATE for other in self.kept):
            return False
        self.kept.append(words)
        return True
