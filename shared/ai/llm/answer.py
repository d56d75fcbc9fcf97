"""What the model must answer for one chunk of a document (the structured-output schema)."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

from shared.ai.contracts.aids import MAX_BULLETS, Citation


class LlmKeyPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    source: Citation


class LlmTerm(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    source: Citation


class LlmSlide(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1)
    bullets: list[str] = Field(max_length=MAX_BULLETS)
    narration: str = Field(min_length=1)
    source: Citation


class LlmCard(BaseModel):
    model_config = ConfigDict(extra="forbid")

    front: str = Field(min_length=1)
    back: str = Field(min_length=1)
    tags: list[str]
    source: Citation


class ChunkAids(BaseModel):
    """Study aids for the sections of one request; several chunks are merged per document."""

    model_config = ConfigDict(extra="forbid")

    overview: str = Field(min_length=1)
    key_points: list[LlmKeyPoint] = Field(min_length=1)
    glossary: list[LlmTerm]
    slides: list[LlmSlide] = Field(min_length=1)
    flashcards: list[LlmCard]
