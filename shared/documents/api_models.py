"""HTTP bodies of the documents API."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

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
