"""The CSRF check as ASGI middleware: which requests it looks at, and what it lets through."""

from __future__ import annotations

import asyncio
import json

from starlette.types import Message, Receive, Scope, Send

from shared.platform.csrf import CsrfMiddleware, CsrfPolicy
from shared.platform.errors import PermissionDenied

APP = "https://app.example.edu"
COOKIE = "__Host-studyaid_session"


class Recorder:
    """The app behind the middleware: records the paths it was called for."""

    def __init__(self) -> None:
        self.called: list[str] = []

    async def __call__(self, scope: Scope, _receive: Receive, send: Send) -> None:
        self.called.append(scope["path"])
        await send({"type": "http.response.start", "status": 204, "headers": []})
        await send({"type": "http.response.body", "body": b""})


class Policies:
    def __init__(self) -> None:
        self.built = 0

    def __call__(self) -> CsrfPolicy:
        self.built += 1
        return CsrfPolicy(allowed_origins=frozenset({APP}), session_cookie=COOKIE)


def _call(middleware: CsrfMiddleware, method: str, headers: dict[str, str]) -> tuple[int, dict[str, object]]:
    sent: list[Message] = []
    scope: Scope = {
        "type": "http", "method": method, "path": "/v1/x",
        "headers": [(k.lower().encode(), v.encode()) for k, v in headers.items()],
    }  # fmt: skip

    async def receive() -> Message:
        return {"type": "http.request", "body": b""}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return sent[0]["status"], json.loads(body) if body else {}


def test_reads_pass_without_the_policy_being_built() -> None:
    app, policies = Recorder(), Policies()
    middleware = CsrfMiddleware(app, policy=policies)
    for method in ("GET", "HEAD", "OPTIONS"):
        assert _call(middleware, method, {"cookie": f"{COOKIE}=t", "origin": "https://evil.example"})[0] == 204
    assert policies.built == 0 and len(app.called) == 3


def test_cookie_writes_from_elsewhere_are_refused_in_the_error_model() -> None:
    app = Recorder()
    middleware = CsrfMiddleware(app, policy=Policies())
    cookie = {"cookie": f"other=1; {COOKIE}=t"}
    for headers in (
        {"origin": "https://evil.example"},
        {"origin": "null"},
        {},
        {"referer": "https://evil.example/page"},
        {"sec-fetch-site": "same-site"},
        {"origin": "https://evil.example", "referer": f"{APP}/page"},  # Origin, when sent, decides
    ):
        status, body = _call(middleware, "POST", {**cookie, **headers})
        assert status == PermissionDenied.status, headers
        assert body["error"]["code"] == PermissionDenied.code  # type: ignore[index]
    assert app.called == []


def test_allowed_origins_bearer_and_cookieless_writes_pass() -> None:
    app = Recorder()
    middleware = CsrfMiddleware(app, policy=Policies())
    cookie = {"cookie": f"{COOKIE}=t"}
    for method, headers in (
        ("POST", {**cookie, "origin": APP}),
        ("DELETE", {**cookie, "referer": f"{APP}/settings"}),
        ("PUT", {**cookie, "sec-fetch-site": "same-origin"}),
        ("PATCH", {**cookie, "authorization": "Bearer x"}),  # a page on another site cannot set this
        ("POST", {"origin": "https://evil.example"}),  # no session cookie: nothing to forge
    ):
        assert _call(middleware, method, headers)[0] == 204, (method, headers)
    assert len(app.called) == 5
