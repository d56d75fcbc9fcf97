"""Contracts of the search context: what the stages index, what `GET /v1/search` returns, passages for a question."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Literal, Protocol

from pydantic import BaseModel, ConfigDict

Kind = Literal["section", "key_point", "glossary", "flashcard"]
PageUnit = Literal["page", "slide"]
MatchMode = Literal["fulltext", "fuzzy"]

KINDS: tuple[Kind, ...] = ("section", "key_point", "glossary", "flashcard")
STUDY_AID_KINDS: tuple[Kind, ...] = ("key_point", "glossary", "flashcard")


class CitedSource(Protocol):
    """What a study aid cites; `shared.ai.contracts.aids.Citation` fits, so does `SourceRef`."""

    @property
    def section(self) -> str: ...
    @property
    def page(self) -> int | None: ...


class KeyPointLike(Protocol):
    @property
    def text(self) -> str: ...
    @property
    def source(self) -> CitedSource: ...


class GlossaryLike(Protocol):
    @property
    def term(self) -> str: ...
    @property
    def definition(self) -> str: ...
    @property
    def source(self) -> CitedSource: ...


class CardLike(Protocol):
    @property
    def front(self) -> str: ...
    @property
    def back(self) -> str: ...
    @property
    def source(self) -> CitedSource: ...


@dataclass(frozen=True)
class SourceRef:
    """Where a study aid comes from: the section heading it cites and its page or slide."""

    section: str
    page: int | None = None


@dataclass(frozen=True)
class KeyPoint:
    text: str
    source: SourceRef


@dataclass(frozen=True)
class GlossaryTerm:
    term: str
    definition: str
    source: SourceRef


@dataclass(frozen=True)
class Card:
    front: str
    back: str
    source: SourceRef


class DocumentRef(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    title: str


class Citation(BaseModel):
    """Where to open the source: the section heading and its page (PDF) or slide (PPTX)."""

    model_config = ConfigDict(extra="forbid")

    section: str
    page: int | None
    unit: PageUnit | None


class SearchHit(BaseModel):
    model_config = ConfigDict(extra="forbid")

    id: uuid.UUID
    document: DocumentRef
    kind: Kind
    heading: str  # HTML: escaped text, matched terms inside <mark>...</mark>
    snippet: str  # HTML: escaped text, matched terms inside <mark>...</mark>
    citation: Citation
    score: float
    match: MatchMode


class SearchPage(BaseModel):
    model_config = ConfigDict(extra="forbid")

    hits: list[SearchHit]
    next_cursor: str | None
    match: MatchMode


@dataclass(frozen=True)
class Passage:
    """A section passage that may answer a question (what `service.passages_for` returns)."""

    id: uuid.UUID
    document_id: uuid.UUID
    title: str
    heading: str
    body: str
    cite_section: str
    cite_page: int | None
    page_unit: PageUnit | None
    score: float
