"""Anki export and quizzes through the API: stable GUIDs, server-side grading feeding the scheduler."""

from __future__ import annotations

import io
import sqlite3
import uuid
import zipfile
from pathlib import Path

import genanki
import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from tests.support.study_docs import make_course, studied_document
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


@pytest.fixture
def student(container: Container) -> TestUser:
    return make_user(container)


@pytest.fixture
def as_student(client: TestClient, student: TestUser) -> TestClient:
    client.cookies.update(student.cookies)
    return client


def _notes(apkg: bytes, tmp_path: Path) -> list[tuple[str, str, str]]:
    db = tmp_path / f"{uuid.uuid4().hex}.anki2"
    db.write_bytes(zipfile.ZipFile(io.BytesIO(apkg)).read("collection.anki2"))
    with sqlite3.connect(db) as conn:
        return [(r[0], r[1], r[2]) for r in conn.execute("SELECT guid, tags, flds FROM notes ORDER BY guid")]


def test_document_export_is_an_apkg_with_stable_guids_sources_and_section_tags(
    container: Container, as_student: TestClient, student: TestUser, tmp_path: Path
) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    first = as_student.get(f"/v1/flashcards/{doc_id}/export.apkg")
    assert first.status_code == 200, first.text
    assert first.headers["content-disposition"].endswith('.apkg"')
    notes = _notes(first.content, tmp_path)
    assert len(notes) == len(aids.cards)
    by_guid = {guid: (tags, fields.split("\x1f")) for guid, tags, fields in notes}
    card = aids.cards[0]
    tags, fields = by_guid[genanki.guid_for(str(doc_id), card.id)]
    assert fields[3] == card.id and fields[2] == f"{card.source.section}, p. {card.source.page}"
    assert "section::" + card.source.section.replace(" ", "_") in tags.split()
    again = _notes(as_student.get(f"/v1/flashcards/{doc_id}/export.apkg").content, tmp_path)
    assert [n[0] for n in again] == [n[0] for n in notes]  # re-import updates the same notes


def test_course_export_holds_every_document_of_the_course(
    container: Container, as_student: TestClient, student: TestUser, tmp_path: Path
) -> None:
    course = make_course(container, user_id=student.user_id)
    _, one = studied_document(container, user_id=student.user_id, course_id=course)
    _, two = studied_document(container, user_id=student.user_id, course_id=course)
    studied_document(container, user_id=student.user_id)  # not in the course
    response = as_student.get(f"/v1/courses/{course}/flashcards/export.apkg")
    assert response.status_code == 200, response.text
    assert len(_notes(response.content, tmp_path)) == len(one.cards) + len(two.cards)


def test_export_without_cards_is_a_clear_error(container: Container, as_student: TestClient, student: TestUser) -> None:
    course = make_course(container, user_id=student.user_id)
    response = as_student.get(f"/v1/courses/{course}/flashcards/export.apkg")
    assert response.status_code == 409 and response.json()["error"]["code"] == "FAILED_PRECONDITION"


def test_quiz_questions_cite_pages_hide_answers_and_grading_feeds_reviews(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    made = as_student.post("/v1/quizzes", json={"document_id": str(doc_id), "count": 8})
    assert made.status_code == 201, made.text
    quiz = made.json()
    questions = quiz["questions"]
    assert len(questions) == 8 and quiz["generator"] == "local"
    # The mix is drawn per quiz (seeded by its id); tests/unit/test_study_service.py pins both kinds.
    assert {q["kind"] for q in questions} <= {"multiple_choice", "cloze"}
    assert all(q["source"]["page"] is not None and "answer" not in q for q in questions)
    backs = {c.id: c.back for c in aids.cards}
    glossary = {g.term for g in aids.notes.glossary} | {g.definition for g in aids.notes.glossary} | set(backs.values())
    for q in questions:
        if q["kind"] == "multiple_choice":
            assert backs[q["card_id"]] in q["choices"] and set(q["choices"]) <= glossary  # the document's own terms
    right, wrong = questions[0], questions[1]
    answers = [
        {"question_id": right["id"], "answer": backs[right["card_id"]].upper()},
        {"question_id": wrong["id"], "answer": "certainly not this"},
    ]
    graded = as_student.post(f"/v1/quizzes/{quiz['id']}/answers", json={"answers": answers, "duration_ms": 8000})
    assert graded.status_code == 200, graded.text
    result = graded.json()
    assert (result["score"], result["total"]) == (1, 8)
    marks = {q["question_id"]: q for q in result["questions"]}
    assert marks[right["id"]]["correct"] and not marks[wrong["id"]]["correct"]
    assert marks[wrong["id"]]["answer"] == backs[wrong["card_id"]]
    assert marks[right["id"]]["next_due"] > marks[wrong["id"]]["next_due"]  # good waits longer than again
    unanswered = [q for q in result["questions"] if q["given"] is None]
    assert len(unanswered) == 6 and all(q["next_due"] is None for q in unanswered)
    with container.db.connection() as conn:
        rows = conn.execute(
            "SELECT card_id, rating FROM review_log WHERE user_id = %s AND source = 'quiz'", (student.user_id,)
        ).fetchall()
    assert sorted(rows) == sorted([(right["card_id"], 3), (wrong["card_id"], 1)])
    replay = as_student.post(f"/v1/quizzes/{quiz['id']}/answers", json={"answers": []})
    assert replay.json() == result  # graded once
    assert as_student.get(f"/v1/quizzes/{quiz['id']}").json()["graded"] is True


def test_quiz_over_a_course_and_bad_requests(container: Container, as_student: TestClient, student: TestUser) -> None:
    course = make_course(container, user_id=student.user_id)
    one, _ = studied_document(container, user_id=student.user_id, course_id=course)
    two, _ = studied_document(container, user_id=student.user_id, course_id=course)
    quiz = as_student.post("/v1/quizzes", json={"course_id": str(course), "count": 30}).json()
    assert {q["source"]["document_id"] for q in quiz["questions"]} == {str(one), str(two)}
    both = as_student.post("/v1/quizzes", json={"course_id": str(course), "document_id": str(one)})
    assert both.status_code == 400 and both.json()["error"]["code"] == "INVALID_ARGUMENT"
    stray_answers = {"answers": [{"question_id": "q999", "answer": "x"}]}
    stray = as_student.post(f"/v1/quizzes/{quiz['id']}/answers", json=stray_answers)
    assert stray.status_code == 400 and stray.json()["error"]["details"] == {"question_id": "q999"}
