"""Messages of the media stage: the narration script, one segment per slide."""

from __future__ import annotations

import uuid
from typing import ClassVar

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
