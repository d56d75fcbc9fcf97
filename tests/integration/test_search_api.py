"""`GET /v1/search` over HTTP semantics: auth, the error model, hostile input, cursor paging."""

from __future__ import annotations

import uuid

import pytest
from fastapi.testclient import TestClient

from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.documents.contracts import Section, Source, Structure
from shared.search.indexing import index_document_sections
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration

TOPICS = ["Entropy", "Huffman coding", "Channel capacity", "Mutual information", "Source coding", "Rate distortion"]


def seeded_user(container: Container) -> tuple[TestUser, uuid.UUID]:
    user = make_user(container)
    doc_id = uuid.uuid4()
    sections = [
        Section(heading=topic, text=f"{topic} is part of information theory.", source=Source(kind="pdf", page=n))
        for n, topic in enumerate(TOPICS, start=1)
    ]
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO documents (id, user_id, title, filename, kind, raw_blob_path)"
            " VALUES (%(id)s, %(user_id)s, 'Information theory', 'it.pdf', 'pdf', %(path)s)",
            {"id": doc_id, "user_id": user.user_id, "path": f"{user.user_id}/{doc_id}/it.pdf"},
        )
        structure = Structure(title="Information theory", language="en", sections=sections)
        index_document_sections(conn, doc_id=doc_id, user_id=user.user_id, course_id=None, structure=structure)
    return user, doc_id


def get(client: TestClient, user: TestUser, **params: str | int) -> tuple[int, dict[str, object]]:
    response = client.get("/v1/search", params=params, headers={"Cookie": f"{SESSION_COOKIE}={user.token}"})
    return response.status_code, response.json()


def test_search_needs_a_session(client: TestClient) -> None:
    response = client.get("/v1/search", params={"q": "entropy"})
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHENTICATED"


def test_a_search_for_a_heading_returns_that_section_first_with_its_page(
    client: TestClient, container: Container
) -> None:
    user, doc_id = seeded_user(container)
    status, body = get(client, user, q="huffman coding")
    assert status == 200
    first = body["hits"][0]  # type: ignore[index]
    assert first["citation"] == {"section": "Huffman coding", "page": 2, "unit": "page"}
    assert first["document"] == {"id": str(doc_id), "title": "Information theory"}
    assert first["heading"] == "<mark>Huffman</mark> <mark>coding</mark>"


@pytest.mark.parametrize(
    "params",
    [
        {"q": ""},
        {"q": "   "},
        {"q": "x" * 300},
        {"q": "-entropy"},
        {"q": "entropy\x07"},
        {"q": "entropy", "kind": "poem"},
        {"q": "entropy", "course_id": "not-a-uuid"},
        {"q": "entropy", "limit": 0},
        {"q": "entropy", "cursor": "garbage!"},
        {},
    ],
)
def test_bad_requests_are_invalid_argument(
    client: TestClient, container: Container, params: dict[str, str | int]
) -> None:
    user = make_user(container)
    status, body = get(client, user, **params)
    assert status == 400
    assert body["error"]["code"] == "INVALID_ARGUMENT"  # type: ignore[index]


@pytest.mark.parametrize(
    "q",
    [
        "'; DROP TABLE search_entries; --",
        "entropy' OR '1'='1",
        "%_ \\ entropy",
        "entropy:* & !coding | (capacity <-> x",
        'entropy"); SELECT pg_sleep(5); --',
        "%(user_id)s entropy",
        "{filters} entropy",
        "entropy $1 $$ ::regconfig",
    ],
)
def test_sql_metacharacters_are_just_text(client: TestClient, container: Container, q: str) -> None:
    user, _ = seeded_user(container)
    status, body = get(client, user, q=q)
    assert status == 200, body
    with container.db.connection() as conn:
        count = conn.execute("SELECT count(*) FROM search_entries WHERE user_id = %s", (user.user_id,)).fetchone()
    assert count == (len(TOPICS),)
    hits = body["hits"]
    assert isinstance(hits, list)
    assert all(hit["document"]["title"] == "Information theory" for hit in hits)


def test_cursor_pages_through_every_hit_once(client: TestClient, container: Container) -> None:
    user, _ = seeded_user(container)
    seen: list[str] = []
    params: dict[str, str | int] = {"q": "information theory", "limit": 4}
    for _ in range(5):
        status, body = get(client, user, **params)
        assert status == 200
        seen.extend(hit["id"] for hit in body["hits"])  # type: ignore[attr-defined]
        if body["next_cursor"] is None:
            break
        params["cursor"] = str(body["next_cursor"])
    assert len(seen) == len(set(seen)) == len(TOPICS)


def test_a_cursor_cannot_be_replayed_on_another_query(client: TestClient, container: Container) -> None:
    user, _ = seeded_user(container)
    _, first = get(client, user, q="information", limit=2)
    status, body = get(client, user, q="entropy", limit=2, cursor=str(first["next_cursor"]))
    assert status == 400
    assert "another query" in body["error"]["message"]  # type: ignore[index]


def test_user_b_never_sees_user_a(client: TestClient, container: Container) -> None:
    _, doc_id = seeded_user(container)
    stranger = make_user(container)
    for params in ({"q": "entropy"}, {"q": "entrpy "}, {"q": "entropy", "document_id": str(doc_id)}):
        status, body = get(client, stranger, **params)
        assert (status, body["hits"]) == (200, [])
