"""Contracts of the Canvas context: HTTP bodies and the `canvas.sync` stream message."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import ClassVar, Literal

from pydantic import BaseModel, Field, computed_field

from shared.platform.messages import Message

SyncStatus = Literal["queued", "running", "done", "failed"]


class CanvasSyncRequest(Message):
    """Run one sync for one user (the run row already exists, `queued`)."""

    stream: ClassVar[str] = "canvas.sync"

    sync_id: uuid.UUID
    user_id: uuid.UUID

    def dedupe_key(self) -> str:
        return f"{self.stream}:{self.sync_id}"


class ConnectStarted(BaseModel):
    authorize_url: str
    state: str
    expires_at: datetime


class ConnectionStatus(BaseModel):
    connected: bool
    base_url: str | None = None
    canvas_user_name: str | None = None
    connected_at: datetime | None = None
    #: `needs_reconnect` once Canvas refused the stored tokens: scheduled syncs stop until reconnected.
    status: Literal["active", "needs_reconnect"] | None = None
    status_reason: str | None = None


class Disconnected(BaseModel):
    disconnected: bool
    revoked_at_canvas: bool


class SyncStarted(BaseModel):
    sync_id: uuid.UUID
    status: SyncStatus


class Failure(BaseModel):
    """Something one sync could not bring in, and why."""

    kind: Literal["course", "assignments", "modules", "files", "file"]
    canvas_id: int | None = None
    name: str = ""
    code: str
    reason: str


class SyncCounts(BaseModel):
    courses: int = 0
    courses_changed: int = 0
    assignments: int = 0
    assignments_changed: int = 0
    modules: int = 0
    module_items: int = 0
    files_seen: int = 0
    files_ingested: int = 0
    files_unchanged: int = 0
    files_skipped: int = 0
    removed: int = 0
    canvas_requests: int = 0
    throttled: int = 0
    token_refreshes: int = 0
    duration_ms: int = 0


class SyncResult(BaseModel):
    counts: SyncCounts = Field(default_factory=SyncCounts)
    failures: list[Failure] = Field(default_factory=list)


class SyncProgress(BaseModel):
    courses_total: int = 0
    courses_done: int = 0
    current: str | None = None


class SyncRun(BaseModel):
    sync_id: uuid.UUID
    status: SyncStatus
    progress: SyncProgress
    result: SyncResult | None = None
    error: str | None = None
    created_at: datetime
    started_at: datetime | None = None
    finished_at: datetime | None = None


class CourseOut(BaseModel):
    id: uuid.UUID
    canvas_id: int
    name: str
    course_code: str
    term: str | None
    #: The course's start and end in Canvas, else its term's (None when Canvas has neither).
    start_date: datetime | None
    end_date: datetime | None
    synced_at: datetime | None


class AssignmentOut(BaseModel):
    id: uuid.UUID
    course_id: uuid.UUID
    canvas_id: int
    name: str
    due_at: datetime | None
    html_url: str | None
    submitted: bool
    submission_state: str | None

    @computed_field  # type: ignore[prop-decorator]
    @property
    def title(self) -> str:
        """The specification's name for `name`."""
        return self.name

    @computed_field  # type: ignore[prop-decorator]
    @property
    def status(self) -> Literal["submitted", "unsubmitted"]:
        """The specification's field: `submitted` once handed in, graded or excused."""
        return "submitted" if self.submitted else "unsubmitted"


class CoursePage(BaseModel):
    items: list[CourseOut]
    next_cursor: str | None = None


class AssignmentPage(BaseModel):
    items: list[AssignmentOut]
    next_cursor: str | None = None


class CourseMediaUpdate(BaseModel):
    media: bool


# Media for Canvas-synced files is opt-in per course; uploads always get theirs.
class CourseMedia(BaseModel):
    course_id: uuid.UUID
    media: bool
