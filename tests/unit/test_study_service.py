"""The study use cases' decisions without a database: quiz questions and grading, grounded answers
and model-written questions checked against what was sent, and the review scheduler."""

from __future__ import annotations

import json
import uuid
from collections import deque
from datetime import UTC, datetime, timedelta

import pytest

from shared.ai.adapters.retry import RetryPolicy
from shared.search.contracts import Passage
from shared.study.ask.grounded import Refused, grounded_answer
from shared.study.contracts import SourceView, StoredQuestion
from shared.study.quiz.llm import openai_questions
from shared.study.quiz.local import Pools, QuizCard, is_correct, local_questions
from shared.study.reviews import scheduler
from tests.support.fake_chat import FakeChat

DOC = uuid.UUID("00000000-0000-4000-8000-0000000000d1")
SOURCE = SourceView(document_id=DOC, document_title="Informed search", section="Heuristics", page=2)
NO_RETRY = RetryPolicy(max_retries=0, base_s=0, max_s=0)
AT = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)


def _card(n: int, back: str, *tags: str) -> QuizCard:
    return QuizCard(card_id=f"c{n}", front=f"Front {n} _____", back=back, tags=tags, source=SOURCE)


CARDS = [
    _card(1, "admissible heuristic", "cloze"),
    _card(2, "the frontier", "cloze"),
    _card(3, "A function estimating the cost to the goal", "definition"),
    _card(4, "A* search", "cloze"),
]
POOLS = {
    str(DOC): Pools(
        terms=("admissible heuristic", "the frontier", "A* search", "local search", "hill climbing"),
        definitions=("A function estimating the cost to the goal", "A path not yet explored", "A single state kept"),
    )
}


def _answering(content: str) -> FakeChat:
    """A chat client whose one answer is `content`, as the model wrote it."""
    return FakeChat(script=deque([lambda _messages: content]))


def _question(answer: str) -> StoredQuestion:
    return StoredQuestion(
        id="q1", kind="cloze", prompt="_____", choices=None, card_id="c1", source=SOURCE, answer=answer
    )


def test_a_local_quiz_is_the_same_for_the_same_seed_and_tests_each_card_once() -> None:
    first = local_questions(CARDS, POOLS, count=3, seed=7)
    assert first == local_questions(CARDS, POOLS, count=3, seed=7)
    assert len(first) == 3 and len({q.card_id for q in first}) == 3
    assert [q.id for q in first] == ["q1", "q2", "q3"]


def test_a_multiple_choice_question_holds_its_answer_among_distinct_wrong_choices() -> None:
    questions = [q for seed in range(20) for q in local_questions(CARDS, POOLS, count=4, seed=seed)]
    choice_questions = [q for q in questions if q.kind == "multiple_choice"]
    assert choice_questions
    for question in choice_questions:
        assert question.choices is not None and question.answer in question.choices
        assert len(set(question.choices)) == len(question.choices) >= 3


def test_grading_ignores_case_punctuation_and_word_order_but_not_missing_answers() -> None:
    question = _question("Admissible heuristic")
    assert is_correct(question, "heuristic, ADMISSIBLE.")
    assert not is_correct(question, "consistent heuristic")
    assert not is_correct(question, None)
    assert not is_correct(question, "  ")


def _draft(
    card_id: str, answer: str, *, kind: str = "multiple_choice", choices: list[str] | None = None
) -> dict[str, object]:
    prompt = "Which one?" if kind == "multiple_choice" else "An _____ never overestimates."
    return {"card_id": card_id, "kind": kind, "prompt": prompt, "choices": choices or [], "answer": answer}


def test_model_questions_naming_unsent_cards_or_missing_their_answer_are_dropped() -> None:
    answer = {
        "questions": [
            _draft("c1", "admissible heuristic", choices=["admissible heuristic", "the frontier", "hill climbing"]),
            _draft("c9", "not a card", choices=["not a card", "b", "c"]),
            _draft("c2", "the frontier", choices=["A* search", "local search", "hill climbing"]),
            _draft("c4", "A* search", kind="cloze"),
        ]
    }
    chat = _answering(json.dumps(answer))
    questions = openai_questions(CARDS, POOLS, count=5, chat=chat, retry=NO_RETRY)
    assert [(q.id, q.card_id, q.kind) for q in questions] == [("q1", "c1", "multiple_choice"), ("q2", "c4", "cloze")]
    assert all(q.source == SOURCE for q in questions)


def test_a_model_that_fails_leaves_the_quiz_to_the_local_generator() -> None:
    chat = _answering("{not json")
    assert openai_questions(CARDS, POOLS, count=3, chat=chat, retry=NO_RETRY) == []


def _passage(n: int, page: int) -> Passage:
    return Passage(
        id=uuid.uuid4(),
        document_id=DOC,
        title="Informed search",
        heading=f"Section {n}",
        body=f"Body of section {n}.",
        cite_section=f"Section {n}",
        cite_page=page,
        page_unit="page",
        score=1.0,
    )


def test_a_grounded_answer_cites_the_passages_each_sentence_names() -> None:
    passages = [_passage(1, 2), _passage(2, 5)]
    answer = {"sentences": [{"text": " It never overestimates. ", "sources": [2, 2, 1]}]}
    chat = _answering(json.dumps(answer))
    (sentence,) = grounded_answer(chat=chat, retry=NO_RETRY, question="What is admissible?", passages=passages)
    assert sentence.text == "It never overestimates."
    assert [(c.section, c.page) for c in sentence.citations] == [("Section 2", 5), ("Section 1", 2)]


@pytest.mark.parametrize(
    "content",
    [
        json.dumps({"sentences": []}),
        json.dumps({"sentences": [{"text": "Made up.", "sources": [3]}]}),
        json.dumps({"sentences": [{"text": "Made up.", "sources": [0]}]}),
        '{"answer": "not the schema"}',
    ],
)
def test_an_answer_citing_nothing_retrieved_is_refused(content: str) -> None:
    chat = _answering(content)
    with pytest.raises(Refused):
        grounded_answer(chat=chat, retry=NO_RETRY, question="What is admissible?", passages=[_passage(1, 2)])


def _new_card() -> scheduler.Memory:
    return scheduler.Memory(state=1, step=0, stability=None, difficulty=None, due=AT, last_review=None)


def test_a_better_rating_waits_longer_and_the_same_history_gives_the_same_due_time() -> None:
    later = AT + timedelta(seconds=30)
    dues = [scheduler.review(_new_card(), rating=r, at=later).due for r in ("again", "hard", "good", "easy")]
    assert dues == sorted(dues) and dues[0] < dues[-1]
    assert scheduler.review(_new_card(), rating="good", at=later) == scheduler.review(
        _new_card(), rating="good", at=later
    )
