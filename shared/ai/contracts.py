"""Messages of the AI stage."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from shared.platform.messages import Message


class AiRequest(Message):
    stream: ClassVar[str] = "ai.request"

    doc_id: uuid.UUID
    user_id: uuid.UUID


class AiResult(Message):
    stream: ClassVar[str] = "ai.result"

    doc_id: uuid.UUID
    user_id: uuid.UUID
    status: Literal["done", "failed"]
    generator: str | None = None
    error_code: str | None = None
    error_message: str | None = None
