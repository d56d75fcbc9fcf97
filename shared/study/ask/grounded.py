"""A generated answer grounded in the retrieved passages, refused when it cites nothing retrieved.

The model sees the question and numbered passages and must answer with sentences that each name
the passages they come from (structured output). A sentence citing no retrieved passage, or an
answer with no sentences, refuses the whole answer: the caller then gets the extractive one.
"""

from __future__ import annotations

import json

from pydantic import BaseModel, ConfigDict, ValidationError

from shared.ai.adapters import ChatClient
from shared.ai.adapters.retry import RetryPolicy, call_with_retries
from shared.ai.adapters.schema import response_format
from shared.ai.errors import GenerationFailed, ProviderUnavailable
from shared.search.contracts import Passage
from shared.study.ask.extractive import citation
from shared.study.contracts import AnswerSentence

MAX_ANSWER_TOKENS = 800
SYSTEM = (
    "You answer a student's question using only the numbered passages from their own course material. "
    "Write at most four short sentences. Every sentence lists in `sources` the numbers of the passages "
    "it is taken from. If the passages do not answer the question, return no sentences."
)


class GroundedSentence(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str
    sources: list[int]


class GroundedAnswer(BaseModel):
    model_config = ConfigDict(extra="forbid")

    sentences: list[GroundedSentence]


class Refused(Exception):
    """The generated answer cannot be shown; `reason` says why."""


FORMAT = response_format(GroundedAnswer)


def grounded_answer(
    *, chat: ChatClient, retry: RetryPolicy, question: str, passages: list[Passage]
) -> list[AnswerSentence]:
    numbered = [
        {"n": n, "document": p.title, "section": p.cite_section, "page": p.cite_page, "text": p.body}
        for n, p in enumerate(passages, start=1)
    ]
    messages = [
        {"role": "system", "content": SYSTEM},
        {"role": "user", "content": json.dumps({"question": question, "passages": numbered})},
    ]
    try:
        completion, _ = call_with_retries(
            lambda: chat.complete(messages=messages, response_format=FORMAT, max_tokens=MAX_ANSWER_TOKENS),
            policy=retry,
        )
    except (GenerationFailed, ProviderUnavailable) as exc:
        raise Refused(f"the model could not answer: {exc}") from exc
    if completion.refusal or completion.content is None:
        raise Refused("the model declined to answer")
    try:
        answer = GroundedAnswer.model_validate_json(completion.content)
    except ValidationError as exc:
        raise Refused("the model's answer did not match the answer schema") from exc
    return _cited(answer, passages)


def _cited(answer: GroundedAnswer, passages: list[Passage]) -> list[AnswerSentence]:
    if not answer.sentences:
        raise Refused("the model's answer cited nothing that was retrieved")
    sentences = []
    for sentence in answer.sentences:
        cited = [passages[n - 1] for n in dict.fromkeys(sentence.sources) if 1 <= n <= len(passages)]
        if not cited or not sentence.text.strip():
            raise Refused("a sentence of the model's answer cited nothing that was retrieved")
        sentences.append(AnswerSentence(text=sentence.text.strip(), citations=[citation(p) for p in cited]))
    return sentences
