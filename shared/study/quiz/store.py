"""Reads and writes of quizzes: the cards they are made from, the questions with their answers, results."""

from __future__ import annotations

import uuid
from datetime import datetime

from psycopg.types.json import Jsonb

from shared.platform.db import Conn
from shared.study.contracts import QuizResult, SourceView, StoredQuestion
from shared.study.quiz.local import QuizCard

_CARDS = """
SELECT r.card_id, r.front, r.back, r.tags, r.document_id, d.title, r.section, r.page
FROM review_cards r JOIN documents d ON d.id = r.document_id
WHERE r.user_id = %(user_id)s AND NOT r.retired AND {scope}
ORDER BY r.document_id, r.card_id
"""
_INSERT = """
INSERT INTO quizzes (id, user_id, document_id, course_id, generator, questions, created_at)
VALUES (%(id)s, %(user_id)s, %(document_id)s, %(course_id)s, %(generator)s, %(questions)s, %(now)s)
"""
_READ = """
SELECT generator, questions, result, created_at FROM quizzes
WHERE id = %(id)s AND user_id = %(user_id)s {lock}
"""
_GRADE = "UPDATE quizzes SET result = %(result)s, graded_at = now() WHERE id = %(id)s AND user_id = %(user_id)s"


def quiz_cards(
    conn: Conn, *, user_id: uuid.UUID, doc_id: uuid.UUID | None, course_id: uuid.UUID | None
) -> list[QuizCard]:
    scope, value = ("r.document_id = %(id)s", doc_id) if doc_id else ("d.course_id = %(id)s", course_id)
    rows = conn.execute(_CARDS.format(scope=scope), {"user_id": user_id, "id": value}).fetchall()
    return [
        QuizCard(
            card_id=r[0],
            front=r[1],
            back=r[2],
            tags=tuple(r[3]),
            source=SourceView(document_id=r[4], document_title=r[5], section=r[6], page=r[7]),
        )
        for r in rows
    ]


def save_quiz(
    conn: Conn,
    *,
    quiz_id: uuid.UUID,
    user_id: uuid.UUID,
    doc_id: uuid.UUID | None,
    course_id: uuid.UUID | None,
    generator: str,
    questions: list[StoredQuestion],
    now: datetime,
) -> None:
    params = {
        "id": quiz_id,
        "user_id": user_id,
        "document_id": doc_id,
        "course_id": course_id,
        "generator": generator,
        "questions": Jsonb([q.model_dump(mode="json") for q in questions]),
        "now": now,
    }
    conn.execute(_INSERT, params)


def read_quiz(
    conn: Conn, *, quiz_id: uuid.UUID, user_id: uuid.UUID, lock: bool = False
) -> tuple[str, list[StoredQuestion], QuizResult | None, datetime] | None:
    sql = _READ.format(lock="FOR UPDATE" if lock else "")
    row = conn.execute(sql, {"id": quiz_id, "user_id": user_id}).fetchone()
    if row is None:
        return None
    questions = [StoredQuestion.model_validate(q) for q in row[1]]
    result = QuizResult.model_validate(row[2]) if row[2] is not None else None
    return row[0], questions, result, row[3]


def save_result(conn: Conn, *, quiz_id: uuid.UUID, user_id: uuid.UUID, result: QuizResult) -> None:
    conn.execute(_GRADE, {"id": quiz_id, "user_id": user_id, "result": Jsonb(result.model_dump(mode="json"))})
