"""Quiz questions without a model, from the document's own cards, glossary and key terms.

A cloze card becomes a cloze question (type the missing term) or a multiple-choice one whose
distractors are other key terms of the same document; a definition card becomes a choice between
its definition and other definitions from the document's glossary. Cards of other kinds pick
distractors among the document's other answers.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

from shared.study.contracts import QuestionKind, SourceView, StoredQuestion
from shared.study.reviews.sameness import words

GENERATOR = "local"
DISTRACTORS = 3


@dataclass(frozen=True)
class QuizCard:
    card_id: str
    front: str
    back: str
    tags: tuple[str, ...]
    source: SourceView


@dataclass(frozen=True)
class Pools:
    """The document's own wrong answers: its key terms and its glossary definitions."""

    terms: tuple[str, ...]
    definitions: tuple[str, ...]


def local_questions(cards: list[QuizCard], pools: dict[str, Pools], *, count: int, seed: int) -> list[StoredQuestion]:
    """`pools` is keyed by document id; `seed` makes the same quiz come out the same."""
    rng = random.Random(seed)
    order = cards[:]
    rng.shuffle(order)
    questions: list[StoredQuestion] = []
    for card in order:
        question = _question(card, pools[str(card.source.document_id)], rng, number=len(questions) + 1)
        if question is not None:
            questions.append(question)
        if len(questions) == count:
            break
    return questions


def _question(card: QuizCard, pool: Pools, rng: random.Random, *, number: int) -> StoredQuestion | None:
    if "cloze" in card.tags and rng.random() < 0.5:
        return _make(card, "cloze", None, number)
    wrong = pool.definitions if "definition" in card.tags else pool.terms if "cloze" in card.tags else ()
    distractors = _distractors(card.back, wrong, rng)
    if len(distractors) < 2:
        return _make(card, "cloze", None, number) if "cloze" in card.tags else None
    choices = [card.back, *distractors]
    rng.shuffle(choices)
    return _make(card, "multiple_choice", choices, number)


def _distractors(answer: str, pool: tuple[str, ...], rng: random.Random) -> list[str]:
    right = words(answer)
    candidates = list(dict.fromkeys(p for p in pool if p.strip() and words(p) != right))
    rng.shuffle(candidates)
    return candidates[:DISTRACTORS]


def _make(card: QuizCard, kind: QuestionKind, choices: list[str] | None, number: int) -> StoredQuestion:
    return StoredQuestion(
        id=f"q{number}",
        kind=kind,
        prompt=card.front,
        choices=choices,
        card_id=card.card_id,
        source=card.source,
        answer=card.back,
    )


def is_correct(question: StoredQuestion, given: str | None) -> bool:
    """Graded on the server: the chosen text, or the typed term (case, punctuation and word order aside)."""
    if given is None:
        return False
    expected, typed = words(question.answer), words(given)
    return bool(typed) and typed == expected
