"""The issue's "done when": a due assignment becomes an outbox email through the timer and the
drain, and an operator finds every log line of that run by its request id."""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container, set_container
from shared.devhost.stack import Stack
from shared.gateway import create_app
from shared.logs import sink
from shared.workers import run_drain, run_timer_job
from tests.conftest import make_settings
from tests.support.notify_data import add_assignment, delivery_ids_of
from tests.support.users import make_user

pytestmark = pytest.mark.integration


@pytest.fixture
def app(stack: Stack, database_url: str, tmp_path: Path, container: Container) -> Iterator[Container]:
    sink.uninstall()  # the sink is per process: this test wants it on its own container
    built = Container(make_settings(stack, database_url, OUTBOX_DIR=str(tmp_path / "outbox"), LOG_SINK_LEVEL="INFO"))
    set_container(built)
    try:
        yield built
    finally:
        sink.uninstall()
        set_container(container)
        built.close()


def test_due_assignment_reaches_the_outbox_and_its_logs_are_found_by_request_id(
    app: Container, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)  # what LOG_LEVEL=INFO does in `make dev`
    user = make_user(app)
    add_assignment(app, user_id=user.user_id, due_at=datetime.now(UTC) + timedelta(minutes=90), name="Problem set 5")

    result = run_timer_job(app, "reminders")
    report = run_drain(app, "notify.request", budget_s=1.5)

    request_id = str(result["request_id"])
    assert report.acked >= 1
    [delivery_id] = delivery_ids_of(app, [user.user_id])
    eml = tmp_path / "outbox" / f"{delivery_id}.eml"
    assert "Subject: Reminder: Problem set 5 is due in 2 hours" in eml.read_text()

    operator = make_user(app, role="operator")
    with TestClient(create_app()) as client:
        headers = {"Cookie": f"{SESSION_COOKIE}={operator.token}"}
        messages: list[str] = []
        for _ in range(40):  # the sink writes in the background, about once a second
            page = client.get("/v1/logs/query", params={"request_id": request_id}, headers=headers).json()
            messages = [item["message"] for item in page["items"]]
            if any("sent to user" in m for m in messages):
                break
            time.sleep(0.1)
    assert any(m.startswith("reminders: published") for m in messages), messages
    assert any(f"delivery {delivery_id} (reminder) sent to user {user.user_id}" in m for m in messages), messages
