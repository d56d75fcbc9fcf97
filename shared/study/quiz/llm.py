"""Quiz questions from the OpenAI adapter, with structured output, checked before they are kept.

The model sees the cards (id, front, back, citation) and the document's key terms, and returns
questions that each name the card they test. A question naming a card it was not sent, a
multiple-choice question whose answer is not among its choices, or a cloze without a gap is
dropped; when nothing valid is left the local generator makes the quiz instead.
"""

from __future__ import annotations

import json
from typing import Literal

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.ai.adapters import ChatClient
from shared.ai.adapters.retry import RetryPolicy, call_with_retries
from shared.ai.adapters.schema import response_format
from shared.ai.errors import GenerationFailed, ProviderUnavailable
from shared.study.contracts import StoredQuestion
from shared.study.quiz.local import Pools, QuizCard
from shared.study.reviews.sameness import words

MAX_CARDS = 40
MAX_QUIZ_TOKENS = 3000
SYSTEM = (
    "You write quiz questions for a student from their flashcards. Each question tests one card and names "
    "its card_id. multiple_choice: 3 to 5 choices, the answer is one of them, wrong choices are plausible "
    "terms or definitions from the same material. cloze: the prompt is a sentence with the answer replaced "
    "by _____. Use only the cards given."
)


class DraftQuestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    card_id: str
    kind: Literal["multiple_choice", "cloze"]
    prompt: str
    choices: list[str]
    answer: str


class DraftQuiz(BaseModel):
    model_config = ConfigDict(extra="forbid")

    questions: list[DraftQuestion]


FORMAT = response_format(DraftQuiz)


def openai_questions(
    cards: list[QuizCard], pools: dict[str, Pools], *, count: int, chat: ChatClient, retry: RetryPolicy
) -> list[StoredQuestion]:
    """Checked questions from the model ([] when it failed or offered nothing valid)."""
    sent = {card.card_id: card for card in cards[:MAX_CARDS]}
    terms = sorted({t for pool in pools.values() for t in pool.terms})[:60]
    payload = {
        "count": count,
        "key_terms": terms,
        "cards": [
            {"card_id": c.card_id, "front": c.front, "back": c.back, "section": c.source.section, "page": c.source.page}
            for c in sent.values()
        ],
    }
    messages = [{"role": "system", "content": SYSTEM}, {"role": "user", "content": json.dumps(payload)}]
    try:
        completion, _ = call_with_retries(
            lambda: chat.complete(messages=messages, response_format=FORMAT, max_tokens=MAX_QUIZ_TOKENS), policy=retry
        )
        draft = DraftQuiz.model_validate_json(completion.content or "")
    except (GenerationFailed, ProviderUnavailable, ValidationError):
        return []
    kept = [q for q in draft.questions if _valid(q, sent)][:count]
    return [_stored(q, sent[q.card_id], number) for number, q in enumerate(kept, start=1)]


def _valid(question: DraftQuestion, sent: dict[str, QuizCard]) -> bool:
    if question.card_id not in sent or not question.prompt.strip() or not words(question.answer):
        return False
    if question.kind == "cloze":
        return "___" in question.prompt
    choices = {frozenset(words(choice)) for choice in question.choices}
    return 3 <= len(choices) == len(question.choices) <= 5 and words(question.answer) in choices


def _stored(question: DraftQuestion, card: QuizCard, number: int) -> StoredQuestion:
    return StoredQuestion(
        id=f"q{number}",
        kind=question.kind,
        prompt=question.prompt.strip(),
        choices=question.choices if question.kind == "multiple_choice" else None,
        card_id=card.card_id,
        source=card.source,
        answer=question.answer.strip(),
    )
