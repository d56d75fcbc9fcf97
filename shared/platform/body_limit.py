"""Request-body budgets enforced before any route reads, parses or authenticates.

A declared `Content-Length` over the route's budget is answered 413 without reading a byte.
A chunked body (no length) is read here up to the budget and replayed to the app. A request
without a body passes straight through, so ordinary GETs cost one header lookup.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from shared.platform.http_errors import error_response


@dataclass(frozen=True)
class BodyLimits:
    default: int
    by_path: dict[str, int] = field(default_factory=dict)

    def for_path(self, path: str) -> int:
        return self.by_path.get(path.rstrip("/") or "/", self.default)


class BodyLimitMiddleware:
    def __init__(self, app: ASGIApp, *, limits: Callable[[], BodyLimits]) -> None:
        self.app = app
        self._limits = limits
        self._resolved: BodyLimits | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        declared, chunked = _body_headers(scope)
        if declared is None and not chunked:
            await self.app(scope, receive, send)
            return
        if self._resolved is None:
            self._resolved = self._limits()
        limit = self._resolved.for_path(scope["path"])
        if declared is not None:
            if not declared.isdigit():
                await error_response(400, "INVALID_ARGUMENT", "Content-Length is not a number")(scope, receive, send)
                return
            if int(declared) > limit:
                await _too_large(limit)(scope, receive, send)
                return
            await self.app(scope, receive, send)
            return
        body = await _read_up_to(receive, limit)
        if body is None:
            await _too_large(limit)(scope, receive, send)
            return
        await self.app(scope, _replay(body, receive), send)


def _body_headers(scope: Scope) -> tuple[bytes | None, bool]:
    """The declared `Content-Length` and whether a `Transfer-Encoding` came (one pass, no dict)."""
    declared, chunked = None, False
    for name, value in scope.get("headers") or ():
        if name == b"content-length":
            declared = value
        elif name == b"transfer-encoding":
            chunked = True
    return declared, chunked


def _too_large(limit: int) -> ASGIApp:
    return error_response(413, "PAYLOAD_TOO_LARGE", f"the request body is over {limit} bytes", {"limit": limit})


async def _read_up_to(receive: Receive, limit: int) -> bytes | None:
    body = bytearray()
    while True:
        message = await receive()
        if message["type"] != "http.request":
            return bytes(body)
        body.extend(message.get("body", b""))
        if len(body) > limit:
            return None
        if not message.get("more_body", False):
            return bytes(body)


def _replay(body: bytes, receive: Receive) -> Receive:
    delivered = False

    async def replay() -> Message:
        nonlocal delivered
        if delivered:
            return await receive()  # later messages: the client's disconnect
        delivered = True
        return {"type": "http.request", "body": body, "more_body": False}

    return replay
