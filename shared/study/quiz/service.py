"""Use cases of quizzes: make one from the caller's cards, read it, grade it (feeding the scheduler)."""

from __future__ import annotations

import uuid
from datetime import datetime

from shared.ai.use_cases.read import glossary as glossary_of
from shared.platform.db import Conn
from shared.platform.errors import FailedPrecondition, InvalidArgument, NotFound
from shared.study.adapters import ChatSetup
from shared.study.contracts import (
    GradedQuestion,
    Question,
    Quiz,
    QuizRequest,
    QuizResult,
    QuizSubmission,
    ReviewRequest,
    StoredQuestion,
)
from shared.study.quiz.llm import openai_questions
from shared.study.quiz.local import GENERATOR, Pools, QuizCard, is_correct, local_questions
from shared.study.quiz.store import quiz_cards, read_quiz, save_quiz, save_result
from shared.study.reviews.service import submit_review
from shared.study.store import check_scope


def create_quiz(
    conn: Conn, *, user_id: uuid.UUID, request: QuizRequest, now: datetime, chat: ChatSetup | None = None
) -> Quiz:
    """A quiz from the OpenAI adapter when `chat` is given (the local generator when it offers nothing valid)."""
    if (request.document_id is None) == (request.course_id is None):
        raise InvalidArgument("give either document_id or course_id", details={"document_id": "or course_id"})
    check_scope(conn, user_id=user_id, course_id=request.course_id, doc_id=request.document_id)
    cards = quiz_cards(conn, user_id=user_id, doc_id=request.document_id, course_id=request.course_id)
    quiz_id, pools = uuid.uuid4(), _pools(conn, user_id, cards)
    generator, questions = GENERATOR, []
    if chat is not None and cards:
        client, model, retry = chat
        generator, questions = model, openai_questions(cards, pools, count=request.count, chat=client, retry=retry)
    if not questions:
        generator, questions = GENERATOR, local_questions(cards, pools, count=request.count, seed=quiz_id.int)
    if not questions:
        raise FailedPrecondition("there are no flashcards to make questions from yet", details={"flashcards": "none"})
    save_quiz(
        conn,
        quiz_id=quiz_id,
        user_id=user_id,
        doc_id=request.document_id,
        course_id=request.course_id,
        generator=generator,
        questions=questions,
        now=now,
    )
    return Quiz(id=quiz_id, generator=generator, created_at=now, questions=_public(questions), graded=False)


def get_quiz(conn: Conn, *, user_id: uuid.UUID, quiz_id: uuid.UUID) -> Quiz:
    found = read_quiz(conn, quiz_id=quiz_id, user_id=user_id)
    if found is None:
        raise NotFound(f"quiz {quiz_id} not found")
    generator, questions, result, created_at = found
    return Quiz(
        id=quiz_id, generator=generator, created_at=created_at, questions=_public(questions), graded=result is not None
    )


def grade_quiz(
    conn: Conn, *, user_id: uuid.UUID, quiz_id: uuid.UUID, submission: QuizSubmission, now: datetime
) -> QuizResult:
    """Grade once, inside the caller's transaction; a repeated submission answers the first result."""
    found = read_quiz(conn, quiz_id=quiz_id, user_id=user_id, lock=True)
    if found is None:
        raise NotFound(f"quiz {quiz_id} not found")
    _, questions, result, _ = found
    if result is not None:
        return result
    given = {answer.question_id: answer.answer for answer in submission.answers}
    unknown = sorted(set(given) - {q.id for q in questions})
    if unknown:
        raise InvalidArgument("answers name questions not in this quiz", details={"question_id": ", ".join(unknown)})
    share = submission.duration_ms // max(1, len(questions))
    graded = [_grade(conn, user_id, quiz_id, q, given.get(q.id), share, now) for q in questions]
    result = QuizResult(quiz_id=quiz_id, score=sum(g.correct for g in graded), total=len(graded), questions=graded)
    save_result(conn, quiz_id=quiz_id, user_id=user_id, result=result)
    return result


def _grade(
    conn: Conn, user_id: uuid.UUID, quiz_id: uuid.UUID, q: StoredQuestion, given: str | None, ms: int, now: datetime
) -> GradedQuestion:
    correct = is_correct(q, given)
    next_due = None
    if q.card_id is not None and given is not None:  # an unanswered question says nothing about memory
        review = ReviewRequest(
            review_id=uuid.uuid5(quiz_id, q.id),
            document_id=q.source.document_id,
            rating="good" if correct else "again",
            duration_ms=ms,
        )
        try:
            next_due = submit_review(
                conn, user_id=user_id, card_id=q.card_id, request=review, now=now, source="quiz"
            ).due
        except NotFound:  # the card was regenerated away since the quiz was made
            next_due = None
    return GradedQuestion(
        question_id=q.id, correct=correct, given=given, answer=q.answer, source=q.source, next_due=next_due
    )


def _public(questions: list[StoredQuestion]) -> list[Question]:
    return [Question.model_validate(q.model_dump(exclude={"answer"})) for q in questions]


def _pools(conn: Conn, user_id: uuid.UUID, cards: list[QuizCard]) -> dict[str, Pools]:
    pools: dict[str, Pools] = {}
    for doc_id in dict.fromkeys(card.source.document_id for card in cards):
        glossary = glossary_of(conn, doc_id=doc_id, user_id=user_id)
        mine = [c for c in cards if c.source.document_id == doc_id]
        terms = [g.term for g in glossary] + [c.back for c in mine if "cloze" in c.tags]
        definitions = [g.definition for g in glossary] + [c.back for c in mine if "definition" in c.tags]
        pools[str(doc_id)] = Pools(terms=tuple(terms), definitions=tuple(definitions))
    return pools
