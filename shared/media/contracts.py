"""Messages of the media stage: the narration script, one segment per slide."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.platform.messages import Message


class SlideScript(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    index: int = Field(ge=1)
    title: str
    bullets: list[str] = Field(default_factory=list)
    narration: str
    source_page: int | None = None


class MediaRequest(Message):
    stream: ClassVar[str] = "media.request"

    doc_id: uuid.UUID
    user_id: uuid.UUID
    slides: list[SlideScript] = Field(min_length=1)


class MediaStart(BaseModel):
    """`POST /v1/media/start`."""

    model_config = ConfigDict(extra="forbid")

    doc_id: uuid.UUID


class MediaStarted(BaseModel):
    """`queued` with the deck's slide count; or the run already `queued`/`running` (no new run)."""

    doc_id: uuid.UUID
    status: Literal["queued", "running"]
    slide_count: int | None


class MediaAssetView(BaseModel):
    """One narrated asset; `url` and `thumbnail_url` are short-lived signed URLs."""

    id: uuid.UUID
    kind: Literal["audio", "video", "captions"]
    url: str
    thumbnail_url: str | None = None
    content_type: str | None = None
    duration_ms: int | None = None
    size_bytes: int | None = None


class MediaView(BaseModel):
    """`GET /v1/media/{doc_id}`: the stage's status (`none` before any start) and the assets."""

    doc_id: uuid.UUID
    status: Literal["none", "queued", "running", "done", "failed"]
    error_code: str | None = None
    error_message: str | None = None
    duration_ms: int | None = None
    video: MediaAssetView | None = None
    audio: MediaAssetView | None = None
    captions: MediaAssetView | None = None
    url_expires_in_s: int
