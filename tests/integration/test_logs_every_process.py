"""Every process writes the same JSON lines to the `logs` table and Application Insights (a
loopback stand-in of the ingestion endpoint its connection string names), carries the request
id, and obeys LOG_LEVEL: a stage worker (`studyaid worker`, as its Container App runs it) and the
function app (HTTP and timer functions called as the Functions host calls them, in a process of
their own, where nothing but the first `get_container()` attaches the channels)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from devtools.devhost.stack import Stack
from shared.container import Container
from shared.logs import store
from shared.logs.contracts import LogRecord
from shared.notify.contracts import NotifyRequest
from shared.platform.streams import StreamPublisher
from tests.support.appinsights_stub import IngestionStub, ingestion_stub
from tests.support.bicep import ROOT

pytestmark = pytest.mark.integration

STREAM = "notify.request"
SERVICE = f"worker-{STREAM}"


@dataclass
class WorkerRun:
    stdout: str
    stub: IngestionStub


@pytest.fixture
def run_worker(stack: Stack, database_url: str) -> Iterator[Any]:
    prefix = f"logs{uuid.uuid4().hex[:8]}:"

    def run(*, log_level: str, request_id: str) -> WorkerRun:
        with ingestion_stub() as stub:
            env = {k: v for k, v in os.environ.items() if not k.startswith(("APPLICATIONINSIGHTS_", "LOG_"))}
            env |= {
                "APP_ENV": "test",
                "POSTGRES_URL": database_url,
                "REDIS_URL": stack.redis_url,
                "STREAM_PREFIX": prefix,
                "LOG_LEVEL": log_level,
                "LOG_SINK_LEVEL": "DEBUG",
                "EMAIL_PROVIDER": "outbox",
                "APPLICATIONINSIGHTS_CONNECTION_STRING": stub.connection_string,
            }
            publisher = StreamPublisher(Container(_settings_only(env)).redis, prefix=prefix)
            publisher.publish(NotifyRequest(delivery_id=uuid.uuid4(), user_id=uuid.uuid4(), request_id=request_id))
            command = [sys.executable, "-m", "shared.cli", "worker", "--budget", "0.5"]
            process = subprocess.Popen(
                command, cwd=ROOT, env=env | {"WORKER_STREAM": STREAM}, stdout=subprocess.PIPE, text=True
            )
            lines = _collect(process)
            _wait_for(lines, "no longer exists", timeout_s=90)  # the published message was handled
            time.sleep(2)  # a few more drain passes; the sink writes in one-second batches
            process.send_signal(signal.SIGTERM)
            process.wait(timeout=60)
            stdout = "".join(lines)
            assert process.returncode == 0, stdout[-2000:]
            return WorkerRun(stdout, stub)

    yield run


# What the Functions host does in a fresh worker process: index function_app, call functions.
FUNCTIONS_PROCESS = """
import azure.functions as func
from function_app import app
from devtools.devhost import functions_host
from shared.platform import telemetry
functions = functions_host.index(app)
request = func.HttpRequest(method="GET", url="http://localhost/health", headers={}, body=b"")
assert functions_host.call_http(functions["http_app_func"], request).status_code == 200
functions_host.call_timer(functions["drain_notify"])
telemetry.flush()
"""


def test_the_function_app_attaches_both_channels_on_its_first_invocation(
    stack: Stack, database_url: str, container: Container
) -> None:
    prefix = f"logs{uuid.uuid4().hex[:8]}:"
    with ingestion_stub() as stub:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("APPLICATIONINSIGHTS_", "LOG_"))}
        env |= {
            "APP_ENV": "test",
            "POSTGRES_URL": database_url,
            "REDIS_URL": stack.redis_url,
            "AZURE_STORAGE_CONNECTION_STRING": stack.storage_connection_string,
            "STREAM_PREFIX": prefix,
            "LOG_LEVEL": "DEBUG",
            "DRAIN_BUDGET_SECONDS": "0.5",
            "SERVICE_NAME": "studyaid-fn",
            "APPLICATIONINSIGHTS_CONNECTION_STRING": stub.connection_string,
        }
        publisher = StreamPublisher(Container(_settings_only(env)).redis, prefix=prefix)
        publisher.publish(NotifyRequest(delivery_id=uuid.uuid4(), user_id=uuid.uuid4(), request_id="trace-fn-1"))
        done = subprocess.run(
            [sys.executable, "-c", FUNCTIONS_PROCESS], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
        )
        assert done.returncode == 0, done.stderr[-3000:]
        lines = stub.log_lines()
    assert {line["service"] for line in lines} == {"studyaid-fn"}
    drained = [line for line in lines if line["request_id"] == "trace-fn-1"]
    assert any("no longer exists" in line["message"] for line in drained), lines
    assert any(line["level"] == "debug" for line in lines), "LOG_LEVEL=DEBUG reaches the function app's records"
    with container.db.connection() as conn:
        rows = store.query(conn, store.LogFilter(service="studyaid-fn", request_id="trace-fn-1"))
    assert {line["message"] for line in drained} <= {row.message for row in rows}


def _collect(process: subprocess.Popen[str]) -> list[str]:
    lines: list[str] = []
    assert process.stdout is not None
    stdout = process.stdout
    threading.Thread(target=lambda: lines.extend(iter(stdout.readline, "")), daemon=True).start()
    return lines


def _wait_for(lines: list[str], text: str, *, timeout_s: float) -> None:
    deadline = time.monotonic() + timeout_s
    while not any(text in line for line in list(lines)):
        assert time.monotonic() < deadline, f"no line with {text!r} within {timeout_s} s: {''.join(lines)[-2000:]}"
        time.sleep(0.1)


def _settings_only(env: dict[str, str]) -> Any:
    from shared.settings import load_settings

    return load_settings(env)


def _table_lines(container: Container, request_id: str) -> list[LogRecord]:
    with container.db.connection() as conn:
        return store.query(conn, store.LogFilter(service=SERVICE, request_id=request_id))


def test_a_worker_sends_the_same_lines_to_stdout_the_table_and_app_insights(
    run_worker: Any, container: Container
) -> None:
    run: WorkerRun = run_worker(log_level="DEBUG", request_id="trace-worker-1")
    traced = [line for line in run.stub.log_lines() if line["request_id"] == "trace-worker-1"]
    assert [line["message"] for line in traced if "no longer exists" in line["message"]], run.stub.log_lines()
    assert all(line["service"] == SERVICE and line["dimensions"]["request_id"] == "trace-worker-1" for line in traced)
    assert any(line["level"] == "debug" for line in run.stub.log_lines()), "LOG_LEVEL=DEBUG lets debug lines out"
    in_table = {row.message for row in _table_lines(container, "trace-worker-1")}
    assert {line["message"] for line in traced} <= in_table
    assert all(line["message"] in run.stdout for line in traced)


def test_log_level_holds_back_lower_lines_in_every_channel(run_worker: Any) -> None:
    run: WorkerRun = run_worker(log_level="WARNING", request_id="trace-worker-2")
    levels = {line["level"] for line in run.stub.log_lines()}
    assert levels and levels <= {"warning", "error", "critical"}, levels
    assert '"level": "info"' not in run.stdout and '"level": "debug"' not in run.stdout
