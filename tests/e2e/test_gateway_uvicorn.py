"""The HTTP door: the gateway served by uvicorn on loopback, as `make dev` serves it."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from pydantic import BaseModel

from shared.container import Container
from shared.gateway import create_app
from tests.support.services import free_port


class Echo(BaseModel):
    text: str


@pytest.fixture(scope="module")
def base_url(container: Container) -> Iterator[str]:
    app = create_app(container)

    @app.post("/v1/test-echo")
    def echo(body: Echo) -> Echo:
        return body

    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_config=None))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(timeout=10)


def test_health_over_http(base_url: str) -> None:
    response = httpx.get(f"{base_url}/health", headers={"X-Request-Id": "http-1"})
    assert response.status_code == 200
    assert response.json()["ok"] is True
    assert response.headers["x-request-id"] == "http-1"


def test_malformed_json_over_http_is_400_invalid_argument(base_url: str) -> None:
    response = httpx.post(
        f"{base_url}/v1/test-echo", content=b"{not json", headers={"Content-Type": "application/json"}
    )
    assert response.status_code == 400
    body = response.json()
    assert body["error"]["code"] == "INVALID_ARGUMENT"
    assert body["error"]["request_id"] == response.headers["x-request-id"]


def test_a_wrong_field_type_names_the_field(base_url: str) -> None:
    response = httpx.post(f"{base_url}/v1/test-echo", json={"text": 5})
    assert response.status_code == 400
    fields = response.json()["error"]["details"]["fields"]
    assert fields[0]["field"] == "text"


def test_unknown_route_and_wrong_method_answer_in_the_error_model(base_url: str) -> None:
    missing = httpx.get(f"{base_url}/nope")
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "NOT_FOUND")
    wrong = httpx.delete(f"{base_url}/health")
    assert (wrong.status_code, wrong.json()["error"]["code"]) == (405, "METHOD_NOT_ALLOWED")
