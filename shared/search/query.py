"""Parse and check what the user typed, before any SQL sees it.

The text itself always reaches PostgreSQL as a bound parameter: `websearch_to_tsquery` takes
the user's syntax (quotes, `-word`, `or`) and never raises on odd input. The last word typed
also matches as a prefix (search-as-you-type) through `to_tsquery`, and only a run of word
characters is ever handed to it, so no tsquery syntax can be smuggled in.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from shared.platform.errors import InvalidArgument

MAX_QUERY_CHARS = 256
MAX_QUERY_WORDS = 32
# Shorter prefixes match too many words to be useful (and make GIN merge many posting lists).
MIN_PREFIX_CHARS = 3

_WORD = re.compile(r"\w+")
_LAST_WORD = re.compile(r"(?:^|\s)(\w+)$")
_QUOTED = re.compile(r'(-?)"([^"]*)"?')
_KEEP_CONTROLS = {"\t", "\n", "\r"}

Joiner = Literal["and", "or"]


@dataclass(frozen=True)
class ParsedQuery:
    text: str  # the whole query, whitespace-normalised
    head: str  # everything before the prefix word (all of `text` when there is none)
    prefix: str | None  # the last word, matched as a prefix
    joiner: Joiner  # how the prefix word joins the head ("or" when typed `... or word`)
    words: str  # the positive words, for trigram similarity when full text finds nothing


def parse_query(raw: str) -> ParsedQuery:
    text = _normalise(raw)
    words = _positive_words(text)
    if not words:
        raise InvalidArgument("the query needs at least one word to look for (not only excluded words)")
    if len(_WORD.findall(text)) > MAX_QUERY_WORDS:
        raise InvalidArgument(f"the query has more than {MAX_QUERY_WORDS} words")
    return _split_prefix(text, raw_ends_in_space=raw[-1:].isspace(), words=" ".join(words))


def _normalise(raw: str) -> str:
    if any(unicodedata.category(ch) in {"Cc", "Cs"} and ch not in _KEEP_CONTROLS for ch in raw):
        raise InvalidArgument("the query contains control characters")
    text = " ".join(raw.split())
    if not text:
        raise InvalidArgument("the query is empty")
    if len(text) > MAX_QUERY_CHARS:
        raise InvalidArgument(f"the query is longer than {MAX_QUERY_CHARS} characters")
    return text


def _positive_words(text: str) -> list[str]:
    words: list[str] = []
    for negated, phrase in _QUOTED.findall(text):
        if not negated:
            words.extend(_WORD.findall(phrase))
    for token in _QUOTED.sub(" ", text).split():
        if not token.startswith("-") and token.lower() != "or":
            words.extend(_WORD.findall(token))
    return words


def _prefixable(word: str) -> bool:
    return len(word) >= MIN_PREFIX_CHARS and word.lower() != "or"


def _split_prefix(text: str, *, raw_ends_in_space: bool, words: str) -> ParsedQuery:
    match = _LAST_WORD.search(text)
    # A finished word (trailing space), one inside an open quote, `or` or a short word is no prefix.
    if raw_ends_in_space or match is None or text.count('"') % 2 or not _prefixable(match.group(1)):
        return ParsedQuery(text=text, head=text, prefix=None, joiner="and", words=words)
    head = text[: match.start(1)].rstrip()
    before = head.rsplit(" ", 1)[-1].lower() if head else ""
    joiner: Joiner = "or" if before == "or" else "and"
    if joiner == "or":
        head = head[: -len(before)].rstrip()
    return ParsedQuery(text=text, head=head, prefix=match.group(1), joiner=joiner, words=words)
