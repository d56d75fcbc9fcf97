"""Link headers and Canvas error bodies."""

from __future__ import annotations

import httpx

from shared.canvas.adapters.links import next_url, parse_links
from shared.canvas.errors import (
    CanvasAuthExpired,
    CanvasNotFound,
    CanvasPermissionDenied,
    CanvasUnavailable,
    canvas_messages,
    error_for,
)


def test_links_are_found_by_rel_whatever_the_case_and_order() -> None:
    header = '<https://c.example/a?page=bookmark:x>; rel="current", <https://c.example/a?page=b2>; REL="Next"'
    assert parse_links(header) == {
        "current": "https://c.example/a?page=bookmark:x",
        "next": "https://c.example/a?page=b2",
    }


def test_next_url_reads_a_header_named_in_any_case_and_keeps_the_url_opaque() -> None:
    request = httpx.Request("GET", "https://c.example/api/v1/courses")
    response = httpx.Response(
        200, headers={"LINK": '</api/v1/courses?page=bookmark:WzEwXQ&x=1>; rel="next"'}, request=request
    )
    assert next_url(response) == "https://c.example/api/v1/courses?page=bookmark:WzEwXQ&x=1"
    assert next_url(httpx.Response(200, request=request)) is None


def _response(status: int, body: str, headers: dict[str, str] | None = None) -> httpx.Response:
    return httpx.Response(status, text=body, headers=headers, request=httpx.Request("GET", "https://c.example/x"))


def test_error_bodies_become_reasons_and_kinds() -> None:
    expired = _response(401, '{"errors":[{"message":"Invalid access token."}]}', {"WWW-Authenticate": "Bearer"})
    assert isinstance(error_for(expired, what="courses"), CanvasAuthExpired)
    denied = error_for(_response(401, '{"errors":[{"message":"user authorization required"}]}'), what="files")
    assert isinstance(denied, CanvasPermissionDenied) and "user authorization required" in denied.reason
    assert isinstance(error_for(_response(404, "{}"), what="x"), CanvasNotFound)
    assert isinstance(error_for(_response(503, "down"), what="x"), CanvasUnavailable)
    assert canvas_messages(_response(422, '{"errors":{"name":"too long"}}')) == "name: too long"
    assert (
        canvas_messages(_response(403, "403 Forbidden (Rate Limit Exceeded)")) == "403 Forbidden (Rate Limit Exceeded)"
    )
