"""Canvas API objects as the sync reads them (parsed at the edge; unknown fields ignored)."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, ConfigDict, Field

SUBMITTED_STATES = frozenset({"submitted", "graded", "pending_review"})


class _Canvas(BaseModel):
    model_config = ConfigDict(extra="ignore", populate_by_name=True)


class Term(_Canvas):
    name: str | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None


class Course(_Canvas):
    id: int
    name: str = ""
    course_code: str = ""
    workflow_state: str = "available"
    term: Term | None = None
    start_at: datetime | None = None
    end_at: datetime | None = None

    @property
    def start_date(self) -> datetime | None:
        """The course's own start, else its term's (Canvas leaves the course's empty by default)."""
        return self.start_at or (self.term.start_at if self.term else None)

    @property
    def end_date(self) -> datetime | None:
        return self.end_at or (self.term.end_at if self.term else None)


class Submission(_Canvas):
    workflow_state: str | None = None
    submitted_at: datetime | None = None
    excused: bool | None = None

    @property
    def done(self) -> bool:
        """Work that needs no reminder: handed in, graded or excused."""
        return bool(self.excused) or self.submitted_at is not None or self.workflow_state in SUBMITTED_STATES


class Assignment(_Canvas):
    id: int
    name: str = ""
    due_at: datetime | None = None
    html_url: str | None = None
    points_possible: float | None = None
    updated_at: datetime | None = None
    submission: Submission | None = None


class ModuleItem(_Canvas):
    id: int
    type: str = ""
    title: str = ""
    position: int | None = None
    content_id: int | None = None
    html_url: str | None = None
    url: str | None = None


class Module(_Canvas):
    id: int
    name: str = ""
    position: int | None = None
    items_count: int | None = None
    items: list[ModuleItem] | None = None


class File(_Canvas):
    id: int
    display_name: str = ""
    filename: str = ""
    content_type: str | None = Field(default=None, alias="content-type")
    size: int | None = None
    url: str | None = None
    updated_at: datetime | None = None
    modified_at: datetime | None = None
    locked_for_user: bool = False
