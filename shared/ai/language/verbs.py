"""Recognising a finite verb without a tagger: auxiliaries, common verbs and verb-making suffixes.

The list holds verbs that are rarely nouns in course material ("state", "set" and "search" are
left out), so a list of nouns such as "5 variables, 5 constraints" has no verb.
"""

from __future__ import annotations

import re

AUXILIARIES = frozenset(
    "is are was were be been am has have had do does did can could will would may might must shall should "
    "isn't aren't wasn't weren't doesn't don't didn't can't cannot won't wouldn't shouldn't hasn't haven't "
    "it's that's there's".split()
)
VERBS = frozenset(
    """accept achieve add affect cover allow apply argue arise assign assume avoid become begin belong bring build
    calculate carry cause choose claim combine come compute consider consist contain continue converge
    correspond create decide decrease define demonstrate denote depend derive describe determine develop
    differ discuss divide drop enable encourage ensure estimate evaluate examine exist expand explain
    explore express extend fail find follow generalise generalize generate get give go grow happen help
    hold identify implement imply improve include increase indicate involve keep know lead learn leave let
    lie look lose make mean minimise minimize maximise maximize move need obtain occur offer overfit
    perform permit predict prefer prevent produce prove provide reach receive reduce refer reflect relate
    rely remain remove replace represent require return reveal say see seem select show solve specify
    suggest supply suppose take tell tend think try turn underfit understand vary violate want
    pay owe file serve appoint notify submit approve object confirm dismiss distribute collect review
    operate handle manage protect grant deny store satisfy share use visit halt pick escape""".split()
)
_IRREGULAR = frozenset(
    "became began brought built came chose did found gave got grew held kept knew led left lost made meant "
    "proved said saw sent showed shown took told thought tried went wrote written".split()
)
_SUFFIXES = re.compile(r"(?:izes|ifies|ized|ised|ified|ated)$")
_SUBJECTS = frozenset("it this that which who he she one there what".split())
_OBJECT_STARTS = frozenset("the a an its their this these each every all no".split())


def verb_forms() -> frozenset[str]:
    forms: set[str] = set()
    for verb in VERBS:
        forms.update({verb, _third_person(verb), _past(verb)})
    return frozenset(forms)


def _third_person(verb: str) -> str:
    if verb.endswith(("s", "x", "z", "ch", "sh", "o")):
        return f"{verb}es"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return f"{verb[:-1]}ies"
    return f"{verb}s"


def _past(verb: str) -> str:
    if verb.endswith("e"):
        return f"{verb}d"
    if verb.endswith("y") and verb[-2:-1] not in "aeiou":
        return f"{verb[:-1]}ied"
    return f"{verb}ed"


_FORMS = verb_forms() | _IRREGULAR


def is_finite_verb(word: str, before: str = "", after: str = "") -> bool:
    """`word` can be a sentence's verb; `before` and `after` are its neighbours: an -s word after a
    subject pronoun ("it weighs") or before an article ("attention weighs the values") is a verb."""
    folded = word.casefold()
    if folded in AUXILIARIES or folded in _FORMS:
        return True
    if "-" not in folded and _SUFFIXES.search(folded):  # "under-parameterized regime" is a noun phrase
        return True
    if not folded.endswith("s") or folded.endswith(("ss", "us", "is")):
        return False
    return before.casefold() in _SUBJECTS or (bool(before) and after.casefold() in _OBJECT_STARTS)


def is_verb_form(word: str) -> bool:
    """A form of a listed verb (for key terms: "finds" or "returns" does not end a noun phrase)."""
    folded = word.casefold()
    return folded in AUXILIARIES or folded in _FORMS
