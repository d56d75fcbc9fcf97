"""The client's paging and retries over an in-memory transport (no network)."""

from __future__ import annotations

import httpx
import pytest

from shared.canvas.client import CanvasClient, RetryPolicy
from shared.canvas.errors import CanvasNotFound, CanvasRefusedUrl
from shared.canvas.hosts import HostGuard

BASE = "https://school.instructure.com"


class FixedTokens:
    def access_token(self) -> str:
        return "t0"

    def refresh(self) -> str:
        raise AssertionError("no refresh expected")


def _client(handler: httpx.MockTransport) -> tuple[CanvasClient, list[float]]:
    sleeps: list[float] = []
    guard = HostGuard(canvas=BASE, file_hosts=[], allow_private=False, resolver=lambda _h, _p: ["93.184.216.34"])
    http = httpx.Client(transport=handler)
    return CanvasClient(http=http, guard=guard, tokens=FixedTokens(), policy=RetryPolicy(), sleep=sleeps.append), sleeps


def test_a_next_link_to_another_host_is_refused_before_any_request() -> None:
    seen: list[str] = []

    def handle(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        return httpx.Response(200, json=[{"id": 1}], headers={"Link": '<http://169.254.169.254/x>; rel="next"'})

    client, _ = _client(httpx.MockTransport(handle))
    with pytest.raises(CanvasRefusedUrl):
        list(client.paginate("courses"))
    assert seen == [f"{BASE}/api/v1/courses"]


def test_server_errors_are_retried_and_a_404_reason_comes_from_the_error_body() -> None:
    answers = iter([httpx.Response(502, text="bad gateway"), httpx.Response(200, json=[{"id": 1}, {"id": 2}])])
    client, sleeps = _client(httpx.MockTransport(lambda _r: next(answers)))
    assert [c["id"] for c in client.paginate("courses")] == [1, 2] and len(sleeps) == 1
    missing = httpx.Response(404, json={"errors": [{"message": "The specified resource does not exist."}]})
    client, _ = _client(httpx.MockTransport(lambda _r: missing))
    with pytest.raises(CanvasNotFound, match=r"courses/9/files: The specified resource does not exist\."):
        client.get_json(client.api_url("courses/9/files"))


def test_the_bearer_token_is_sent_to_canvas() -> None:
    headers: list[str | None] = []

    def handle(request: httpx.Request) -> httpx.Response:
        headers.append(request.headers.get("authorization"))
        return httpx.Response(200, json=[])

    client, _ = _client(httpx.MockTransport(handle))
    list(client.paginate("courses"))
    assert headers == ["Bearer t0"]
