"""What the study-aid routes answer: the aids when they exist, else where generation stands."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.ai.models import Flashcard, NotesSummary, Slide
from shared.platform.db import Conn
from shared.platform.errors import FailedPrecondition, NotFound
from shared.platform.stages import StageState, stages_of

PendingStatus = Literal["queued", "running"]


class StartRequest(BaseModel):
    """`doc_id`, and optionally the specification's `markdown_url`/`json_url`: these must name the
    document's own derived files (nothing else is ever read)."""

    doc_id: uuid.UUID
    markdown_url: str | None = Field(default=None, max_length=4000)
    json_url: str | None = Field(default=None, max_length=4000)


class StageView(BaseModel):
    status: Literal["queued", "running", "done", "failed"] | None
    error_code: str | None = None
    error_message: str | None = None


class Pending(BaseModel):
    """202: generation is queued or running (or the document is still being ingested)."""

    doc_id: uuid.UUID
    status: PendingStatus
    detail: str


class NotesView(BaseModel):
    doc_id: uuid.UUID
    generator: str
    summary: NotesSummary
    markdown_url: str | None
    updated_at: datetime
    stage: StageView


class FlashcardsView(BaseModel):
    doc_id: uuid.UUID
    generator: str
    cards: list[Flashcard]
    updated_at: datetime
    stage: StageView


class SlidesView(BaseModel):
    doc_id: uuid.UUID
    generator: str
    slide_count: int
    slides: list[Slide]
    markdown_url: str
    updated_at: datetime
    stage: StageView


def stage_view(conn: Conn, doc_id: uuid.UUID) -> StageView:
    ai = _stage(conn, doc_id, "ai")
    if ai is None:
        return StageView(status=None)
    return StageView(status=ai.status, error_code=ai.error_code, error_message=ai.error_message)


def pending_or_raise(conn: Conn, doc_id: uuid.UUID, what: str) -> Pending:
    """Nothing generated yet: 202 while on its way, 409 with the reason if it failed, else 404."""
    ai = _stage(conn, doc_id, "ai")
    ingest = _stage(conn, doc_id, "ingest")
    if ai is not None and ai.status in ("queued", "running"):
        return Pending(doc_id=doc_id, status=ai.status, detail=f"{what} are being generated")
    if ai is not None and ai.status == "failed":
        details = {"stage": "ai", "error_code": ai.error_code}
        raise FailedPrecondition(f"generating {what} failed: {ai.error_message}", details=details)
    if ingest is not None and ingest.status in ("queued", "running"):
        return Pending(doc_id=doc_id, status="queued", detail="the document is still being ingested")
    raise NotFound(f"no {what} for this document yet; start generation with POST /v1/ai/start")


def _stage(conn: Conn, doc_id: uuid.UUID, name: str) -> StageState | None:
    return next((s for s in stages_of(conn, doc_id=doc_id) if s.stage == name), None)
