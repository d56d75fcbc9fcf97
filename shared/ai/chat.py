"""The chat port the LLM generator talks to: one structured-output completion per call."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol


@dataclass(frozen=True)
class Completion:
    content: str | None
    refusal: str | None
    finish_reason: str | None
    prompt_tokens: int
    completion_tokens: int


class ChatClient(Protocol):
    def complete(
        self, *, messages: list[dict[str, str]], response_format: dict[str, Any], max_tokens: int
    ) -> Completion:
        """One request; raises the provider's own errors (mapped by `shared.ai.retry`)."""
        ...
