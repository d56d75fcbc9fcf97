"""Settings of the notify context: which email provider, its connection, reminder windows."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import AliasChoices, Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings

EmailProvider = Literal["outbox", "smtp", "acs"]


class NotifySettings(BaseSettings):
    email_provider: EmailProvider = Field(default="outbox", alias="EMAIL_PROVIDER")
    email_from: str = Field(default="Study Aid <no-reply@studyaid.local>", alias="EMAIL_FROM")
    outbox_dir: Path = Field(default=Path(".local/outbox"), alias="OUTBOX_DIR")
    smtp_host: str = Field(default="localhost", alias="SMTP_HOST")
    smtp_port: int = Field(default=587, alias="SMTP_PORT", ge=1, le=65535)
    smtp_user: str | None = Field(default=None, alias="SMTP_USER")
    #: `SMTP_PASS` is the specification's name for it.
    smtp_password: SecretStr | None = Field(
        default=None, alias="SMTP_PASSWORD", validation_alias=AliasChoices("SMTP_PASSWORD", "SMTP_PASS")
    )
    smtp_starttls: bool = Field(default=True, alias="SMTP_STARTTLS")
    smtp_timeout_seconds: float = Field(default=10.0, alias="SMTP_TIMEOUT_SECONDS", gt=0)
    #: A private CA bundle for the SMTP server's certificate (the system store otherwise).
    smtp_ca_file: Path | None = Field(default=None, alias="SMTP_CA_FILE")
    acs_connection_string: SecretStr | None = Field(default=None, alias="ACS_CONNECTION_STRING")
    acs_endpoint: str | None = Field(default=None, alias="ACS_ENDPOINT")
    acs_poll_timeout_seconds: float = Field(default=60.0, alias="ACS_POLL_TIMEOUT_SECONDS", gt=0)
    acs_poll_interval_seconds: float = Field(default=1.0, alias="ACS_POLL_INTERVAL_SECONDS", gt=0)
    reminder_windows_hours: list[int] = Field(default=[72, 24, 2], alias="REMINDER_WINDOWS_HOURS")
    #: Claim reminders this long before their window opens, so the edge only reads and publishes.
    reminder_look_ahead_seconds: int = Field(default=90, alias="REMINDER_LOOK_AHEAD_SECONDS", ge=0, le=3600)

    # Emails a student may ask for, per user and per recipient address (abuse limits).
    notify_test_per_hour: int = Field(default=5, alias="NOTIFY_TEST_PER_HOUR", ge=1)
    notify_custom_per_day: int = Field(default=20, alias="NOTIFY_CUSTOM_PER_DAY", ge=1)

    @field_validator("reminder_windows_hours")
    @classmethod
    def _windows_are_positive(cls, value: list[int]) -> list[int]:
        if not value or any(hours < 1 or hours > 720 for hours in value):
            raise ValueError("REMINDER_WINDOWS_HOURS needs 1 to 720 hours per window")
        return sorted(set(value), reverse=True)

    @model_validator(mode="after")
    def _provider_is_configured(self) -> NotifySettings:
        if self.email_provider == "acs" and self.acs_connection_string is None and not self.acs_endpoint:
            raise ValueError("EMAIL_PROVIDER=acs needs ACS_CONNECTION_STRING or ACS_ENDPOINT (Entra ID)")
        if self.smtp_user and self.smtp_password is None:
            raise ValueError("SMTP_USER is set without SMTP_PASSWORD")
        return self
