"""Routes of the AI context: start generation, read notes, flashcards and slides."""

from __future__ import annotations

import uuid
from typing import Any

from fastapi import APIRouter
from fastapi.responses import JSONResponse

from shared.ai import store
from shared.ai.contracts.http import (
    FlashcardsView,
    NotesView,
    Pending,
    SlidesView,
    StartRequest,
)
from shared.ai.use_cases.read import stored_aids
from shared.ai.use_cases.start import start_generation
from shared.auth.deps import CurrentUser
from shared.container import Container
from shared.deps import ContainerDep

router = APIRouter(tags=["study aids"])
PENDING: dict[int | str, dict[str, Any]] = {
    202: {"model": Pending, "description": "Generation is queued or running; poll again."}
}


@router.post("/ai/start", status_code=202)
def start(body: StartRequest, principal: CurrentUser, container: ContainerDep) -> Pending:
    return start_generation(
        doc_id=body.doc_id,
        user_id=principal.user_id,
        markdown_url=body.markdown_url,
        json_url=body.json_url,
        db=container.db,
        blobs=container.blobs,
        publisher=container.publisher,
        throttle=container.throttle,
        per_minute=container.settings.ai_start_per_minute,
    )


@router.get("/notes/{doc_id}", response_model=NotesView, responses=PENDING)
def notes(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> NotesView | JSONResponse:
    with container.db.connection() as conn:
        found = stored_aids(conn, doc_id=doc_id, user_id=principal.user_id, what="notes", read=store.read_notes)
    if isinstance(found, Pending):
        return _pending(found)
    stored, stage = found
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
        found = stored_aids(conn, doc_id=doc_id, user_id=principal.user_id, what="flashcards", read=store.read_cards)
    if isinstance(found, Pending):
        return _pending(found)
    stored, stage = found
    return FlashcardsView(
        doc_id=doc_id, generator=stored.generator, cards=stored.cards, updated_at=stored.updated_at, stage=stage
    )


@router.get("/slides/{doc_id}", response_model=SlidesView, responses=PENDING)
def slides(doc_id: uuid.UUID, principal: CurrentUser, container: ContainerDep) -> SlidesView | JSONResponse:
    with container.db.connection() as conn:
        found = stored_aids(conn, doc_id=doc_id, user_id=principal.user_id, what="slides", read=store.read_slides)
    if isinstance(found, Pending):
        return _pending(found)
    stored, stage = found
    return SlidesView(
        doc_id=doc_id,
        generator=stored.generator,
        slide_count=len(stored.slides),
        slides=stored.slides,
        markdown_url=_signed(container, stored.markdown_path),
        updated_at=stored.updated_at,
        stage=stage,
    )


def _pending(pending: Pending) -> JSONResponse:
    return JSONResponse(pending.model_dump(mode="json"), status_code=202)


def _signed(container: Container, path: str) -> str:
    return container.blobs.read_url(container="derived", path=path, ttl_s=container.settings.sas_ttl_seconds)
