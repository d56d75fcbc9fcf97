"""Is a piece of text a complete statement a student can learn from, or a fragment of a slide?

A heuristic without a parser: the text must start like a sentence, end with a full stop, have
balanced brackets and quotes, not end on a word that needs a continuation, be mostly words rather
than numbers, and contain a finite verb (an auxiliary, or a common verb in a finite form).
"""

from __future__ import annotations

import re

from shared.ai.language.verbs import is_finite_verb

MIN_WORDS = 4
#: Longer "sentences" are slide lines the extractor ran together, not one statement.
MAX_WORDS = 45
_GAP = re.compile(r"\s[,.;:!?)]")
_END = re.compile(r"[.!?][\"'\u201d\u2019)\]]*$")
_START = re.compile(r"^[\"'\u201c\u2018(\[]?[A-Z0-9]")
_TOKEN = re.compile(r"[A-Za-z][A-Za-z'\-]*|\d[\d.,%]*")
_PAIRS = (("(", ")"), ("[", "]"), ("\u201c", "\u201d"))
#: A sentence does not end on these: "... is defined by the." is a cut-off line.
_DANGLING = frozenset(
    "a an the and or but nor of to in on at by for from with as that which than is are was were be "
    "its their his her our your this these those such e.g i.e etc if when while because whether unless "
    "although though then where".split()
)
#: Garbled text: a formula the extractor lost ("If is consistent", "the -queens problem",
#: "numbers n n n") or slide lines run together ("path cost cost from").
_LOST_SYMBOL = re.compile(
    r"\b(?:if|when|then|where|whenever|because|since|unless|while|of|the|for|by|with|from)"
    r"\s+(?:is|are|was|were|has|lets|does)\b"
    r"|\s-[a-z]|\b(\w) \1 \1\b"
    r"|\b(\w{3,}) \2\b",  # "lowest path cost cost from start": slide lines run together
    re.IGNORECASE,
)


def fragment_reason(text: str, *, verb: bool = True) -> str | None:
    """Why `text` is not a complete statement, or None when it is one.

    `verb=False` skips the verb test, for text a model wrote in words the verb list may not know."""
    stripped = " ".join(text.split())
    words = _TOKEN.findall(stripped)
    if len(words) < MIN_WORDS:
        return "too short"
    if len(words) > MAX_WORDS:
        return "too long for one statement"
    if not _END.search(stripped) or stripped.endswith("..."):
        return "no full stop at the end"
    if stripped.rstrip("\"'\u201d\u2019)]").endswith("?"):
        return "a question"
    if _EXERCISE.match(stripped):
        return "an exercise, not a statement"
    if not _START.match(stripped):
        return "does not start like a sentence"
    if not _balanced(stripped):
        return "unbalanced brackets or quotes"
    if words[-1].casefold() in _DANGLING or _lead_in_inside(stripped):
        return "ends mid-phrase"
    if _GAP.search(stripped) or _LOST_SYMBOL.search(stripped):
        return "garbled (a lost formula or slide lines run together)"
    if sum(w[0].isdigit() for w in words) > 0.3 * len(words):
        return "mostly numbers"
    neighbours = zip(["", *words[:-1]], words, [*words[1:], ""], strict=True)
    if verb and not any(is_finite_verb(word, before, after) for before, word, after in neighbours):
        return "no verb"
    return None


def is_statement(text: str) -> bool:
    return fragment_reason(text) is None


def as_statement(text: str) -> str | None:
    """The text as a statement: as it is, or a slide line that lacks only its full stop; else None."""
    if is_statement(text):
        return text
    if text.endswith((":", ",", ";", "\u2026", "-", "\u2013")) or _END.search(text):
        return None
    finished = f"{text}."
    return finished if is_statement(finished) else None


#: "Problem 3.7 Consider fitting ...", "Show that ...": a task for the reader, not a fact to learn.
_EXERCISE = re.compile(
    r"^(?:(?:problem|exercise|question|task)\s+\d[\d.]*\b"
    r"|(?:show|prove|verify) that\b|(?:consider|derive|calculate|compute|sketch|draw)\b)",
    re.IGNORECASE,
)


def _lead_in_inside(text: str) -> bool:
    """ "Halts if: If there is a path ..." is a slide's lead-in glued to its first bullet."""
    return any(_last_word(part) in _DANGLING for part in text.split(":")[:-1])


def _last_word(text: str) -> str:
    found = _TOKEN.findall(text)
    return found[-1].casefold() if found else ""


def _balanced(text: str) -> bool:
    if text.count('"') % 2:
        return False
    return all(text.count(opening) == text.count(closing) for opening, closing in _PAIRS)
