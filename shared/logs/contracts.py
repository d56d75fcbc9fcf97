"""Contracts of the logs context: the entries operators send and what a query returns."""

from __future__ import annotations

import json
from datetime import datetime
from typing import Any, Literal

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, field_validator

Level = Literal["debug", "info", "warning", "error", "critical"]
LEVELS: tuple[Level, ...] = ("debug", "info", "warning", "error", "critical")
MAX_CONTEXT_BYTES = 16_384


class LogEntryIn(BaseModel):
    """One structured entry, in the shape the app prints on stdout (`shared.platform.logging`)."""

    model_config = ConfigDict(extra="forbid")

    service: str = Field(min_length=1, max_length=64, pattern=r"^[A-Za-z0-9._:/-]+$")
    level: Level
    message: str = Field(min_length=1, max_length=8_192)
    context: dict[str, Any] = Field(default_factory=dict)
    request_id: str | None = Field(default=None, max_length=128, pattern=r"^[A-Za-z0-9._:-]+$")
    ts: AwareDatetime | None = None

    @field_validator("level", mode="before")
    @classmethod
    def _lower_level(cls, value: object) -> object:
        return value.lower() if isinstance(value, str) else value

    @field_validator("context")
    @classmethod
    def _context_is_small(cls, value: dict[str, Any]) -> dict[str, Any]:
        size = len(json.dumps(value, default=str))
        if size > MAX_CONTEXT_BYTES:
            raise ValueError(f"context is {size} bytes as JSON; the limit is {MAX_CONTEXT_BYTES}")
        return value


class LogBatch(BaseModel):
    model_config = ConfigDict(extra="forbid")

    entries: list[LogEntryIn] = Field(min_length=1)


def parse_entries(raw: bytes) -> LogBatch:
    """A batch (`{"entries": [...]}`) or, as the specification sends it, one record on its own."""
    try:
        body = json.loads(raw)
    except ValueError:
        return LogBatch.model_validate_json(raw)  # raises, naming the JSON error
    if isinstance(body, dict) and "entries" not in body:
        return LogBatch(entries=[LogEntryIn.model_validate(body)])
    return LogBatch.model_validate(body)


class Accepted(BaseModel):
    accepted: int


class LogRecord(BaseModel):
    id: int
    ts: datetime
    service: str
    level: str
    message: str
    context: dict[str, Any]
    request_id: str | None


class LogPage(BaseModel):
    items: list[LogRecord]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next (older) page; null at the end")
