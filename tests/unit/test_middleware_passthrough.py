"""Our middleware does nothing per request when it has nothing to do: the inner app gets the very
`receive` and `send` the server passed (no wrapper), and no policy is even built."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.body_limit import BodyLimitMiddleware, BodyLimits
from shared.platform.cors import LazyCORSMiddleware
from shared.platform.csrf import CsrfMiddleware, CsrfPolicy


class Inner:
    """The app behind the middleware: records what it was called with."""

    def __init__(self) -> None:
        self.calls: list[tuple[Receive, Send]] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        self.calls.append((receive, send))


def _never() -> Any:
    raise AssertionError("a pass-through request must not build the middleware's policy")


async def _receive() -> Message:
    return {"type": "http.request", "body": b"", "more_body": False}


async def _send(message: Message) -> None:
    assert message


def _scope(method: str, headers: list[tuple[bytes, bytes]]) -> Scope:
    return {"type": "http", "method": method, "path": "/v1/documents", "headers": headers}


SESSION = (b"cookie", b"studyaid_session=abc")
ORIGIN = (b"origin", b"https://elsewhere.example")


@pytest.mark.parametrize(
    ("make", "method", "headers"),
    [
        (lambda app: CsrfMiddleware(app, policy=_never), "GET", [SESSION, ORIGIN]),
        (lambda app: CsrfMiddleware(app, policy=_never), "HEAD", [SESSION]),
        (lambda app: CsrfMiddleware(app, policy=_never), "OPTIONS", [SESSION, ORIGIN]),
        (lambda app: BodyLimitMiddleware(app, limits=_never), "GET", [SESSION]),
        (lambda app: BodyLimitMiddleware(app, limits=_never), "DELETE", [SESSION]),
        (lambda app: LazyCORSMiddleware(app, origins=_never), "GET", [SESSION]),
        (lambda app: LazyCORSMiddleware(app, origins=_never), "POST", [SESSION, (b"content-length", b"2")]),
    ],
    ids=["csrf-get", "csrf-head", "csrf-options", "body-get", "body-delete-no-body", "cors-no-origin", "cors-post"],
)
def test_nothing_to_do_hands_the_request_straight_through(
    make: Any, method: str, headers: list[tuple[bytes, bytes]]
) -> None:
    inner = Inner()
    middleware: ASGIApp = make(inner)

    async def call() -> None:
        await middleware(_scope(method, headers), _receive, _send)

    asyncio.run(call())
    assert inner.calls == [(_receive, _send)]


def test_a_cross_origin_request_still_gets_cors_headers() -> None:
    inner = Inner()
    middleware = LazyCORSMiddleware(inner, origins=lambda: ["https://app.example"])
    scope = _scope("OPTIONS", [(b"origin", b"https://app.example"), (b"access-control-request-method", b"GET")])
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, _receive, send))
    assert inner.calls == []  # a preflight is answered by CORS itself
    headers = dict(sent[0]["headers"])
    assert headers[b"access-control-allow-origin"] == b"https://app.example"


def test_a_forged_cookie_write_is_still_refused() -> None:
    inner = Inner()
    policy = CsrfPolicy(allowed_origins=frozenset({"https://app.example"}), session_cookie="studyaid_session")
    middleware = CsrfMiddleware(inner, policy=lambda: policy)
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(middleware(_scope("POST", [SESSION, ORIGIN]), _receive, send))
    assert inner.calls == []
    assert sent[0]["status"] == 403


def test_a_declared_body_over_the_limit_is_still_refused() -> None:
    inner = Inner()
    middleware = BodyLimitMiddleware(inner, limits=lambda: BodyLimits(default=10))
    sent: list[Message] = []

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(middleware(_scope("POST", [(b"content-length", b"11")]), _receive, send))
    assert inner.calls == []
    assert sent[0]["status"] == 413
