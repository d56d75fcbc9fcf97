"""How long the notify context keeps deliveries that ended (sent, failed or skipped).

A delivery's `dedupe_key` is what stops a reminder window from being sent twice, so deliveries
are kept longer than the widest reminder window (REMINDER_WINDOWS_HOURS allows up to 30 days).
"""

from __future__ import annotations

from datetime import timedelta

from shared.platform.retention import RetentionSettings, TableRetention


def notify_retention(settings: RetentionSettings) -> list[TableRetention]:
    return [
        TableRetention(
            table="notification_deliveries",
            older_than="status IN ('sent', 'failed', 'skipped') AND updated_at < %(cutoff)s",
            keep=timedelta(days=settings.delivery_retention_days),
        )
    ]
