"""How long the Canvas context keeps finished sync runs and OAuth states that expired."""

from __future__ import annotations

from datetime import timedelta

from shared.platform.retention import RetentionSettings, TableRetention


def canvas_retention(settings: RetentionSettings) -> list[TableRetention]:
    return [
        TableRetention(
            table="canvas_sync_runs",
            older_than="status IN ('done', 'failed') AND finished_at < %(cutoff)s",
            keep=timedelta(days=settings.sync_run_retention_days),
        ),
        TableRetention(table="canvas_oauth_states", older_than="expires_at < %(cutoff)s", keep=timedelta(0)),
    ]
