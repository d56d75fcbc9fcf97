"""What every process does with its logs, whatever runs it: the Functions host (HTTP, drains,
timers, the blob trigger), `studyaid worker` on Container Apps, and the local runner.

LOG_LEVEL goes on the root logger (inside the Functions host the worker owns the handlers, so
the level is all that is set there; the host's own filter follows LOG_LEVEL through the
`AzureFunctionsJobHost__logging__logLevel__Function` app setting). The same JSON lines then go
to the `logs` table (LOG_SINK_DB) and to Application Insights (when
APPLICATIONINSIGHTS_CONNECTION_STRING is set).
"""

from __future__ import annotations

import logging
import os
from typing import TYPE_CHECKING

import psycopg
from psycopg_pool import PoolTimeout

from shared.logs import sink
from shared.platform import telemetry
from shared.platform.logging import apply_log_level

if TYPE_CHECKING:
    from shared.container import Container

logger = logging.getLogger(__name__)


def observe_process(container: Container, *, service: str | None = None) -> None:
    """Attach this process's log channels once (later calls add nothing).

    The Application Insights variables are the platform's, not the app's settings: both hosting
    choices set them beside the code's settings (infra-bicep), so they are read here directly.
    """
    settings = container.settings
    name = service or settings.service_name
    apply_log_level(settings.log_level)
    connection_string = os.environ.get("APPLICATIONINSIGHTS_CONNECTION_STRING", "")
    if connection_string:
        authentication = os.environ.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING", "")
        if telemetry.send_logs_to_app_insights(
            connection_string=connection_string, authentication=authentication, service=name
        ):
            logger.info("logs go to Application Insights as %s", name)
    if settings.log_sink_db and settings.postgres_url is not None:
        try:
            sink.install(pool=container.db, service=name, level=settings.log_sink_level)
        # A database that cannot be reached must not take the process down with it: the
        # invocation that needs it fails on its own, and the other channels keep the logs.
        except (PoolTimeout, psycopg.Error) as exc:
            logger.warning("log lines are not copied to the logs table: %s", exc)
