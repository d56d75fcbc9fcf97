"""Documents ready to study: ingested, indexed and with study aids from the local generator."""

from __future__ import annotations

import uuid

from shared.ai.contracts.aids import StudyAids
from shared.ai.local.generator import LocalGenerator
from shared.ai.store import commit_study_aids
from shared.container import Container
from shared.documents.contracts import Structure
from shared.search.indexing import index_document_sections
from tests.support.ai_docs import lecture, seed_document
from tests.support.users import TestUser, make_user


def make_course(container: Container, *, user_id: uuid.UUID, name: str = "Artificial Intelligence") -> uuid.UUID:
    course_id = uuid.uuid4()
    with container.db.connection() as conn:
        conn.execute(
            "INSERT INTO courses (id, user_id, canvas_id, name) VALUES (%s, %s, %s, %s)",
            (course_id, user_id, uuid.uuid4().int % 10**12, name),
        )
    return course_id


def studied_document(
    container: Container,
    *,
    user_id: uuid.UUID,
    structure: Structure | None = None,
    course_id: uuid.UUID | None = None,
) -> tuple[uuid.UUID, StudyAids]:
    """A document with its sections indexed and local study aids committed (its cards are review items)."""
    structure = structure or lecture()
    doc_id = seed_document(container, user_id=user_id, structure=structure)
    aids = LocalGenerator().generate(structure)
    with container.db.connection() as conn:
        conn.execute(
            "UPDATE documents SET course_id = %s, page_count = %s WHERE id = %s",
            (course_id, structure.page_count, doc_id),
        )
        index_document_sections(conn, doc_id=doc_id, user_id=user_id, structure=structure, course_id=course_id)
    commit(container, doc_id=doc_id, user_id=user_id, aids=aids)
    return doc_id, aids


def commit(container: Container, *, doc_id: uuid.UUID, user_id: uuid.UUID, aids: StudyAids) -> None:
    with container.db.connection() as conn:
        commit_study_aids(
            conn, doc_id=doc_id, user_id=user_id, aids=aids, notes_path="n.md", slides_path="s.md", duration_ms=1
        )


def long_session_user(container: Container) -> TestUser:
    """A student whose session outlives a test clock moved months ahead."""
    user = make_user(container)
    sql = "UPDATE sessions SET expires_at = now() + interval '2 years', last_seen_at = now() + interval '1 year'"
    with container.db.connection() as conn:
        conn.execute(sql + " WHERE user_id = %s", (user.user_id,))
    return user
