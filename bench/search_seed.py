"""Seed the benchmark database: users with sessions, a course, and an indexed copy of the corpus each."""

from __future__ import annotations

import secrets
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import psycopg

from bench.search_corpus import kind_of
from shared.auth.tokens import hash_token
from shared.documents.contracts import Structure
from shared.search.indexing import index_document_sections


@dataclass(frozen=True)
class SeededUser:
    user_id: uuid.UUID
    token: str
    course_id: uuid.UUID


def seed_user(conn: psycopg.Connection[tuple[object, ...]], corpus: dict[str, Structure], n: int) -> SeededUser:
    """One user with a live session, owning a copy of every corpus document, all indexed."""
    user = SeededUser(user_id=uuid.uuid4(), token=secrets.token_urlsafe(32), course_id=uuid.uuid4())
    conn.execute(
        "INSERT INTO users (id, email, display_name) VALUES (%s, %s, %s)",
        (user.user_id, f"bench{n}-{user.user_id.hex[:6]}@example.edu", f"Bench student {n}"),
    )
    conn.execute(
        "INSERT INTO sessions (id, user_id, token_hash, expires_at) VALUES (%s, %s, %s, %s)",
        (uuid.uuid4(), user.user_id, hash_token(user.token), datetime.now(UTC) + timedelta(days=1)),
    )
    for filename, structure in corpus.items():
        doc_id = uuid.uuid4()
        conn.execute(
            "INSERT INTO documents (id, user_id, course_id, title, filename, kind, raw_blob_path)"
            " VALUES (%s, %s, %s, %s, %s, %s, %s)",
            (
                doc_id,
                user.user_id,
                user.course_id,
                structure.title,
                filename,
                kind_of(filename),
                f"{user.user_id}/{doc_id}/{filename}",
            ),
        )
        index_document_sections(conn, doc_id=doc_id, user_id=user.user_id, structure=structure)
    conn.commit()
    return user
