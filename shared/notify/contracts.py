"""Contracts of the notify context: the `notify.request` message, the HTTP bodies, and the email port
(`EmailSender`, `OutgoingEmail`, the `SendError`s, the `Content` of an email) other contexts send through."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import datetime
from typing import ClassVar, Literal, Protocol
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import AwareDatetime, BaseModel, ConfigDict, Field, StrictInt, field_validator, model_validator

from shared.platform.messages import Message

DeliveryStatus = Literal["queued", "sent", "failed", "skipped"]
DeliveryKind = Literal["reminder", "custom", "test"]


class NotifyRequest(Message):
    """Send the email recorded in one `notification_deliveries` row (the row says what)."""

    stream: ClassVar[str] = "notify.request"

    delivery_id: uuid.UUID
    user_id: uuid.UUID

    def dedupe_key(self) -> str:
        return f"{self.stream}:{self.delivery_id}"


def check_time_zone(value: str) -> str:
    try:
        ZoneInfo(value)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {value!r}; use an IANA name such as Europe/Berlin") from exc
    return value


class Preferences(BaseModel):
    windows_hours: list[int] = Field(description="Hours before the due time, largest first")
    time_zone: str
    opted_out: bool


class PreferencesUpdate(BaseModel):
    """Fields left out keep their value; `windows_hours: null` goes back to the defaults."""

    model_config = ConfigDict(extra="forbid")

    windows_hours: list[StrictInt] | None = Field(default=None, min_length=1, max_length=6)
    time_zone: str | None = None
    opted_out: bool | None = None

    @field_validator("windows_hours")
    @classmethod
    def _windows(cls, value: list[int] | None) -> list[int] | None:
        if value is None:
            return None
        if any(hours < 1 or hours > 720 for hours in value):
            raise ValueError("each window is 1 to 720 hours before the due time")
        return sorted(set(value), reverse=True)

    @field_validator("time_zone")
    @classmethod
    def _zone(cls, value: str | None) -> str | None:
        return None if value is None else check_time_zone(value)


class ScheduleRequest(BaseModel):
    """A custom reminder at `send_at`, about one of the caller's assignments or a free text."""

    model_config = ConfigDict(extra="forbid")

    send_at: AwareDatetime
    assignment_id: uuid.UUID | None = None
    text: str | None = Field(default=None, min_length=1, max_length=2000)

    @model_validator(mode="after")
    def _about_something(self) -> ScheduleRequest:
        if self.assignment_id is None and self.text is None:
            raise ValueError("give an assignment_id, a text, or both")
        return self


class DeliveryView(BaseModel):
    id: uuid.UUID
    kind: DeliveryKind
    status: DeliveryStatus
    attempts: int
    error: str | None
    assignment_id: uuid.UUID | None
    window_hours: int | None
    send_at: datetime
    sent_at: datetime | None
    created_at: datetime


@dataclass(frozen=True)
class Content:
    """What an email says: a subject, its lines, and the one link with its label."""

    subject: str
    lines: list[str]
    link: str
    link_label: str


@dataclass(frozen=True)
class OutgoingEmail:
    """One email as a sender adapter takes it; `headers` are extra ones (values without CR/LF)."""

    delivery_id: uuid.UUID
    to: str
    subject: str
    text: str
    html: str
    headers: dict[str, str] = field(default_factory=dict)


class SendError(Exception):
    """Sending failed; `permanent` says retrying the same email cannot succeed (e.g. bad address)."""

    permanent: bool = False


class TransientSendError(SendError):
    permanent = False


class PermanentSendError(SendError):
    permanent = True


class EmailSender(Protocol):
    """The port: one email out (SMTP, Azure Communication Services, or the local outbox)."""

    name: str

    def send(self, email: OutgoingEmail) -> str:
        """Send and return the provider's id for the message; raise a `SendError` subclass."""
        ...
