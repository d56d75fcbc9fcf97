"""Grounding: does the page an item cites support what the item says?

Lexical support: the share of the item's content words (stop words dropped, light stemming so
"heuristics" meets "heuristic" and "estimated" meets "estimate") that occur on the cited page or
in its heading. The threshold is measured in `bench/ai_quality.py` (see `bench/RESULTS.md`): a
sentence scores 1.0 against its own page; checked against a page half its document away (a
plausible wrong citation), corpus statements score a median of 0.00-0.26, and 0-0.7 % of them
reach 0.75 in course material (3.4 % in a repetitive legal handbook), against up to 7.7 % at 0.6.
A stricter 0.9 would reject a model's fair paraphrase that swaps one word in four.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from shared.ai.language.text import content_words

#: An item is supported when at least this share of its content words is on the cited page.
SUPPORTED = 0.75
_SUFFIX = re.compile(r"(?:'s|ies|es|s|ing|ed|ly)$")


def stem(word: str) -> str:
    """A crude stem: enough to match plural, past and -ing forms of the same word."""
    folded = word.casefold()
    if len(folded) <= 3 or folded.endswith(("ss", "us", "is")):
        return folded
    if folded.endswith("ies"):
        return folded[:-3] + "y"
    return _SUFFIX.sub("", folded).rstrip("e")


def stems(text: str) -> frozenset[str]:
    return frozenset(stem(word) for word in content_words(text))


def support(claim: str, evidence: frozenset[str]) -> float:
    """Share of the claim's content words found in `evidence` (the cited page's `stems`); 0 for none."""
    words = stems(claim)
    if not words:
        return 0.0
    return len(words & evidence) / len(words)


def page_words(heading: str, texts: Iterable[str]) -> frozenset[str]:
    """The evidence for items citing a section: the stems of its heading and text."""
    return stems("\n".join([heading, *texts]))
