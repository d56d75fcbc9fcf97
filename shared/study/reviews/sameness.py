"""Whether a regenerated card is still the same card, so it keeps its review history.

Card ids hash the normalised front, so an id that comes back asks the same question. The answer
may still have been rewritten: a reworded back (most of its words kept) is the same card; a back
that shares fewer than half of its words with the old one teaches something else, and the card
starts over.
"""

from __future__ import annotations

import re
import unicodedata

SAME_CARD_OVERLAP = 0.5
_WORD = re.compile(r"\w+")


def words(text: str) -> frozenset[str]:
    return frozenset(_WORD.findall(unicodedata.normalize("NFKC", text).casefold()))


def same_card(old_back: str, new_back: str) -> bool:
    old, new = words(old_back), words(new_back)
    if not old or not new:
        return old == new
    return len(old & new) / len(old | new) >= SAME_CARD_OVERLAP
