"""A scripted `ChatClient` for unit tests: records every request, answers from a script."""

from __future__ import annotations

import json
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from shared.ai.adapters import Completion
from tests.support.openai_stub_answers import answer_for

Step = str | Exception | Callable[[list[dict[str, str]]], str]


@dataclass
class FakeChat:
    """Each step is a stub behaviour name ("ok", "invalid_json", ...), raw content, or an exception."""

    script: deque[Step] = field(default_factory=deque)
    requests: list[list[dict[str, str]]] = field(default_factory=list)
    formats: list[dict[str, Any]] = field(default_factory=list)
    max_tokens: list[int] = field(default_factory=list)

    def complete(
        self, *, messages: list[dict[str, str]], response_format: dict[str, Any], max_tokens: int
    ) -> Completion:
        self.requests.append(list(messages))
        self.formats.append(response_format)
        self.max_tokens.append(max_tokens)
        step = self.script.popleft() if self.script else "ok"
        if isinstance(step, Exception):
            raise step
        content = step(messages) if callable(step) else answer_for({"messages": messages}, step)
        prompt = sum(len(m["content"]) for m in messages) // 4
        return Completion(content, None, "stop", prompt, max(1, len(content) // 4))

    def sections_sent(self) -> list[list[str]]:
        return [[s["section"] for s in json.loads(r[1]["content"])["sections"]] for r in self.requests]
