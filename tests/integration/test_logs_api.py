"""`/v1/logs`: operators only; validated, capped, batched ingest; filtered, newest-first, paged query."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from fastapi.testclient import TestClient

from devtools.devhost.stack import Stack
from shared.auth.tokens import SESSION_COOKIE
from shared.container import Container
from shared.gateway import create_app
from tests.conftest import FROM_APP, make_settings
from tests.support.users import TestUser, make_user

pytestmark = pytest.mark.integration

OPS_KEY = "ops-key-for-tests-0123456789"


def as_user(user: TestUser) -> dict[str, str]:
    return {"Cookie": f"{SESSION_COOKIE}={user.token}"}


@pytest.fixture(scope="module")
def ops(stack: Stack, database_url: str) -> Iterator[Container]:
    built = Container(make_settings(stack, database_url, OPS_API_KEY=OPS_KEY, LOG_INGEST_MAX_BYTES=65_536))
    try:
        yield built
    finally:
        built.close()


@pytest.fixture
def api(ops: Container) -> Iterator[TestClient]:
    with TestClient(create_app(ops), headers=FROM_APP) as test_client:
        yield test_client


@pytest.fixture
def operator(ops: Container) -> dict[str, str]:
    return as_user(make_user(ops, role="operator"))


def entry(service: str, **fields: object) -> dict[str, object]:
    return {"service": service, "level": "info", "message": "hello", **fields}


def test_students_get_403_and_strangers_401(api: TestClient, ops: Container) -> None:
    student = as_user(make_user(ops))
    batch = {"entries": [entry("web")]}
    assert api.post("/v1/logs", json=batch, headers=student).status_code == 403
    assert api.get("/v1/logs/query", headers=student).status_code == 403
    assert api.post("/v1/logs", json=batch).status_code == 401
    assert api.get("/v1/logs/query", headers={"X-Ops-Key": "wrong"}).status_code == 401


def test_operator_session_or_ops_key_may_ingest_and_query(api: TestClient, operator: dict[str, str]) -> None:
    service = f"svc-{uuid.uuid4().hex[:8]}"
    assert api.post("/v1/logs", json={"entries": [entry(service)]}, headers=operator).json() == {"accepted": 1}
    keyed = api.post("/v1/logs", json={"entries": [entry(service)]}, headers={"X-Ops-Key": OPS_KEY})
    assert keyed.status_code == 202
    page = api.get("/v1/logs/query", params={"service": service}, headers={"X-Ops-Key": OPS_KEY}).json()
    assert len(page["items"]) == 2 and page["next_cursor"] is None


@pytest.mark.parametrize(
    "batch",
    [
        {"entries": []},
        {"entries": [{"service": "web", "level": "loud", "message": "x"}]},
        {"entries": [entry("web", ts="2031-01-01T00:00:00")]},
        {"entries": [entry("web", context={"big": "x" * 20_000})]},
        {"rows": [entry("web")]},
    ],
)
def test_invalid_batches_are_400_and_store_nothing(
    api: TestClient, operator: dict[str, str], batch: dict[str, object]
) -> None:
    response = api.post("/v1/logs", json=batch, headers=operator)
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "INVALID_ARGUMENT"


def test_timestamps_outside_retention_or_in_the_future_are_refused(api: TestClient, operator: dict[str, str]) -> None:
    service = f"svc-{uuid.uuid4().hex[:8]}"
    old = (datetime.now(UTC) - timedelta(days=91)).isoformat()
    future = (datetime.now(UTC) + timedelta(hours=1)).isoformat()
    for ts in (old, future):
        batch = {"entries": [entry(service), entry(service, ts=ts)]}
        response = api.post("/v1/logs", json=batch, headers=operator)
        assert response.status_code == 400 and response.json()["error"]["details"]["index"] == 1
    assert api.get("/v1/logs/query", params={"service": service}, headers=operator).json()["items"] == []


def test_oversized_bodies_are_413(api: TestClient, operator: dict[str, str]) -> None:
    many = {"entries": [entry("web", message="m" * 8000) for _ in range(10)]}  # ~80 kB > 64 kB cap
    response = api.post("/v1/logs", json=many, headers=operator)
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_query_filters_by_service_level_time_and_request_id(api: TestClient, operator: dict[str, str]) -> None:
    service, other = f"svc-{uuid.uuid4().hex[:8]}", f"svc-{uuid.uuid4().hex[:8]}"
    base = datetime.now(UTC) - timedelta(hours=1)
    entries = [
        entry(service, level="info", message="a", ts=(base + timedelta(minutes=1)).isoformat(), request_id="r-1"),
        entry(service, level="error", message="b", ts=(base + timedelta(minutes=2)).isoformat(), request_id="r-1"),
        entry(service, level="warning", message="c", ts=(base + timedelta(minutes=3)).isoformat(), request_id="r-2"),
        entry(other, level="error", message="d", ts=(base + timedelta(minutes=4)).isoformat(), request_id="r-1"),
    ]
    assert api.post("/v1/logs", json={"entries": entries}, headers=operator).json() == {"accepted": 4}

    def messages(**params: str | list[str]) -> list[str]:
        page = api.get("/v1/logs/query", params=params, headers=operator)
        assert page.status_code == 200, page.text
        return [item["message"] for item in page.json()["items"]]

    assert messages(service=service) == ["c", "b", "a"]  # newest first
    assert messages(service=service, level=["error", "warning"]) == ["c", "b"]
    assert messages(service=service, request_id="r-1") == ["b", "a"]
    assert messages(request_id="r-1", level="error", since=base.isoformat()) == ["d", "b"]
    since, until = (base + timedelta(minutes=2)).isoformat(), (base + timedelta(minutes=3)).isoformat()
    assert messages(service=service, since=since, until=until) == ["b"]


def test_cursor_pages_through_every_entry_once(api: TestClient, operator: dict[str, str]) -> None:
    service = f"svc-{uuid.uuid4().hex[:8]}"
    same_ts = datetime.now(UTC).isoformat()  # ties on ts are broken by id
    entries = [entry(service, message=f"m{n}", ts=same_ts) for n in range(7)]
    api.post("/v1/logs", json={"entries": entries}, headers=operator)
    seen: list[str] = []
    cursor: str | None = None
    while True:
        params: dict[str, str | int] = {"service": service, "limit": 3, **({"cursor": cursor} if cursor else {})}
        page = api.get("/v1/logs/query", params=params, headers=operator).json()
        seen += [item["message"] for item in page["items"]]
        cursor = page["next_cursor"]
        if cursor is None:
            break
    assert seen == [f"m{n}" for n in reversed(range(7))]
    bad = api.get("/v1/logs/query", params={"cursor": "garbage!"}, headers=operator)
    assert bad.status_code == 400
