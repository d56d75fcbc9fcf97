"""Contracts of the documents context: the structure JSON, the ingest messages and the HTTP bodies."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, ConfigDict, Field

from shared.platform.messages import Message

SourceKind = Literal["pdf", "docx", "pptx"]


class Media(BaseModel):
    """A picture, recording or clip of a section (tables are sections' text, not media). `url` is
    the blob's unsigned address; `GET /v1/documents/{id}` lists each with a signed `url`."""

    model_config = ConfigDict(extra="forbid")

    type: Literal["image", "audio", "video"]
    url: str
    alt: str = ""


class Source(BaseModel):
    """Where a section comes from: the PDF page or the PPTX slide (1-based); None for DOCX."""

    model_config = ConfigDict(extra="forbid")

    kind: SourceKind
    page: int | None = Field(default=None, ge=1)


class Table(BaseModel):
    """A table's cells as text, row by row (the first row is the header); the Markdown carries it as
    a pipe table too. `page` is the PDF page or PPTX slide (1-based); None for DOCX."""

    model_config = ConfigDict(extra="forbid")

    rows: list[list[str]]
    page: int | None = Field(default=None, ge=1)


class Section(BaseModel):
    model_config = ConfigDict(extra="forbid")

    heading: str
    level: int = Field(default=1, ge=1, le=6)
    text: str
    media: list[Media] = Field(default_factory=list)
    tables: list[Table] = Field(default_factory=list)
    source: Source
    #: True when the heading is not in the source: it repeats the previous section's heading
    #: (the section continues on a new page) or was made up ("Page 3", the document title).
    continued: bool = False


class Structure(BaseModel):
    """`derived/{user}/{doc}/structure.json`."""

    model_config = ConfigDict(extra="forbid")

    title: str
    sections: list[Section]
    language: str | None = None
    page_count: int | None = None
    #: Pages read by OCR, and scanned pages left unread because Tesseract is not installed.
    ocr_pages: list[int] = Field(default_factory=list)
    needs_ocr_pages: list[int] = Field(default_factory=list)


class IngestRequest(Message):
    """`source`, `file_url` (`raw/{user}/{doc}/{name}`) and `kind` are the specification's fields,
    for readers of the stream: the worker always reads the document's own raw blob, never `file_url`."""

    stream: ClassVar[str] = "ingest.request"

    doc_id: uuid.UUID
    user_id: uuid.UUID
    source: str | None = Field(default=None, max_length=40)
    file_url: str | None = Field(default=None, max_length=4000)
    kind: str | None = Field(default=None, max_length=10)

    def spec_fields(self) -> dict[str, str]:
        named = {"source": self.source, "file_url": self.file_url, "kind": self.kind}
        flat = {"user_id": str(self.user_id), "doc_id": str(self.doc_id)}
        return flat | {name: value for name, value in named.items() if value is not None}

    def is_bulk(self) -> bool:
        return self.source == "canvas"

    def dedupe_key(self) -> str:
        # Re-sending for the same document is a reprocess, so messages dedupe by their own id.
        return f"{self.stream}:{self.message_id}"


class IngestResult(Message):
    stream: ClassVar[str] = "ingest.result"

    doc_id: uuid.UUID
    user_id: uuid.UUID
    status: Literal["done", "failed"]
    error_code: str | None = None
    error_message: str | None = None


# HTTP bodies of `/v1/documents` and `/v1/ingestion/start`.
Kind = Literal["pdf", "docx", "pptx", "doc", "ppt", "odt", "odp", "rtf"]


class CreateDocument(BaseModel):
    model_config = ConfigDict(extra="forbid")

    title: str = Field(min_length=1, max_length=300)
    filename: str = Field(min_length=1, max_length=300)
    kind: Kind
    size: int = Field(ge=1)
    course_id: uuid.UUID | None = None


class StartIngestion(BaseModel):
    model_config = ConfigDict(extra="forbid")

    doc_id: uuid.UUID
    file_url: str | None = Field(default=None, max_length=4000)
    kind: Kind | None = None


class StageOut(BaseModel):
    stage: str
    status: str
    attempts: int
    error_code: str | None
    error_message: str | None
    updated_at: datetime


class DocumentOut(BaseModel):
    id: uuid.UUID
    title: str
    filename: str
    kind: str
    size_bytes: int
    source: str
    course_id: uuid.UUID | None
    page_count: int | None
    created_at: datetime
    updated_at: datetime
    stages: list[StageOut]


class MediaOut(BaseModel):
    id: uuid.UUID
    kind: str
    path: str
    #: The unsigned blob URL, as `structure.json` names the media; `url` is the signed one to read.
    address: str
    url: str


class DocumentDetail(DocumentOut):
    markdown_url: str | None
    structure_url: str | None
    #: The specification's name for `structure_url` (the same signed URL).
    json_url: str | None
    media: list[MediaOut]


class CreatedDocument(BaseModel):
    document: DocumentOut
    upload_url: str | None
    upload_method: Literal["PUT"] = "PUT"
    upload_headers: dict[str, str] = Field(default_factory=dict)
    expires_in_s: int


class DocumentPage(BaseModel):
    items: list[DocumentOut]
    next_cursor: str | None


class IngestionStarted(BaseModel):
    doc_id: uuid.UUID
    status: str
    published: bool
