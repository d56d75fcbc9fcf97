"""Blob paths of the AI stage (in the `derived` container)."""

from __future__ import annotations

import uuid


def structure_path(user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    return f"{user_id}/{doc_id}/structure.json"


def markdown_path(user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    """The ingested Markdown, written by the documents context."""
    return f"{user_id}/{doc_id}/document.md"


def notes_path(user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    return f"{user_id}/{doc_id}/notes.md"


def slides_path(user_id: uuid.UUID, doc_id: uuid.UUID) -> str:
    return f"{user_id}/{doc_id}/slides.md"
