"""The base of every stream message: validated on publish and on consume, ids and request id.

An entry carries the message as JSON (`data`) and, beside it, the specification's flat fields
(`spec_fields`). An entry with only the flat fields (an operator's hand-written XADD) is read
with `from_spec_fields`.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict, Field

from shared.platform.context import current_request_id

#: Message ids of flat entries derive from the entry id, so a redelivery dedupes like any message.
FLAT_ENTRY_IDS = uuid.UUID("6f1c3e0a-2b7d-4c55-9a1e-5d0f3b8e7c21")


class Message(BaseModel):
    """A stream message. Subclasses set `stream` and add their payload fields."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    stream: ClassVar[str]

    message_id: uuid.UUID = Field(default_factory=uuid.uuid4)
    request_id: str | None = Field(default_factory=current_request_id)

    def spec_fields(self) -> dict[str, str]:
        """The specification's flat entry fields for this message; none unless it names some."""
        return {}

    @classmethod
    def from_spec_fields(cls, fields: Mapping[str, object], *, entry_id: str) -> Self:
        """The message an entry of flat fields stands for; fields we do not model are ignored."""
        known: dict[str, object] = {name: fields[name] for name in cls.model_fields if name in fields}
        known.setdefault("message_id", uuid.uuid5(FLAT_ENTRY_IDS, f"{cls.stream}:{entry_id}"))
        return cls.model_validate(known)

    def is_bulk(self) -> bool:
        """Bulk work (a backfill) yields to what a person is waiting for; see `lanes.py`."""
        return False

    def dedupe_key(self) -> str:
        """The key whose effect must happen once; override to dedupe by content (e.g. doc_id)."""
        return f"{self.stream}:{self.message_id}"
