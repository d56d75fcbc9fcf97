"""What a request registers with `at_request_end` runs when it ends, however it ends; and every
`/v1` answer, refusals included, is marked no-store by the header middleware alone."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.types import Message, Receive, Scope, Send

from shared.platform.middleware import RequestContextMiddleware, at_request_end
from shared.platform.security_headers import HeaderPolicy, SecurityHeadersMiddleware

pytestmark = pytest.mark.unit


def _scope(path: str = "/v1/documents", headers: list[tuple[bytes, bytes]] | None = None) -> Scope:
    return {"type": "http", "method": "GET", "path": path, "headers": headers or [], "query_string": b""}


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


def _run(app: Any, scope: Scope) -> list[Message]:
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(app(scope, _receive, send))
    return sent


def _answering(status: int, events: list[str], *, fail: bool = False, headers: Any = None) -> Any:
    async def app(scope: Scope, _receive: Receive, send: Send) -> None:
        for name in ("first", "second"):

            async def cleanup(name: str = name) -> None:
                events.append(f"cleanup {name}")

            at_request_end(scope, cleanup)
        if fail:
            raise RuntimeError("the route failed")
        await send({"type": "http.response.start", "status": status, "headers": headers or []})
        events.append("answered")
        await send({"type": "http.response.body", "body": b"{}"})

    return app


def test_cleanups_run_after_the_answer_last_in_first_out() -> None:
    events: list[str] = []
    sent = _run(RequestContextMiddleware(_answering(200, events)), _scope())
    assert events == ["answered", "cleanup second", "cleanup first"]
    assert sent[0]["status"] == 200


def test_cleanups_run_when_the_route_fails_and_the_answer_is_the_error_model() -> None:
    events: list[str] = []
    sent = _run(RequestContextMiddleware(_answering(200, events, fail=True)), _scope())
    assert events == ["cleanup second", "cleanup first"]
    assert sent[0]["status"] == 500


def test_a_failing_cleanup_does_not_keep_the_others_from_running() -> None:
    events: list[str] = []

    async def app(scope: Scope, _receive: Receive, send: Send) -> None:
        async def fine() -> None:
            events.append("fine")

        async def broken() -> None:
            raise OSError("connection already closed")

        at_request_end(scope, fine)
        at_request_end(scope, broken)
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    sent = _run(RequestContextMiddleware(app), _scope())
    assert events == ["fine"] and sent[0]["status"] == 204


def test_registering_outside_a_request_context_is_an_error() -> None:
    async def nothing() -> None:
        return None

    with pytest.raises(RuntimeError, match="RequestContextMiddleware"):
        at_request_end(_scope(), nothing)


def _headers(path: str, *, status: int = 200, own: Any = None, content_type: bytes = b"application/json") -> dict:  # type: ignore[type-arg]
    policy = HeaderPolicy(hsts=False, session_cookie="__Host-session")
    inner = _answering(status, [], headers=[(b"content-type", content_type), *(own or [])])
    app = RequestContextMiddleware(SecurityHeadersMiddleware(inner, policy=lambda: policy))
    sent = _run(app, _scope(path))
    return {name.decode(): value.decode() for name, value in sent[0]["headers"]}


def test_every_v1_answer_is_no_store_unless_the_route_chose_its_own_caching() -> None:
    assert _headers("/v1/documents")["cache-control"] == "no-store"
    assert _headers("/v1/documents", status=401)["cache-control"] == "no-store"  # refusals too
    assert _headers("/v1/flashcards/x/export.apkg", content_type=b"application/octet-stream")["cache-control"] == (
        "no-store"
    )
    assert _headers("/v1/documents", own=[(b"cache-control", b"private, max-age=60")])["cache-control"] == (
        "private, max-age=60"
    )
    assert "cache-control" not in _headers("/health")  # not one user's data, nobody signed in
