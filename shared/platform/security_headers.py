"""Response headers every answer carries (pure ASGI, computed once, appended per response).

`nosniff` and `Referrer-Policy` always; `Strict-Transport-Security` outside local dev (where the
API is only reached over TLS); `Cache-Control: no-store` on every `/v1` answer (each is one user's
data, many carry signed blob URLs) and on JSON answered to a signed-in caller (a session cookie or
a bearer token), unless the route chose its own caching. Set here once rather than by a
dependency on every route, which FastAPI would solve (and merge into the answer) per request.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from starlette.types import ASGIApp, Message, Receive, Scope, Send

Headers = list[tuple[bytes, bytes]]
HSTS = (b"strict-transport-security", b"max-age=63072000; includeSubDomains")
ALWAYS: Headers = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer")]
NO_STORE = (b"cache-control", b"no-store")
PRIVATE_PREFIX = "/v1/"


@dataclass(frozen=True)
class HeaderPolicy:
    hsts: bool
    session_cookie: str

    def fixed(self) -> Headers:
        return [*ALWAYS, HSTS] if self.hsts else list(ALWAYS)


class SecurityHeadersMiddleware:
    def __init__(self, app: ASGIApp, *, policy: Callable[[], HeaderPolicy]) -> None:
        self.app = app
        self._make_policy = policy
        self._policy: HeaderPolicy | None = None
        self._fixed: Headers = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if self._policy is None:
            self._policy = self._make_policy()
            self._fixed = self._policy.fixed()
        private = scope["path"].startswith(PRIVATE_PREFIX)
        signed_in = private or _signed_in(scope, self._policy.session_cookie)
        fixed = self._fixed

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers: Headers = list(message.get("headers", []))
                if signed_in and _without_caching(headers, any_type=private):
                    headers.append(NO_STORE)
                message["headers"] = headers + fixed
            await send(message)

        await self.app(scope, receive, send_with_headers)


def _signed_in(scope: Scope, session_cookie: str) -> bool:
    marker = f"{session_cookie}=".encode()
    for name, value in scope["headers"]:
        if name == b"authorization" or (name == b"cookie" and marker in value):
            return True
    return False


def _without_caching(headers: Headers, *, any_type: bool) -> bool:
    """No caching of the route's own, on an answer of any type or (`any_type` False) on JSON."""
    json = any_type
    for name, value in headers:
        if name == b"cache-control":
            return False
        if name == b"content-type" and value.startswith(b"application/json"):
            json = True
    return json
