"""Quota settings: a daily and a monthly limit per metered resource, per user."""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class QuotaSettings(BaseSettings):
    model_config = SettingsConfigDict(extra="ignore", case_sensitive=False)

    #: Document pages ingested (PDF pages, slides; a file without pages counts as one).
    quota_pages_daily: int = Field(default=1_000, alias="QUOTA_PAGES_DAILY", ge=0)
    quota_pages_monthly: int = Field(default=10_000, alias="QUOTA_PAGES_MONTHLY", ge=0)
    #: Language-model tokens (prompt and completion) spent on study aids.
    quota_ai_tokens_daily: int = Field(default=500_000, alias="QUOTA_AI_TOKENS_DAILY", ge=0)
    quota_ai_tokens_monthly: int = Field(default=5_000_000, alias="QUOTA_AI_TOKENS_MONTHLY", ge=0)
    #: Seconds of narration synthesised for videos.
    quota_speech_seconds_daily: int = Field(default=3_600, alias="QUOTA_SPEECH_SECONDS_DAILY", ge=0)
    quota_speech_seconds_monthly: int = Field(default=36_000, alias="QUOTA_SPEECH_SECONDS_MONTHLY", ge=0)
    #: Emails sent (reminders and notices).
    quota_emails_daily: int = Field(default=50, alias="QUOTA_EMAILS_DAILY", ge=0)
    quota_emails_monthly: int = Field(default=500, alias="QUOTA_EMAILS_MONTHLY", ge=0)
