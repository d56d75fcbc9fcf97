"""Key terms and definitions found in the text: the glossary and the flashcards' raw material."""

from __future__ import annotations

import itertools
import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from shared.ai.language.text import STOPWORDS, Sentence
from shared.ai.local.keyterms import term_problem

_TERM = r"(?P<term>[A-Za-z][\w\-/()' ]{1,48}?)"
_DEFINITIONS = (
    re.compile(rf"^{_TERM}\s+(?:is|are)\s+(?:defined as\s+|called\s+)?(?P<def>(?:a|an|the)\s.{{8,}})$"),
    re.compile(rf"^{_TERM}\s+(?:refers? to|means|denotes|is defined as)\s+(?P<def>.{{8,}})$"),
    re.compile(rf"^{_TERM}\s*[:\u2013\u2014]\s+(?P<def>.{{12,}})$"),
)
_LEADING_ARTICLE = re.compile(r"^(?:the|a|an)\s+", re.IGNORECASE)
_NOT_A_TERM = frozenset(
    "this it there that these those which he she they we what here one each therefore thus hence so then"
    " also however moreover furthermore otherwise if when where why how".split()
)
#: Labels that introduce a remark rather than name a concept ("Note: ...", "Proof: ...").
_LABELS = frozenset(
    "note idea proof theorem lemma example hint remember tip summary question answer exercise recall"
    " key point solution definition speaker notes".split()
)
MAX_TERM_WORDS = 5
MIN_DEFINITION_WORDS = 4
MAX_DEFINITION_WORDS = 45


@dataclass(frozen=True)
class Definition:
    term: str
    definition: str
    sentence: Sentence


def find_definitions(sentences: Sequence[Sentence]) -> list[Definition]:
    found: dict[str, Definition] = {}
    for sentence in sentences:
        definition = _definition_in(sentence)
        if definition is not None:
            found.setdefault(definition.term.casefold(), definition)
    return list(found.values())


def _definition_in(sentence: Sentence) -> Definition | None:
    for pattern in _DEFINITIONS:
        match = pattern.match(sentence.text)
        if match is None:
            continue
        term = _LEADING_ARTICLE.sub("", match["term"]).strip(" :-")
        body = match["def"].strip()
        if _is_term(term) and _reads_as_definition(body):
            return Definition(term=term, definition=body[0].upper() + body[1:], sentence=sentence)
    return None


def key_terms(sentences: Sequence[Sentence], *, limit: int = 30) -> list[str]:
    """Frequent content words and word pairs, weighted by how many sections use them."""
    counts: Counter[str] = Counter()
    sections: dict[str, set[int]] = {}
    for sentence in sentences:
        for term in _candidates(sentence.text):
            counts[term] += 1
            sections.setdefault(term, set()).add(sentence.section)
    scored = {t: c * (1 + len(sections[t])) * (1.5 if " " in t else 1.0) for t, c in counts.items() if c > 1}
    best = (t for t, _ in sorted(scored.items(), key=lambda item: (-item[1], item[0])))
    # Judged best first, only until `limit` pass: most candidates of a long document never need it.
    return list(itertools.islice((t for t in best if term_problem(t, uses=counts[t]) is None), limit))


def _candidates(text: str) -> list[str]:
    words = [w.lower() for w in re.findall(r"[A-Za-z][A-Za-z\-]+", text)]
    singles = [w for w in words if len(w) > 3 and w not in STOPWORDS]
    pairs = [
        f"{a} {b}"
        for a, b in itertools.pairwise(words)
        if a not in STOPWORDS and b not in STOPWORDS and len(a) > 2 and len(b) > 2
    ]
    return singles + pairs


def cloze(sentence: str, terms: Sequence[str]) -> tuple[str, str] | None:
    """Blank out the best key term of a sentence: (front with a gap, the term as written)."""
    # Word pairs first: "access control" makes a better gap than "access".
    for term in sorted(terms, key=lambda t: " " not in t):
        match = re.search(rf"\b{re.escape(term)}\b", sentence, flags=re.IGNORECASE)
        if match is not None:
            front = f"{sentence[: match.start()]}_____{sentence[match.end() :]}"
            return front, match.group(0)
    return None


def _reads_as_definition(body: str) -> bool:
    """Not shouting, not a lead-in to a list ("... random steps:"), not slide lines run together."""
    words = body.split()
    if not MIN_DEFINITION_WORDS <= len(words) <= MAX_DEFINITION_WORDS or words[0].casefold() in _NOT_A_TERM:
        return False  # "Update: It turns out ..." explains nothing
    return not body.isupper() and body[-1] not in ":;,"


def _is_term(term: str) -> bool:
    words = term.split()
    if not 0 < len(words) <= MAX_TERM_WORDS or words[0].casefold() in _NOT_A_TERM:
        return False
    if term.casefold() in _LABELS or words[0].casefold() in _LABELS:
        return False
    return term_problem(term, uses=0, defined=True) is None
