"""The study aids as stored and served: every item cites its section and page and its generator."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

MAX_BULLETS = 6


class Citation(BaseModel):
    """The section heading and page (PDF page / PPTX slide; None for DOCX) an item comes from."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    section: str
    page: int | None = Field(default=None, ge=1)


class KeyPoint(BaseModel):
    model_config = ConfigDict(extra="forbid")

    text: str = Field(min_length=1)
    source: Citation
    generator: str


class GlossaryEntry(BaseModel):
    model_config = ConfigDict(extra="forbid")

    term: str = Field(min_length=1)
    definition: str = Field(min_length=1)
    source: Citation
    generator: str


class NotesSummary(BaseModel):
    """`notes.summary`."""

    model_config = ConfigDict(extra="forbid")

    title: str
    overview: str
    overview_sources: list[Citation] = Field(default_factory=list)
    key_points: list[KeyPoint]
    glossary: list[GlossaryEntry]
    generator: str
    #: Sections past the document token budget were left out (LLM generator only).
    truncated: bool = False
    #: Items the model wrote that the cited page does not support (or key points that are not
    #: complete sentences), left out after one re-ask naming them (LLM generator only).
    unsupported_dropped: int = Field(default=0, ge=0)


class Slide(BaseModel):
    model_config = ConfigDict(extra="forbid")

    index: int = Field(ge=1)
    title: str = Field(min_length=1)
    bullets: list[str] = Field(max_length=MAX_BULLETS)
    narration: str = Field(min_length=1)
    source: Citation
    generator: str


class Flashcard(BaseModel):
    """`id` is a hash of the normalised front, so regenerating a document keeps card ids."""

    model_config = ConfigDict(extra="forbid")

    id: str
    front: str = Field(min_length=1)
    back: str = Field(min_length=1)
    source: Citation
    tags: list[str] = Field(default_factory=list)
    generator: str


class Usage(BaseModel):
    """What one generation cost: requests, tokens, retries (zero for the local generator)."""

    model_config = ConfigDict(extra="forbid")

    model: str | None = None
    requests: int = 0
    prompt_tokens: int = 0
    completion_tokens: int = 0
    retries: int = 0
    invalid_outputs: int = 0
    truncated: bool = False

    @property
    def total_tokens(self) -> int:
        return self.prompt_tokens + self.completion_tokens


class StudyAids(BaseModel):
    """Everything one run of a generator produces for one document."""

    model_config = ConfigDict(extra="forbid")

    generator: str
    notes: NotesSummary
    slides: list[Slide] = Field(min_length=1)
    cards: list[Flashcard]
    usage: Usage = Field(default_factory=Usage)
