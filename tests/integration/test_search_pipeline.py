"""Search fed by the real stages: ingest a corpus document and generate its study aids through
the real drains (Postgres, Redis, Azurite), then search it over HTTP."""

from __future__ import annotations

import collections
import uuid

import pytest
from fastapi.testclient import TestClient

from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.documents.contracts import Section, Structure
from shared.documents.service import create_document, request_ingest
from shared.workers import run_drain
from tests.support import documents_files as files
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration


def upload(container: Container, user: TestUser, name: str, data: bytes) -> uuid.UUID:
    with container.db.connection() as conn:
        row = create_document(
            conn=conn,
            blobs=container.blobs,
            user_id=user.user_id,
            title=name,
            filename=name,
            kind=name.rsplit(".", 1)[-1],
            size=len(data),
            course_id=None,
            source="upload",
            data=data,
        )
        request_ingest(conn=conn, publisher=container.publisher, doc_id=row.id, user_id=user.user_id)
    return row.id


def structure_of(container: Container, user: TestUser, doc_id: uuid.UUID) -> Structure:
    raw = container.blobs.get(container="derived", path=f"{user.user_id}/{doc_id}/structure.json")
    return Structure.model_validate_json(raw)


def distinctive_section(structure: Structure) -> Section:
    """A section on a known page whose heading no other section shares: the one with the longest heading."""
    counts = collections.Counter(s.heading.lower() for s in structure.sections)
    candidates = [s for s in structure.sections if s.source.page and counts[s.heading.lower()] == 1 and s.text]
    return max(candidates, key=lambda s: len(s.heading.split()))


def search(client: TestClient, user: TestUser, **params: str) -> dict[str, object]:
    response = client.get("/v1/search", params=params, headers={"Cookie": f"{SESSION_COOKIE}={user.token}"})
    assert response.status_code == 200, response.text
    body: dict[str, object] = response.json()
    return body


def section_rows(container: Container, doc_id: uuid.UUID) -> int:
    with container.db.connection() as conn:
        row = conn.execute(
            "SELECT count(*) FROM search_entries WHERE document_id = %s AND kind = 'section'", (doc_id,)
        ).fetchone()
    return int(row[0]) if row else 0


def test_a_heading_of_an_ingested_document_comes_first_with_its_page(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = upload(container, user, "lecture.pdf", files.lecture_pdf())
    assert run_drain(container, "ingest.request", budget_s=2).acked >= 1
    section = distinctive_section(structure_of(container, user, doc_id))
    first = search(client, user, q=section.heading + " ")["hits"][0]  # type: ignore[index]
    assert first["citation"] == {"section": section.heading, "page": section.source.page, "unit": "page"}
    assert first["document"]["id"] == str(doc_id) and first["kind"] == "section"

    indexed = section_rows(container, doc_id)
    with container.db.connection() as conn:  # reprocessing: the same doc_id ingested again
        request_ingest(conn=conn, publisher=container.publisher, doc_id=doc_id, user_id=user.user_id)
    assert run_drain(container, "ingest.request", budget_s=2).acked == 1  # it did run again
    assert section_rows(container, doc_id) == indexed > 0


def test_study_aids_from_the_ai_stage_are_searchable_with_citations(container: Container, client: TestClient) -> None:
    user = make_user(container)
    doc_id = upload(container, user, "deck.pptx", files.corpus("docling-powerpoint-sample.pptx"))
    run_drain(container, "ingest.request", budget_s=2)
    assert run_drain(container, "ai.request", budget_s=2).acked >= 1
    with container.db.connection() as conn:
        card = conn.execute(
            "SELECT body, cite_section, cite_page FROM search_entries WHERE document_id = %s AND kind = 'flashcard'"
            " ORDER BY position LIMIT 1",
            (doc_id,),
        ).fetchone()
    assert card is not None, "the AI stage indexed no flashcards"
    front, cited_section, cited_page = card
    hits = search(client, user, q=str(front) + " ", kind="flashcard")["hits"]
    assert isinstance(hits, list) and hits
    expected = {"section": cited_section, "page": cited_page, "unit": "slide" if cited_page else None}
    assert expected in [hit["citation"] for hit in hits[:3]]
