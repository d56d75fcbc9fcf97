"""The smoke walk's report names the step that failed and why, and cleans up whatever happened.

A scripted stand-in API (httpx.MockTransport) plays a deployment whose media stage fails and one
that does not answer; the passing walk runs against the real app in tests/e2e/test_dev_walkthrough.py.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from shared.smoke.service import run

DOC = "6b0f2c3e-0000-4000-8000-000000000001"


class FailingMediaApi:
    """Everything works until media, which fails the way the media stage reports it."""

    def __init__(self) -> None:
        self.calls: list[str] = []
        self.deleted_with: dict[str, Any] = {}

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(f"{request.method} {request.url.path}")
        route = (request.method, request.url.path)
        if route == ("GET", "/health"):
            return _json({"ok": True, "uptime_ms": 1, "version": "test"})
        if route == ("POST", "/v1/auth/signup"):
            return _json({"user": {}}, 201)
        if route == ("POST", "/v1/documents"):
            upload = {"document": {"id": DOC}, "upload_url": "https://blob.test/raw/x?sig=1", "upload_headers": {}}
            return _json(upload, 201)
        if route == ("PUT", "/raw/x"):
            return httpx.Response(201)
        if route == ("GET", f"/v1/documents/{DOC}"):
            stages = [{"stage": "ingest", "status": "done"}, {"stage": "ai", "status": "done"}]
            return _json({"id": DOC, "page_count": 2, "stages": stages})
        if route == ("GET", f"/v1/notes/{DOC}"):
            return _json({"summary": {"key_points": ["a point"]}, "markdown_url": "https://blob.test/notes"})
        if route == ("GET", f"/v1/media/{DOC}"):
            failed = {"status": "failed", "error_code": "FFMPEG_FAILED", "error_message": "encoder exited with 1"}
            return _json(failed)
        if route == ("DELETE", "/v1/account"):
            self.deleted_with = json.loads(request.content)
            return httpx.Response(204)
        return _json({"error": {"code": "NOT_FOUND"}}, 404)


def _json(body: Any, status: int = 200) -> httpx.Response:
    return httpx.Response(status, content=json.dumps(body), headers={"Content-Type": "application/json"})


def test_a_failed_stage_is_named_with_its_error_and_the_document_is_still_deleted() -> None:
    api = FailingMediaApi()
    lines: list[str] = []
    passed = run(base_url="https://api.test", say=lines.append, poll_s=0, transport=httpx.MockTransport(api))
    assert not passed
    assert [line.split()[1] for line in lines if line.startswith("ok    ")] == [
        "health",
        "sign-up",
        "upload",
        "ingest",
        "notes",
        "clean-up:",
    ]
    [failure] = [line for line in lines if line.startswith("FAIL")]
    assert failure == "FAIL  media: the stage failed (FFMPEG_FAILED: encoder exited with 1)"
    assert api.calls[-1] == "DELETE /v1/account" and api.deleted_with["password"].startswith("smoke check ")


def test_an_unreachable_deployment_fails_at_health_and_says_why() -> None:
    def refuse(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused", request=request)

    lines: list[str] = []
    assert not run(base_url="https://api.test", say=lines.append, transport=httpx.MockTransport(refuse))
    assert lines[1] == "FAIL  health: GET /health: ConnectError: connection refused"
    assert not any("clean-up" in line for line in lines)  # nothing was made, so nothing is deleted
