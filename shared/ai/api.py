"""Routes of the AI context: start generation, read notes, flashcards and slides."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shared.ai import queries
from shared.ai.start import start_generation
from shared.ai.views import FlashcardsView, NotesView, Pending, SlidesView, StartRequest, pending_or_raise, stage_view
from shared.auth.deps import CurrentUser
from shared.container import Container
from shared.deps import ContainerDep
from shared.documents.service import document_owner
from shared.platform.db import Conn
from shared.platform.errors import NotFound

router = APIRouter(tags=["study aids"])
PENDING: dict[int | str, dict[str, Any]] = {
    202: {"model": Pending, "description": "Generation is queued or running; poll again."}
}


@router.post("/ai/start", status_code=202)
def start(body: StartRequest, principal: CurrentUser, container: ContainerDep) -> Pending:
    return start_generation(
        container,
        doc_id=body.doc_id,
        user_id=principal.user_id,
        markdown_url=body.markdown_url,
        json_url=body.json_url,
    )


@router.get("/notes/{doc_id}", response_model=NotesView, responses=PENDING)
def notes(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> NotesView | JSONResponse:
    with container.db.connection() as conn:
        _owned(conn, doc_id, principal.user_id)
        stored = queries.read_notes(conn, doc_id=doc_id, user_id=principal.user_id)
        if stored is None:
            return _pending(pending_or_raise(conn, doc_id, "notes"))
        stage = stage_view(conn, doc_id)
    url = _signed(container, stored.markdown_path) if stored.markdown_path else None
    return NotesView(
        doc_id=doc_id,
        generator=stored.generator,
        summary=stored.summary,
        markdown_url=url,
        updated_at=stored.updated_at,
        stage=stage,
    )


@router.get("/flashcards/{doc_id}", response_model=FlashcardsView, responses=PENDING)
def flashcards(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> FlashcardsView | JSONResponse:
    with container.db.connection() as conn:
        _owned(conn, doc_id, principal.user_id)
        stored = queries.read_cards(conn, doc_id=doc_id, user_id=principal.user_id)
        if stored is None:
            return _pending(pending_or_raise(conn, doc_id, "flashcards"))
        stage = stage_view(conn, doc_id)
    return FlashcardsView(
        doc_id=doc_id, generator=stored.generator, cards=stored.cards, updated_at=stored.updated_at, stage=stage
    )


@router.get("/slides/{doc_id}", response_model=SlidesView, responses=PENDING)
def slides(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> SlidesView | JSONResponse:
    with container.db.connection() as conn:
        _owned(conn, doc_id, principal.user_id)
        stored = queries.read_slides(conn, doc_id=doc_id, user_id=principal.user_id)
        if stored is None:
            return _pending(pending_or_raise(conn, doc_id, "slides"))
        stage = stage_view(conn, doc_id)
    return SlidesView(
        doc_id=doc_id,
        generator=stored.generator,
        slide_count=len(stored.slides),
        slides=stored.slides,
        markdown_url=_signed(container, stored.markdown_path),
        updated_at=stored.updated_at,
        stage=stage,
    )


def _owned(conn: Conn, doc_id: uuid.UUID, user_id: uuid.UUID) -> None:
    if document_owner(conn, doc_id=doc_id) != user_id:
        raise NotFound(f"document {doc_id} not found")


def _pending(pending: Pending) -> JSONResponse:
    return JSONResponse(pending.model_dump(mode="json"), status_code=202)


def _signed(container: Container, path: str) -> str:
    return container.blobs.read_url(container="derived", path=path, ttl_s=container.settings.sas_ttl_seconds)
