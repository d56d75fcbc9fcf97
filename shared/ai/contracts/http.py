"""The bodies of the study-aid routes: the aids when they exist, else where generation stands."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, Field

from shared.ai.contracts.aids import Flashcard, NotesSummary, Slide

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
