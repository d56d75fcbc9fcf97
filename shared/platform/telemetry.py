"""Application Insights for every process, through the Azure Monitor OpenTelemetry distro.

Each log record goes out as the same JSON line stdout and the `logs` table get (the platform's
`JsonFormatter` is the body), with the request id as a custom dimension so
`traces | where customDimensions.request_id == "<id>"` finds a document's whole path.
On only when APPLICATIONINSIGHTS_CONNECTION_STRING is set; with local auth off in Azure, an
APPLICATIONINSIGHTS_AUTHENTICATION_STRING of `Authorization=AAD` (and the identity's
`ClientId=`) makes the exporter authenticate with the managed identity.
"""

from __future__ import annotations

import logging
import threading

from shared.platform.context import current_request_id
from shared.platform.logging import JsonFormatter

# The exporter's own HTTP calls log through these; sending those records would re-enter the
# exporter while it holds its lock (and would describe telemetry, not the app).
_OWN_LOGGERS = ("azure.core", "azure.monitor", "azure.identity", "opentelemetry", "urllib3", "requests")
# What the distro would instrument by default; the app needs only its logs (requests and
# dependencies are the Functions host's job on Flex).
_INSTRUMENTATIONS = ("azure_sdk", "django", "fastapi", "flask", "psycopg2", "requests", "urllib", "urllib3")

_configured = False
_lock = threading.Lock()


class _RequestIdDimension(logging.Filter):
    """Drops the exporter's own records and adds the request id as a custom dimension."""

    def filter(self, record: logging.LogRecord) -> bool:
        if record.name.startswith(_OWN_LOGGERS):
            return False
        record.request_id = current_request_id()
        return True


def parse_authentication(value: str) -> tuple[bool, str | None]:
    """`ClientId=<id>;Authorization=AAD` → (use Entra, client id of a user-assigned identity)."""
    parts = dict(part.split("=", 1) for part in value.split(";") if "=" in part)
    return parts.get("Authorization", "").upper() == "AAD", parts.get("ClientId") or None


def send_logs_to_app_insights(*, connection_string: str, authentication: str = "", service: str) -> bool:
    """Attach the distro's log exporter to the root logger once per process; False if already done."""
    global _configured
    with _lock:
        if _configured:
            return False
        from azure.monitor.opentelemetry import configure_azure_monitor
        from opentelemetry.sdk.resources import Resource

        entra, client_id = parse_authentication(authentication)
        credential = None
        if entra:
            from azure.identity import ManagedIdentityCredential

            credential = ManagedIdentityCredential(client_id=client_id)
        configure_azure_monitor(
            connection_string=connection_string,
            credential=credential,
            logger_name="",
            logging_formatter=JsonFormatter(service),
            resource=Resource.create({"service.name": service}),
            enable_live_metrics=False,
            enable_performance_counters=False,
            disable_metrics=True,
            disable_tracing=True,
            instrumentation_options={name: {"enabled": False} for name in _INSTRUMENTATIONS},
        )
        _filter_exporter_handlers()
        _configured = True
        return True


def _filter_exporter_handlers() -> None:
    from opentelemetry.instrumentation.logging.handler import LoggingHandler

    for handler in logging.getLogger().handlers:
        if isinstance(handler, LoggingHandler):
            handler.addFilter(_RequestIdDimension())


def flush() -> None:
    """Send what is batched (a worker about to exit; a test)."""
    from opentelemetry._logs import get_logger_provider

    provider = get_logger_provider()
    force_flush = getattr(provider, "force_flush", None)
    if callable(force_flush):
        force_flush()
