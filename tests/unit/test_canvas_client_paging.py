"""The client's paging and retries over an in-memory transport (no network)."""

from __future__ import annotations

import httpx
import pytest

from shared.canvas.adapters.client import CanvasClient
from shared.canvas.adapters.hosts import HostGuard
from shared.canvas.adapters.ratelimit import RetryPolicy, backoff_delay, pacing_delay, remaining, throttled
from shared.canvas.errors import CanvasNotFound, CanvasRefusedUrl

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


def test_pacing_and_backoff_rules() -> None:
    policy = RetryPolicy(backoff_base_s=1.0, backoff_cap_s=60.0)
    assert pacing_delay(policy, 700.0) == 0.0 and pacing_delay(policy, 100.0) == 0.0
    assert pacing_delay(policy, 50.0) == 0.5 and pacing_delay(policy, -3.0) == 1.0
    throttle = httpx.Response(429, headers={"Retry-After": "30"})
    assert 15.0 <= backoff_delay(policy, 0, throttle) <= 30.0  # Retry-After wins over the 1 s base
    assert 30.0 <= backoff_delay(policy, 10, httpx.Response(503)) <= 60.0  # capped
    assert throttled(httpx.Response(403, text="403 Forbidden (Rate Limit Exceeded)"))
    assert not throttled(httpx.Response(403, json={"errors": [{"message": "forbidden"}]}))
    assert remaining(httpx.Response(200, headers={"X-Rate-Limit-Remaining": "3.14"})) == 3.14
    assert remaining(httpx.Response(200, headers={"X-Rate-Limit-Remaining": "n/a"})) is None
