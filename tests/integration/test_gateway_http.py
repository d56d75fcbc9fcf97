"""The gateway over HTTP semantics (ASGI test client): health, errors, request ids, OpenAPI."""

from __future__ import annotations

from fastapi.testclient import TestClient
from openapi_spec_validator import validate


def test_health_reports_ok_uptime_and_version(client: TestClient) -> None:
    response = client.get("/health")
    assert response.status_code == 200
    body = response.json()
    assert body["ok"] is True
    assert isinstance(body["uptime_ms"], int) and body["uptime_ms"] >= 0
    assert body["version"] == "0.1.0"


def test_unknown_route_is_404_in_the_error_model(client: TestClient) -> None:
    response = client.get("/v1/no-such-thing", headers={"X-Request-Id": "abc-123"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("application/json")
    assert response.json() == {
        "error": {"code": "NOT_FOUND", "message": "no such route", "details": {}, "request_id": "abc-123"}
    }


def test_request_id_is_echoed_or_generated(client: TestClient) -> None:
    echoed = client.get("/health", headers={"X-Request-Id": "req-42"})
    assert echoed.headers["x-request-id"] == "req-42"
    generated = client.get("/health")
    assert len(generated.headers["x-request-id"]) == 32
    hostile = client.get("/health", headers={"X-Request-Id": "bad id\twith spaces"})
    assert hostile.headers["x-request-id"] != "bad id\twith spaces"


def test_openapi_is_valid_openapi_3_1(client: TestClient) -> None:
    spec = client.get("/openapi.json").json()
    assert spec["openapi"].startswith("3.1")
    validate(spec)
    assert "/health" in spec["paths"]


def test_cors_allows_only_listed_origins(client: TestClient) -> None:
    allowed = client.options(
        "/health", headers={"Origin": "http://localhost:5173", "Access-Control-Request-Method": "GET"}
    )
    assert allowed.headers.get("access-control-allow-origin") == "http://localhost:5173"
    refused = client.options(
        "/health", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    assert "access-control-allow-origin" not in refused.headers
