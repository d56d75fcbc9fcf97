"""The base of every stream message: validated on publish and on consume, ids and request id."""

from __future__ import annotations

import uuid
from typing import ClassVar

from pydantic import BaseModel, ConfigDict, Field

from shared.platform.context import current_request_id


class Message(BaseModel):
    """A stream message. Subclasses set `stream` and add their payload fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stream: ClassVar[str]

    message_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    request_id: str | None = Field(default_factory=current_request_id)

    def dedupe_key(self) -> str:
        """The key whose effect must happen once; override to dedupe by content (e.g. doc_id)."""
        return f"{self.stream}:{self.message_id}"
