"""JSON log lines: `ts, service, level, message, context` plus the request id.

The same line goes to stdout, to the `logs` table (shared/logs/sink.py) and to Application
Insights (shared/platform/telemetry.py); shared/logs/process.py attaches all three.
"""

from __future__ import annotations

import json
import logging
import sys
from datetime import UTC, datetime
from typing import Any

from shared.platform.context import current_request_id

# `request_id` is set on records by the telemetry filter; the line carries it at the top level.
_STANDARD_ATTRS = frozenset(vars(logging.makeLogRecord({})).keys()) | {"message", "asctime", "request_id"}


class JsonFormatter(logging.Formatter):
    def __init__(self, service: str) -> None:
        super().__init__()
        self._service = service

    def format(self, record: logging.LogRecord) -> str:
        context: dict[str, Any] = {key: value for key, value in vars(record).items() if key not in _STANDARD_ATTRS}
        context["logger"] = record.name
        if record.exc_info:
            context["exception"] = self.formatException(record.exc_info)
        line = {
            "ts": datetime.fromtimestamp(record.created, tz=UTC).isoformat(),
            "service": self._service,
            "level": record.levelname.lower(),
            "message": record.getMessage(),
            "context": context,
            "request_id": current_request_id(),
        }
        return json.dumps(line, default=str)


class StdoutHandler(logging.Handler):
    """JSON lines to whatever `sys.stdout` is when a record is emitted, not the stream of the
    moment it was attached (a CLI run inside a test, whose captured stdout is closed later)."""

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stdout.write(self.format(record) + "\n")
            sys.stdout.flush()
        except Exception:  # the logging module's contract: report, never raise from emit
            self.handleError(record)


def configure_logging(*, service: str, level: str) -> None:
    """Route the root logger to stdout as JSON lines, replacing its handlers (CLI and local runner).

    Inside Azure Functions the worker owns the root handlers; this is not called there.
    """
    root = logging.getLogger()
    for handler in list(root.handlers):
        root.removeHandler(handler)
    handler = StdoutHandler()
    handler.setFormatter(JsonFormatter(service))
    root.addHandler(handler)
    apply_log_level(level)


def apply_log_level(level: str) -> None:
    """LOG_LEVEL on the root logger, whoever owns its handlers (inside Functions, the worker does)."""
    logging.getLogger().setLevel(level.upper())
    quiet_libraries()


def quiet_libraries() -> None:
    """The Azure SDK logs every HTTP request at INFO; keep its warnings only."""
    for name in ("azure", "azure.core.pipeline.policies.http_logging_policy", "httpx", "urllib3"):
        logging.getLogger(name).setLevel(logging.WARNING)
