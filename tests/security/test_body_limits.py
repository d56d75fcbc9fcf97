"""Body-size probe (F6): oversize bodies are refused before any route parses them or asks who is calling."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

from fastapi.testclient import TestClient
from starlette.types import Message, Receive, Scope, Send

from shared.container import Container
from shared.platform.body_limit import BodyLimitMiddleware, BodyLimits

LIMITS = BodyLimits(default=1024, by_path={"/big": 4096})


class RecordingApp:
    """Downstream ASGI app: records each body it managed to read, answers 200."""

    def __init__(self) -> None:
        self.bodies: list[bytes] = []

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert scope["type"] == "http"
        body = b""
        while True:
            message = await receive()
            body += message.get("body", b"")
            if not message.get("more_body"):
                break
        self.bodies.append(body)
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def _call(app: RecordingApp, *, path: str, headers: list[tuple[bytes, bytes]], chunks: list[bytes]) -> int:
    middleware = BodyLimitMiddleware(app, limits=lambda: LIMITS)
    scope: Scope = {"type": "http", "method": "POST", "path": path, "headers": headers}
    pending: Iterator[bytes] = iter(chunks)
    sent: list[Message] = []

    async def receive() -> Message:
        chunk = next(pending, b"")
        return {"type": "http.request", "body": chunk, "more_body": chunk != b""}

    async def send(message: Message) -> None:
        sent.append(message)

    asyncio.run(middleware(scope, receive, send))
    return int(sent[0]["status"])


def test_declared_oversize_body_is_refused_unread() -> None:
    app = RecordingApp()
    assert _call(app, path="/x", headers=[(b"content-length", b"1025")], chunks=[b"a" * 1025]) == 413
    assert app.bodies == []


def test_route_budget_applies_by_path() -> None:
    app = RecordingApp()
    assert _call(app, path="/big", headers=[(b"content-length", b"4000")], chunks=[b"a" * 4000]) == 200
    assert _call(app, path="/big", headers=[(b"content-length", b"4097")], chunks=[b"a" * 4097]) == 413
    assert app.bodies == [b"a" * 4000]


def test_chunked_body_is_counted_and_refused_past_the_budget() -> None:
    app = RecordingApp()
    chunked = [(b"transfer-encoding", b"chunked")]
    assert _call(app, path="/x", headers=chunked, chunks=[b"a" * 600, b"b" * 600]) == 413
    assert _call(app, path="/x", headers=chunked, chunks=[b"a" * 500, b"b" * 500]) == 200
    assert app.bodies == [b"a" * 500 + b"b" * 500]


def test_bodyless_request_passes_untouched() -> None:
    app = RecordingApp()
    assert _call(app, path="/x", headers=[], chunks=[]) == 200
    assert app.bodies == [b""]


def test_gateway_refuses_a_huge_json_login_before_parsing(client: TestClient) -> None:
    response = client.post(
        "/v1/auth/login",
        content=b'{"email":"a@b.c","password":"' + b"x" * (1024 * 1024) + b'"}',
        headers={"Content-Type": "application/json"},
    )
    assert response.status_code == 413
    assert response.json()["error"]["code"] == "PAYLOAD_TOO_LARGE"


def test_gateway_refuses_an_anonymous_oversize_upload_before_auth(client: TestClient, container: Container) -> None:
    cap = container.settings.upload_max_bytes
    response = client.post("/v1/documents/upload", files={"file": ("a.pdf", b"%PDF-" + b"0" * (cap + 128 * 1024))})
    assert response.status_code == 413


def test_gateway_keeps_ordinary_json_bodies(client: TestClient) -> None:
    response = client.post("/v1/auth/login", json={"email": "nobody@example.edu", "password": "wrong-password-1"})
    assert response.status_code == 401
