"""Messages of the media stage: the narration script, one segment per slide."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping
from typing import ClassVar, Literal, Self

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter

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

    def spec_fields(self) -> dict[str, str]:
        """`script` is the slides as JSON; `assets` is empty (slide images are rendered from them)."""
        script = json.dumps([slide.model_dump(mode="json") for slide in self.slides])
        return {"user_id": str(self.user_id), "doc_id": str(self.doc_id), "script": script, "assets": "[]"}

    @classmethod
    def from_spec_fields(cls, fields: Mapping[str, object], *, entry_id: str) -> Self:
        """`script` is our slides as JSON, or plain narration (one slide per paragraph). `assets`
        is ignored: nothing an entry names is fetched."""
        rest = {name: value for name, value in fields.items() if name not in ("script", "assets")}
        return super().from_spec_fields({**rest, "slides": _slides(str(fields.get("script", "")))}, entry_id=entry_id)


def _slides(script: str) -> list[SlideScript]:
    if script.lstrip().startswith("["):
        return _SLIDES.validate_json(script)
    parts = [part.strip() for part in script.split("\n\n") if part.strip()]
    return [SlideScript(index=i, title=f"Part {i}", narration=text) for i, text in enumerate(parts, start=1)]


_SLIDES = TypeAdapter(list[SlideScript])


class MediaResult(Message):
    """Published when a document's media is done (its asset paths) or failed. A failure with
    `retrying` may still be followed by `done`: the drain runs the request again."""

    stream: ClassVar[str] = "media.result"

    doc_id: uuid.UUID
    user_id: uuid.UUID
    status: Literal["done", "failed"]
    assets: list[str] = Field(default_factory=list)
    duration_ms: int | None = None
    retrying: bool = False
    error_code: str | None = None
    error_message: str | None = None


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
