"""Reviews through the API: due cards, FSRS scheduling, idempotent answers, state across regeneration."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from fsrs import Card, Rating, Scheduler

from shared.ai.contracts.aids import StudyAids
from shared.container import Container
from shared.gateway import create_app
from shared.platform.clock import FixedClock
from tests.conftest import FROM_APP
from tests.support.clients import started
from tests.support.study_docs import commit, long_session_user, make_course, studied_document
from tests.support.users import TestUser

pytestmark = pytest.mark.integration

#: How far ahead of the real time (which stamps new cards due) each test's clock starts: new cards are due at once.
AHEAD = timedelta(minutes=5)
SEQUENCE = ["good", "good", "good", "again", "good", "hard", "easy", "good"]
# What fsrs 6.3 (default parameters, no fuzz) schedules for SEQUENCE, in whole minutes.
EXPECTED_MINUTES = [10, 2 * 1440, 11 * 1440, 10, 2 * 1440, 4 * 1440, 12 * 1440, 27 * 1440]


@pytest.fixture
def clock(container: Container) -> Iterator[FixedClock]:
    fixed, before = FixedClock(datetime.now(UTC).replace(microsecond=0) + AHEAD), container.clock
    container.clock = fixed
    try:
        yield fixed
    finally:
        container.clock = before


@pytest.fixture
def student(container: Container) -> TestUser:
    return long_session_user(container)  # the tests move the clock months ahead


@pytest.fixture
def as_student(client: TestClient, student: TestUser) -> TestClient:
    client.cookies.update(student.cookies)
    return client


def _rate(client: TestClient, doc_id: uuid.UUID, card_id: str, rating: str, review_id: uuid.UUID | None = None) -> dict:  # type: ignore[type-arg]
    body = {
        "review_id": str(review_id or uuid.uuid4()),
        "document_id": str(doc_id),
        "rating": rating,
        "duration_ms": 4000,
    }
    response = client.post(f"/v1/reviews/{card_id}", json=body)
    assert response.status_code == 200, response.text
    return dict(response.json())


def test_due_cards_across_documents_filtered_by_course(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    course = make_course(container, user_id=student.user_id)
    in_course, aids = studied_document(container, user_id=student.user_id, course_id=course)
    elsewhere, other = studied_document(container, user_id=student.user_id)
    everything = as_student.get("/v1/reviews/due", params={"limit": 200}).json()
    assert everything["total_due"] == len(aids.cards) + len(other.cards)
    filtered = as_student.get("/v1/reviews/due", params={"course_id": str(course), "limit": 5}).json()
    assert filtered["total_due"] == len(aids.cards)
    assert len(filtered["cards"]) == 5
    assert {c["source"]["document_id"] for c in filtered["cards"]} == {str(in_course)}
    first = filtered["cards"][0]
    assert first["state"] == "learning" and first["source"]["page"] is not None
    by_doc = as_student.get("/v1/reviews/due", params={"document_id": str(elsewhere), "limit": 200}).json()
    assert by_doc["total_due"] == len(other.cards)


def test_review_schedule_matches_fsrs_for_a_known_sequence(
    container: Container, as_student: TestClient, student: TestUser, clock: FixedClock
) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    card_id = aids.cards[0].id
    reference, card = Scheduler(enable_fuzzing=False), Card()
    card.due = clock.now()
    minutes = []
    for rating in SEQUENCE:
        answer = _rate(as_student, doc_id, card_id, rating)
        card, _ = reference.review_card(card, Rating[rating.capitalize()], clock.now())
        due = datetime.fromisoformat(answer["due"])
        assert due == card.due, rating
        minutes.append(round((due - clock.now()).total_seconds() / 60))
        clock.at = due
    assert minutes == EXPECTED_MINUTES
    assert as_student.get("/v1/reviews/due", params={"document_id": str(doc_id), "limit": 200}).json()["total_due"] == (
        len(aids.cards)  # the reviewed card is due again exactly at the clock's time: due <= now
    )
    with container.db.connection() as conn:
        row = conn.execute(
            "SELECT reps, lapses FROM review_cards WHERE document_id = %s AND card_id = %s", (doc_id, card_id)
        ).fetchone()
    assert row == (len(SEQUENCE), 1)


def test_a_retried_review_is_counted_once(container: Container, as_student: TestClient, student: TestUser) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    review_id = uuid.uuid4()
    first = _rate(as_student, doc_id, aids.cards[0].id, "good", review_id)
    again = _rate(as_student, doc_id, aids.cards[0].id, "good", review_id)
    assert not first["replayed"] and again["replayed"]
    assert again["due"] == first["due"] and again["state"] == first["state"]
    with container.db.connection() as conn:
        logged = conn.execute("SELECT count(*) FROM review_log WHERE review_id = %s", (review_id,)).fetchone()
        reps = conn.execute(
            "SELECT reps FROM review_cards WHERE document_id = %s AND card_id = %s", (doc_id, aids.cards[0].id)
        ).fetchone()
    assert logged == (1,) and reps == (1,)
    body = {"review_id": str(review_id), "document_id": str(doc_id), "rating": "good", "duration_ms": 1}
    reused = as_student.post(f"/v1/reviews/{aids.cards[1].id}", json=body)
    assert reused.status_code == 409 and reused.json()["error"]["code"] == "CONFLICT"


def test_bad_reviews_get_clear_errors(container: Container, as_student: TestClient, student: TestUser) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    body = {"review_id": str(uuid.uuid4()), "document_id": str(doc_id), "rating": "perfect", "duration_ms": 1}
    wrong = as_student.post(f"/v1/reviews/{aids.cards[0].id}", json=body)
    assert wrong.status_code == 400 and wrong.json()["error"]["code"] == "INVALID_ARGUMENT"
    missing = as_student.post("/v1/reviews/nosuchcard", json={**body, "rating": "good"})
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NOT_FOUND"


def _state(container: Container, doc_id: uuid.UUID, card_id: str) -> tuple[int, int, bool]:
    with container.db.connection() as conn:
        row = conn.execute(
            "SELECT reps, version, retired FROM review_cards WHERE document_id = %s AND card_id = %s", (doc_id, card_id)
        ).fetchone()
    assert row is not None
    return row[0], row[1], row[2]


def test_regenerated_cards_keep_state_only_while_the_same_card(
    container: Container, as_student: TestClient, student: TestUser
) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    reworded, rewritten, dropped = aids.cards[0], aids.cards[1], aids.cards[2]
    for card in (reworded, rewritten, dropped):
        _rate(as_student, doc_id, card.id, "good")
    cards = [c for c in aids.cards if c.id != dropped.id]
    cards[0] = reworded.model_copy(update={"back": reworded.back + " (see lecture)"})
    cards[1] = rewritten.model_copy(update={"back": "Something else entirely, unrelated to the old answer"})
    commit(
        container,
        doc_id=doc_id,
        user_id=student.user_id,
        aids=StudyAids.model_validate({**aids.model_dump(), "cards": cards}),
    )
    assert _state(container, doc_id, reworded.id) == (1, 1, False)
    assert _state(container, doc_id, rewritten.id) == (0, 2, False)
    assert _state(container, doc_id, dropped.id) == (1, 1, True)
    due = as_student.get("/v1/reviews/due", params={"document_id": str(doc_id), "limit": 200}).json()
    assert dropped.id not in {c["card_id"] for c in due["cards"]}
    commit(container, doc_id=doc_id, user_id=student.user_id, aids=aids)  # the dropped card comes back
    assert _state(container, doc_id, dropped.id) == (1, 1, False)


def test_clock_moves_cards_out_of_and_into_the_due_list(
    container: Container, as_student: TestClient, student: TestUser, clock: FixedClock
) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    _rate(as_student, doc_id, aids.cards[0].id, "easy")
    params = {"document_id": str(doc_id), "limit": "200"}
    assert as_student.get("/v1/reviews/due", params=params).json()["total_due"] == len(aids.cards) - 1
    clock.at = clock.now() + timedelta(days=60)
    assert as_student.get("/v1/reviews/due", params=params).json()["total_due"] == len(aids.cards)


def test_concurrent_retries_of_one_review_are_counted_once(container: Container, student: TestUser) -> None:
    doc_id, aids = studied_document(container, user_id=student.user_id)
    body = {"review_id": str(uuid.uuid4()), "document_id": str(doc_id), "rating": "good", "duration_ms": 1}
    app = create_app(container)
    clients = [started(TestClient(app, cookies=student.cookies, headers=FROM_APP)) for _ in range(4)]
    # One review of another card first: the app builds its request models on first use, and four
    # threads doing that at once trip a race inside pydantic, not in the code under test.
    _rate(clients[0], doc_id, aids.cards[1].id, "good")
    with ThreadPoolExecutor(max_workers=4) as pool:
        answers = list(pool.map(lambda c: c.post(f"/v1/reviews/{aids.cards[0].id}", json=body), clients))
    assert [a.status_code for a in answers] == [200] * 4
    assert sorted(a.json()["replayed"] for a in answers) == [False, True, True, True]
    assert len({a.json()["due"] for a in answers}) == 1
    assert _state(container, doc_id, aids.cards[0].id)[0] == 1
