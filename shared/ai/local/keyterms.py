"""What makes a good key term: a glossary term or a noun phrase that recurs, not a heading, a
numbered label ("Chapter 7"), a number, a stop word or a word too generic to learn."""

from __future__ import annotations

import re
from collections.abc import Collection

from shared.ai.language.text import STOPWORDS
from shared.ai.language.verbs import is_verb_form

MAX_WORDS = 4
MIN_LETTERS = 4
_NUMBERED = re.compile(
    r"^(?:chapter|section|figure|fig|table|part|lecture|page|slide|week|unit|step|example|exercise|problem"
    r"|question|appendix|equation|eq|item|line|note|version)s?\b",
    re.IGNORECASE,
)
_NUMBER = re.compile(r"^[\d.,%/\-()]+$")
#: A word of a term: letters (with a hyphen, apostrophe, digit or a trailing * as in "A*", "L2").
_WORDLIKE = re.compile(r"^[A-Za-z][A-Za-z0-9'\-]*\*?$|^\d+$")
_CLAUSE_WORDS = frozenset("where which that when if is are was were whose while".split())
#: Nouns every text uses; alone they are not something to learn ("What is meant by “Words”?").
GENERIC = frozenset(
    """thing way example word part number case time type kind lot section chapter page slide note point
    question answer problem idea result results value values form order level amount area end side line
    lines list lists item items people person group fact matter reason place today information""".split()
)
_FUNCTION_WORDS = STOPWORDS | frozenset(
    "never always often also plus minus still even well much many first second third new good bad large small "
    "given following next last same different several various certain main like".split()
)


def term_problem(term: str, *, uses: int, defined: bool = False, headings: Collection[str] = ()) -> str | None:
    """Why `term` is not a key term, or None. `uses`: how often the body text (not headings) has it."""
    words = term.split()
    folded = [w.casefold() for w in words]
    if not 0 < len(words) <= MAX_WORDS:
        return "not a short phrase"
    if (_NUMBERED.match(term) and any(ch.isdigit() for ch in term)) or any(_NUMBER.match(w) for w in words):
        return "a number or numbered label"
    if folded[0] in _FUNCTION_WORDS or folded[-1] in _FUNCTION_WORDS:
        return "starts or ends with a stop word"
    if any(w in _CLAUSE_WORDS for w in folded) or not all(_WORDLIKE.match(w) for w in words):
        return "not a noun phrase"
    if len(words) == 1 and (sum(c.isalpha() for c in term) < MIN_LETTERS or _singular(folded[0]) in GENERIC):
        return "too generic"
    if is_verb_form(words[-1]):
        return "ends with a verb"
    if defined:
        return None
    if uses < 2:
        return "a heading" if term.casefold() in headings else "does not recur"
    return None


def _singular(word: str) -> str:
    return word[:-1] if word.endswith("s") and not word.endswith("ss") else word
