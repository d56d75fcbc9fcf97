"""Messages of the AI stage. The study aids themselves are in `aids`, the route bodies in `http`."""

from __future__ import annotations

import uuid
from typing import ClassVar, Literal

from shared.ai import paths
from shared.platform.messages import Message


class AiRequest(Message):
    stream: ClassVar[str] = "ai.request"

    doc_id: uuid.UUID
    user_id: uuid.UUID

    def spec_fields(self) -> dict[str, str]:
        """`markdown_url`/`json_url` name the ingested files (`derived/...`); the worker reads its own."""
        return {
            "user_id": str(self.user_id),
            "doc_id": str(self.doc_id),
            "markdown_url": f"derived/{paths.markdown_path(self.user_id, self.doc_id)}",
            "json_url": f"derived/{paths.structure_path(self.user_id, self.doc_id)}",
        }


class AiResult(Message):
    stream: ClassVar[str] = "ai.result"

    doc_id: uuid.UUID
    user_id: uuid.UUID
    status: Literal["done", "failed"]
    generator: str | None = None
    error_code: str | None = None
    error_message: str | None = None
