"""The AI context's ports; their adapters sit beside them.

- `Generator`: a structure in, validated study aids out. Adapters: `shared.ai.local` (the
  embedded default) and `shared.ai.llm` (OpenAI / Azure OpenAI), chosen by `shared.ai.build`.
- `ChatClient`: one structured-output completion per call, which the LLM generator (and the
  study context's quiz and answers) talk to. Adapter: `adapters.openai_chat`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from shared.ai.contracts.aids import StudyAids
from shared.documents.contracts import Structure


class Generator(Protocol):
    #: "local", or the model name for an LLM adapter (recorded on every item).
    name: str

    def generate(self, structure: Structure) -> StudyAids: ...


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
        """One request; raises the provider's own errors (mapped by `shared.ai.adapters.retry`)."""
        ...
