"""The generator port: a structure in, validated study aids out. Adapters: local, openai."""

from __future__ import annotations

from typing import Protocol

from shared.ai.models import StudyAids
from shared.documents.contracts import Structure


class Generator(Protocol):
    #: "local", or the model name for an LLM adapter (recorded on every item).
    name: str

    def generate(self, structure: Structure) -> StudyAids: ...
