"""Plain-text helpers of the local generator: sentences, content words, shortening."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property

from shared.ai.contracts.aids import Citation
from shared.ai.language.statements import as_statement

STOPWORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been before being
    below between both but by can could did do does doing down during each few for from further had has
    have having he her here hers herself him himself his how i if in into is it its itself just may me
    might more most must my myself no nor not now of off on once one only or other our ours ourselves out
    over own same shall she should so some such than that the their theirs them themselves then there
    these they this those through to too under until up upon us use used using very via was we were what
    when where which while who whom why will with within without would yet you your yours yourself e.g
    i.e etc figure fig table page""".split()
)

_LIST_MARK = re.compile(r"^\s*(?:[-*•▪◦●]|\d+[.)]|[a-z][.)])\s+")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[\"'(\[]?[A-Z0-9])")
_WORD = re.compile(r"[A-Za-z][A-Za-z\-']*[A-Za-z]|[A-Za-z]")
_STRONG = re.compile(r"\*\*|__|`")
_EMPHASIS = re.compile(r"(?<![\w*])\*(?=\w)(.+?)(?<=\w)\*(?![\w*])")
_LEADING_SYMBOLS = re.compile(r"^[^\w\"'(\[\u201c\u2018]+")
_LINE_MARK = re.compile(r"^\s*(?:#{1,6}|>)\s+")


@dataclass(frozen=True)
class Sentence:
    text: str
    section: int
    position: int
    source: Citation
    words: frozenset[str]

    @cached_property
    def statement(self) -> str | None:
        """The sentence as a complete statement (a slide line gains its full stop), or None for a
        fragment. Worked out when first asked: most sentences of a long document never are."""
        return as_statement(self.text)


#: Navigation pages: a table of contents or an index lists topics, it does not teach them.
NAVIGATION = frozenset({"contents", "table of contents", "index"})


def is_navigation(heading: str) -> bool:
    return heading.strip().casefold() in NAVIGATION


def clean_line(line: str) -> str:
    """A line without list markers, heading or quote marks and Markdown emphasis (`A*` survives)."""
    bare = _LIST_MARK.sub("", _LINE_MARK.sub("", line.replace("\ufffd", " ")))
    bare = _LEADING_SYMBOLS.sub("", bare)  # bullet glyphs the PDF font maps to no letter
    return " ".join(_EMPHASIS.sub(r"\1", _STRONG.sub("", bare)).split())


def split_sentences(text: str) -> list[str]:
    """Sentences of a section; list items and lines without end punctuation stand alone."""
    sentences: list[str] = []
    for raw in text.splitlines():
        if raw.count("|") >= 2:
            continue  # a Markdown table row is data, not prose
        line = clean_line(raw)
        if line:
            sentences.extend(part.strip() for part in _SENTENCE_END.split(line) if part.strip())
    return _join_wrapped(sentences)


def _join_wrapped(parts: list[str]) -> list[str]:
    """PDF text wraps mid-sentence; glue a fragment to the next when it does not end a sentence."""
    joined: list[str] = []
    for part in parts:
        if joined and not joined[-1].endswith((".", "!", "?", ":")) and part[:1].islower():
            joined[-1] = f"{joined[-1]} {part}"
        else:
            joined.append(part)
    return joined


def content_words(sentence: str) -> frozenset[str]:
    return frozenset(w for w in _WORD.findall(sentence.lower()) if len(w) > 2 and w not in STOPWORDS)


def word_count(sentence: str) -> int:
    return len(sentence.split())


def shorten(sentence: str, *, max_words: int = 18) -> str:
    words = sentence.split()
    if len(words) <= max_words:
        return sentence
    return " ".join(words[:max_words]).rstrip(",;:") + "…"


def normalised(text: str) -> str:
    """For comparing what a model wrote with what the document says: case and spacing ignored."""
    return " ".join(text.split()).casefold()


_DOT_LEADER = re.compile(r"(?:\.\s?){4,}|…{2,}")
_NOT_LETTER = re.compile(r"[\W\d_]+")
_NOT_UPPER = re.compile(r"[^A-Z\u00c0-\u00de\u0391-\u03a9\u0410-\u042f]+")


def is_prose(sentence: str) -> bool:
    """False for table-of-contents lines, code, shouting and symbol soup: never a key point."""
    if _DOT_LEADER.search(sentence) or sentence.startswith(("©", "(c)", "Copyright")):
        return False
    letters = _NOT_LETTER.sub("", sentence)
    visible = len(sentence) - sentence.count(" ")
    if not letters or len(letters) < 0.6 * visible:
        return False
    return len(_NOT_UPPER.sub("", letters)) <= 0.4 * len(letters)


def joined(sentences: list[str]) -> str:
    """Sentences as one paragraph; a line without end punctuation (a slide bullet) gets a full stop."""
    return " ".join(text if text.endswith((".", "!", "?", "…")) else f"{text.rstrip(',;:')}." for text in sentences)
