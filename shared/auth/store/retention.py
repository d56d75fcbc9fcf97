"""How long the auth context keeps sessions that ended and login attempts."""

from __future__ import annotations

from datetime import timedelta

from shared.platform.retention import RetentionSettings, TableRetention


def auth_retention(settings: RetentionSettings) -> list[TableRetention]:
    return [
        TableRetention(
            table="sessions",
            older_than="least(expires_at, coalesce(revoked_at, expires_at)) < %(cutoff)s",
            keep=timedelta(days=settings.session_retention_days),
        ),
        TableRetention(
            table="login_attempts",
            older_than="attempted_at < %(cutoff)s",
            keep=timedelta(days=settings.login_attempt_retention_days),
        ),
    ]
