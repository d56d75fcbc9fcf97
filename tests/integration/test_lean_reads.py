"""The hot reads on `LeanRoute` answer exactly as FastAPI's own handler does, over real Postgres.

Two gateways over one container: the app as served, and the same app with a dependency override
set (which makes every `LeanRoute` hand its requests to FastAPI's handler). Every request of the
matrix (good reads, pages and cursors, filters, malformed and out-of-range parameters, another
student's document, nobody signed in) gets the same status, body and caching header from both;
and the served app solves no dependency for any of them.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import fastapi.routing
import pytest
from fastapi.testclient import TestClient

from shared.container import Container
from shared.gateway import create_app
from tests.conftest import FROM_APP
from tests.support.study_docs import make_course, studied_document
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


async def _unused() -> None:  # the key of the override that sends requests down FastAPI's path
    return None


@pytest.fixture(scope="module")
def seeded(container: Container) -> tuple[TestUser, uuid.UUID, uuid.UUID, uuid.UUID]:
    user = make_user(container)
    course_id = make_course(container, user_id=user.user_id)
    doc_id, _ = studied_document(container, user_id=user.user_id, course_id=course_id)
    studied_document(container, user_id=user.user_id)
    other = make_user(container)
    others_doc, _ = studied_document(container, user_id=other.user_id)
    return user, doc_id, course_id, others_doc


@pytest.fixture(scope="module")
def gateways(container: Container) -> Iterator[tuple[TestClient, TestClient]]:
    standard_app = create_app(container)
    standard_app.dependency_overrides[_unused] = _unused
    with TestClient(create_app(container), headers=FROM_APP) as lean, TestClient(standard_app, headers=FROM_APP) as std:
        yield lean, std


def _matrix(doc_id: uuid.UUID, course_id: uuid.UUID, others_doc: uuid.UUID) -> list[str]:
    nobody = uuid.UUID(int=1)
    return [
        f"/v1/documents/{doc_id}",
        f"/v1/documents/{others_doc}",
        f"/v1/documents/{nobody}",
        "/v1/documents",
        "/v1/documents?limit=1",
        "/v1/documents?limit=0",
        "/v1/documents?limit=101",
        "/v1/documents?limit=ten",
        "/v1/documents?cursor=not-a-cursor",
        "/v1/documents?cursor=" + "x" * 201,
        "/v1/search?q=admissible+heuristic",
        "/v1/search?q=admissible+heuristic&limit=1",
        f"/v1/search?q=heuristic&course_id={course_id}&kind=section&kind=glossary",
        f"/v1/search?q=heuristic&document_id={doc_id}&kind=flashcard",
        "/v1/search?q=heurisitc",  # no full-text hit: the trigram fallback
        "/v1/search",
        "/v1/search?q=a&kind=everything",
        "/v1/search?q=a&course_id=42",
        "/v1/search?q=a&limit=0",
        "/v1/search?q=a&limit=51",
        "/v1/search?q=a&cursor=forged",
        "/v1/reviews/due",
        "/v1/reviews/due?limit=2",
        f"/v1/reviews/due?course_id={course_id}",
        f"/v1/reviews/due?document_id={doc_id}&limit=1",
        f"/v1/reviews/due?document_id={others_doc}",
        f"/v1/reviews/due?course_id={nobody}",
        "/v1/reviews/due?limit=201",
        "/v1/reviews/due?document_id=x",
    ]


def _comparable(response: Any) -> tuple[int, Any, str | None]:
    return response.status_code, _unsigned(response.json()), response.headers.get("cache-control")


def _unsigned(body: Any) -> Any:
    """The body without what differs between two answers by design: SAS signing times, request ids."""
    if isinstance(body, dict):
        return {key: _unsigned(value) for key, value in body.items() if key != "request_id"}
    if isinstance(body, list):
        return [_unsigned(value) for value in body]
    if isinstance(body, str) and body.startswith("http") and "?" in body:
        return body.split("?", 1)[0]
    return body


def test_each_hot_read_answers_as_fastapis_handler_does(
    gateways: tuple[TestClient, TestClient], seeded: tuple[TestUser, uuid.UUID, uuid.UUID, uuid.UUID]
) -> None:
    lean, standard = gateways
    user, doc_id, course_id, others_doc = seeded
    paths = _matrix(doc_id, course_id, others_doc)
    statuses = set()
    for cookies in (user.cookies, {}):
        for client in (lean, standard):
            client.cookies.clear()
            client.cookies.update(cookies)
        for path in paths:
            ours, theirs = lean.get(path), standard.get(path)
            assert _comparable(ours) == _comparable(theirs), path
            statuses.add(ours.status_code)
    assert statuses == {200, 400, 401, 404}  # the matrix reaches every kind of answer


def test_the_served_hot_reads_solve_no_dependency(
    gateways: tuple[TestClient, TestClient],
    seeded: tuple[TestUser, uuid.UUID, uuid.UUID, uuid.UUID],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    lean, standard = gateways
    user, doc_id, course_id, others_doc = seeded
    solved: list[str] = []
    real = vars(fastapi.routing)["solve_dependencies"]

    async def counting(**kwargs: Any) -> Any:
        solved.append(getattr(kwargs["dependant"].call, "__name__", "?"))
        return await real(**kwargs)

    monkeypatch.setattr(fastapi.routing, "solve_dependencies", counting)
    for client in (lean, standard):
        client.cookies.update(user.cookies)
    for path in _matrix(doc_id, course_id, others_doc):
        lean.get(path)
    assert solved == []
    standard.get("/v1/documents")
    assert solved == ["list_"]  # the probe does see FastAPI's own handler
