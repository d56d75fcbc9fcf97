"""`POST /v1/logs` takes one structured record (`{ts, service, level, message, context}`), as the
specification sends it, as well as our batch."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

from fastapi.testclient import TestClient

from shared.container import Container
from tests.support.users import make_user


def test_one_record_on_its_own_is_stored(client: TestClient, container: Container) -> None:
    operator = make_user(container, role="operator")
    client.cookies.update(operator.cookies)
    service = f"web-{uuid.uuid4().hex[:8]}"
    record = {
        "ts": datetime.now(UTC).isoformat(),
        "service": service,
        "level": "error",
        "message": "checkout failed",
        "context": {"route": "/study"},
    }
    response = client.post("/v1/logs", json=record)
    assert response.status_code == 202, response.text
    assert response.json() == {"accepted": 1}
    items = client.get("/v1/logs/query", params={"service": service}).json()["items"]
    stored = [(i["level"], i["message"], i["context"]) for i in items]
    assert stored == [("error", "checkout failed", {"route": "/study"})]


def test_a_batch_still_works_and_a_bad_single_record_names_its_field(client: TestClient, container: Container) -> None:
    operator = make_user(container, role="operator")
    client.cookies.update(operator.cookies)
    batch = {"entries": [{"service": "web", "level": "info", "message": "a"}] * 2}
    assert client.post("/v1/logs", json=batch).json() == {"accepted": 2}
    bad = client.post("/v1/logs", json={"service": "web", "level": "loud", "message": "x"})
    assert bad.status_code == 400
    assert "level" in bad.json()["error"]["details"]
