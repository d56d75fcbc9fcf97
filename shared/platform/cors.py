"""CORS with an allow-list read from settings on the first request, not at import time.

A request without an `Origin` header is not a cross-origin one (preflights carry it too):
it goes straight to the app without CORS parsing its headers.
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send


class LazyCORSMiddleware:
    def __init__(self, app: ASGIApp, *, origins: Callable[[], list[str]]) -> None:
        self.app = app
        self._origins = origins
        self._inner: ASGIApp | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not _has_origin(scope):
            await self.app(scope, receive, send)
            return
        if self._inner is None:
            self._inner = CORSMiddleware(
                self.app,
                allow_origins=self._origins(),
                allow_credentials=True,
                allow_methods=["GET", "POST", "PUT", "PATCH", "DELETE"],
                allow_headers=["Content-Type", "Authorization", "X-Request-Id"],
                expose_headers=["X-Request-Id", "Retry-After"],
            )
        await self._inner(scope, receive, send)


def _has_origin(scope: Scope) -> bool:
    return any(name == b"origin" for name, _ in scope["headers"])
