"""The issue's "done when", through the Functions entry points as Azure calls them: a due
assignment becomes an outbox email (reminders timer, then the notify drain), and an operator
finds every log line of that run by its request id (the HTTP function)."""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import azure.functions as func
import pytest

from devtools.devhost import functions_host
from devtools.devhost.functions_host import IndexedFunction
from devtools.devhost.stack import Stack
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container, set_container
from shared.logs import sink
from tests.conftest import make_settings
from tests.support.function_app import fresh_function_app
from tests.support.notify_data import add_assignment, delivery_ids_of
from tests.support.users import make_user

pytestmark = pytest.mark.integration


@pytest.fixture
def app(stack: Stack, database_url: str, tmp_path: Path, container: Container) -> Iterator[Container]:
    sink.uninstall()  # the sink is per process: this test wants it on its own container
    settings = make_settings(
        stack, database_url, OUTBOX_DIR=str(tmp_path / "outbox"), LOG_SINK_LEVEL="INFO", DRAIN_BUDGET_SECONDS=1.5
    )
    built = Container(settings)
    set_container(built)
    # What `get_container()` does for the process's own container (shared/logs/process.py).
    sink.install(pool=built.db, service=settings.service_name, level=settings.log_sink_level)
    try:
        yield built
    finally:
        sink.uninstall()
        set_container(container)
        built.close()


@pytest.fixture
def functions(app: Container) -> dict[str, IndexedFunction]:  # noqa: ARG001  (`app` must be set up first)
    # Built after `app` became the process container: the Functions entry's gateway is built over it.
    # (get_functions() runs once per app object, so each test indexes a fresh one.)
    return functions_host.index(fresh_function_app().app)


def query(http: IndexedFunction, token: str, **params: str) -> list[dict[str, Any]]:
    # The ASGI adapter builds the scope's query string from the URL, not from `params`.
    request = func.HttpRequest(
        method="GET",
        url=f"http://localhost/v1/logs/query?{urlencode(params)}",
        headers={"Cookie": f"{SESSION_COOKIE}={token}"},
        body=b"",
    )
    response = functions_host.call_http(http, request)
    assert response.status_code == 200, response.get_body()
    items: list[dict[str, Any]] = json.loads(response.get_body())["items"]
    return items


def test_due_assignment_reaches_the_outbox_and_its_logs_are_found_by_request_id(
    app: Container, functions: dict[str, IndexedFunction], tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # what LOG_LEVEL=INFO does in `make dev`
    user = make_user(app)
    add_assignment(app, user_id=user.user_id, due_at=datetime.now(UTC) + timedelta(minutes=90), name="Problem set 5")

    functions_host.call_timer(functions["reminders"])
    functions_host.call_timer(functions["drain_notify"])

    [delivery_id] = delivery_ids_of(app, [user.user_id])
    eml = tmp_path / "outbox" / f"{delivery_id}.eml"
    assert "Subject: Reminder: Problem set 5 is due in 2 hours" in eml.read_text()

    # The operator starts from the delivery, learns its request id, and pulls that whole run.
    operator = make_user(app, role="operator").token
    sent_line = f"delivery {delivery_id} (reminder) sent to user {user.user_id}"
    found: list[dict[str, Any]] = []
    # The sink writes in the background, about once a second; other tests' users share this
    # database, so their reminders log too: read a full page.
    for _ in range(100):
        found = [
            i
            for i in query(functions["http_app_func"], operator, service="studyaid", limit="500")
            if sent_line in i["message"]
        ]
        if found:
            break
        time.sleep(0.1)
    [line] = found
    run = query(functions["http_app_func"], operator, request_id=line["request_id"], limit="500")
    messages = [item["message"] for item in run]
    assert any(m.startswith("reminders: published") for m in messages), messages
    assert any(sent_line in m for m in messages), messages
