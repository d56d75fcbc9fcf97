"""Cross-site request forgery defence for cookie sessions, as pure ASGI middleware.

SameSite=Lax does not help when the app and the API are sibling subdomains (same site), so a
state-changing request (POST/PUT/PATCH/DELETE) that carries the session cookie must also show
where it comes from: an allowed `Origin`, or, when a browser sent none, a `Referer` on an allowed
origin or `Sec-Fetch-Site: same-origin`. Requests with `Authorization` (bearer JWT, which a page on
another site cannot attach) and requests without the session cookie have nothing to forge.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.types import ASGIApp, Receive, Scope, Send

from shared.platform.errors import PermissionDenied
from shared.platform.http_errors import error_response

UNSAFE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


@dataclass(frozen=True)
class CsrfPolicy:
    allowed_origins: frozenset[str]
    session_cookie: str

    def allows(self, headers: dict[bytes, bytes]) -> bool:
        origin = headers.get(b"origin")
        if origin is not None:
            return origin.decode("latin-1") in self.allowed_origins
        referer = headers.get(b"referer")
        if referer is not None:
            return origin_of(referer.decode("latin-1")) in self.allowed_origins
        return headers.get(b"sec-fetch-site") == b"same-origin"

    def carries_session(self, headers: dict[bytes, bytes]) -> bool:
        cookie = headers.get(b"cookie")
        return cookie is not None and f"{self.session_cookie}=".encode() in cookie


def origin_of(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}" if parts.scheme and parts.netloc else ""


class CsrfMiddleware:
    """Refuses forged cookie-authenticated writes with 403 in the error model; reads pass untouched."""

    def __init__(self, app: ASGIApp, *, policy: Callable[[], CsrfPolicy]) -> None:
        self.app = app
        self._make_policy = policy
        self._policy: CsrfPolicy | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope["method"] not in UNSAFE_METHODS:
            await self.app(scope, receive, send)
            return
        if self._policy is None:
            self._policy = self._make_policy()
        headers = dict(scope["headers"])
        if b"authorization" in headers or not self._policy.carries_session(headers) or self._policy.allows(headers):
            await self.app(scope, receive, send)
            return
        refused = PermissionDenied("this request did not come from an allowed origin (cross-site request refused)")
        await error_response(refused.status, refused.code, refused.message)(scope, receive, send)
