"""Routes of quizzes and questions to the caller's material (both limited like the other AI routes)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from shared.auth.deps import CurrentUser
from shared.container import Container
from shared.deps import ContainerDep
from shared.platform.db import reading
from shared.study.ask.service import ask
from shared.study.contracts import Answer, AskRequest, Quiz, QuizRequest, QuizResult, QuizSubmission
from shared.study.quiz.service import create_quiz, get_quiz, grade_quiz

router = APIRouter(tags=["study"])


@router.post("/quizzes", status_code=201, summary="A quiz over a document or a course; answers stay on the server")
def new_quiz(body: QuizRequest, principal: CurrentUser, container: ContainerDep) -> Quiz:
    _limit_ai(container, principal.user_id)
    with container.db.connection() as conn:
        now = container.clock.now()
        return create_quiz(conn, user_id=principal.user_id, request=body, now=now, chat=container.chat)


@router.get("/quizzes/{quiz_id}")
def quiz(quiz_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> Quiz:
    with reading(container.db) as conn:
        return get_quiz(conn, user_id=principal.user_id, quiz_id=quiz_id)


@router.post("/quizzes/{quiz_id}/answers", summary="Grade a quiz once; each answered card is rated for review")
def answers(quiz_id: uuid.UUID, body: QuizSubmission, principal: CurrentUser, container: ContainerDep) -> QuizResult:
    with container.db.connection() as conn:
        return grade_quiz(conn, user_id=principal.user_id, quiz_id=quiz_id, submission=body, now=container.clock.now())


@router.post("/ask", summary="Answer from the caller's own material, every sentence citing its source")
def ask_route(body: AskRequest, principal: CurrentUser, container: ContainerDep) -> Answer:
    _limit_ai(container, principal.user_id)
    with reading(container.db) as conn:
        return ask(conn, user_id=principal.user_id, request=body, chat=container.chat, embedder=container.embedder)


def _limit_ai(container: Container, user_id: uuid.UUID) -> None:
    """Quizzes and questions may each cost an LLM request: limited per user and minute, like generation."""
    throttle = container.throttle
    limit = container.settings.study_ai_per_minute
    throttle.hit(f"study-ai:{user_id}", limit=limit, window_s=60, what="quizzes or questions")
