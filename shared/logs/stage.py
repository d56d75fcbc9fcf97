"""The timer job the registry plugs in (the daily log_purge), and the process's log sink switch."""

from __future__ import annotations

from shared.container import Container
from shared.logs import service, sink


def log_purge_job(container: Container) -> dict[str, object]:
    ensure_sink(container)
    settings = container.settings
    return service.purge_logs(
        db=container.db,
        now=container.clock.now(),
        retention_days=settings.log_retention_days,
        weeks_ahead=settings.log_partitions_ahead_weeks,
    )


def ensure_sink(container: Container) -> None:
    """Copy the process's logs into the table when LOG_SINK_DB is on (idempotent)."""
    settings = container.settings
    if settings.log_sink_db:
        sink.install(pool=container.db, service=settings.service_name, level=settings.log_sink_level)
