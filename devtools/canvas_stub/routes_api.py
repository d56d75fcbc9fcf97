"""`/api/v1/*` and `/files/:id/download` of the stub Canvas."""

from __future__ import annotations

import re
import secrets
from collections.abc import Callable
from typing import Any

from devtools.canvas_stub.http import Reply, Request
from devtools.canvas_stub.pages import paged
from devtools.canvas_stub.school import TERM, Json
from devtools.canvas_stub.state import StubState

EXPIRED = {"WWW-Authenticate": 'Bearer realm="canvas-lms"'}
Handler = Callable[[StubState, Request, "Urls", re.Match[str]], Reply]


class Urls:
    def __init__(self, api: str, files: str) -> None:
        self.api = api
        self.files = files


def api(state: StubState, request: Request, urls: Urls) -> Reply:
    with state.lock:
        remaining = state.spend(1.0)
        quota = {"X-Request-Cost": "1.0", "X-Rate-Limit-Remaining": f"{remaining:.1f}"}
        if state.throttles:
            return _throttled(state.throttles.pop(0), quota)
        if not state.token_valid(request.bearer):
            return Reply.errors(401, "Invalid access token.", {**EXPIRED, **quota})
        for pattern, handler in ROUTES:
            match = pattern.fullmatch(request.path)
            if match:
                reply = handler(state, request, urls, match)
                reply.headers = {**quota, **reply.headers}
                return reply
    return Reply.errors(404, "The specified resource does not exist.", quota)


def _throttled(kind: str, quota: dict[str, str]) -> Reply:
    headers = {**quota, "X-Rate-Limit-Remaining": "0.0"}
    if kind == "429":
        return Reply.errors(429, "Rate Limit Exceeded", headers)
    return Reply(403, b"403 Forbidden (Rate Limit Exceeded)", {**headers, "Content-Type": "text/plain"})


def _list(state: StubState, request: Request, urls: Urls, items: list[Any]) -> Reply:
    return paged(request, urls.api, items, link_name=state.link_header_name, headers={})


def _course_guard(state: StubState, course_id: int) -> Reply | None:
    if course_id in state.failing_courses:
        return Reply.errors(state.failing_courses[course_id], "An error occurred.")
    if all(c["id"] != course_id for c in state.school.courses):
        return Reply.errors(404, "The specified resource does not exist.")
    return None


def courses(state: StubState, request: Request, urls: Urls, _m: re.Match[str]) -> Reply:
    with_term = "term" in request.query.get("include[]", [])
    listed = [{**c, "term": TERM} if with_term else dict(c) for c in state.school.courses]
    return _list(state, request, urls, listed)


def assignments(state: StubState, request: Request, urls: Urls, m: re.Match[str]) -> Reply:
    course_id = int(m["course"])
    refused = _course_guard(state, course_id)
    if refused:
        return refused
    with_submission = "submission" in request.query.get("include[]", [])
    listed: list[Json] = []
    for assignment in state.school.assignments.get(course_id, []):
        item = {**assignment, "html_url": urls.api + str(assignment["html_url"]).removeprefix("http://127.0.0.1:3000")}
        if with_submission:
            item["submission"] = state.school.submissions.get(int(assignment["id"]))
        listed.append(item)
    return _list(state, request, urls, listed)


def modules(state: StubState, request: Request, urls: Urls, m: re.Match[str]) -> Reply:
    course_id = int(m["course"])
    refused = _course_guard(state, course_id)
    if refused:
        return refused
    inline = "items" in request.query.get("include[]", [])
    listed = []
    for module in state.school.modules.get(course_id, []):
        shown = {k: v for k, v in module.items() if k != "items"}
        if inline and module["id"] not in state.school.inline_items_omitted:
            shown["items"] = [_item(urls, i) for i in module["items"]]
        listed.append(shown)
    return _list(state, request, urls, listed)


def module_items(state: StubState, request: Request, urls: Urls, m: re.Match[str]) -> Reply:
    refused = _course_guard(state, int(m["course"]))
    if refused:
        return refused
    for module in state.school.modules.get(int(m["course"]), []):
        if module["id"] == int(m["module"]):
            return _list(state, request, urls, [_item(urls, i) for i in module["items"]])
    return Reply.errors(404, "The specified resource does not exist.")


def _item(urls: Urls, item: Json) -> Json:
    shown = dict(item)
    if "url" in shown:
        shown["url"] = urls.api + shown["url"]
    return shown


def course_files(state: StubState, request: Request, urls: Urls, m: re.Match[str]) -> Reply:
    course_id = int(m["course"])
    refused = _course_guard(state, course_id)
    if refused:
        return refused
    if course_id in state.school.hidden_files:
        return Reply.errors(401, "user authorization required")
    ids = state.school.course_files.get(course_id, [])
    return _list(state, request, urls, [file_meta(state, urls, i) for i in ids])


def one_file(state: StubState, _r: Request, urls: Urls, m: re.Match[str]) -> Reply:
    file_id = int(m["file"])
    if file_id not in state.school.files:
        return Reply.errors(404, "The specified resource does not exist.")
    return Reply.json(200, file_meta(state, urls, file_id))


def file_meta(state: StubState, urls: Urls, file_id: int) -> Json:
    meta = dict(state.school.files[file_id].meta)
    verifier = secrets.token_urlsafe(12)
    default = f"{urls.api}/files/{file_id}/download?download_frd=1&verifier={verifier}"
    meta["url"] = state.file_url_overrides.get(file_id, default)
    return meta


def download(state: StubState, request: Request, urls: Urls) -> Reply:
    """`GET /files/:id/download`: 302 to the file host, as Canvas does."""
    match = re.fullmatch(r"/files/(\d+)/download", request.path)
    with state.lock:
        if match is None or int(match[1]) not in state.school.files or not request.arg("verifier"):
            return Reply.errors(404, "The specified resource does not exist.")
        stub_file = state.school.files[int(match[1])]
        signature = secrets.token_urlsafe(12)
        default = f"{urls.files}/blob/{stub_file.meta['id']}/v{stub_file.version}?sig={signature}"
        target = state.redirect_overrides.get(int(match[1]), default)
    return Reply(302, headers={"Location": target})


ROUTES: list[tuple[re.Pattern[str], Handler]] = [
    (re.compile(r"/api/v1/courses"), courses),
    (re.compile(r"/api/v1/courses/(?P<course>\d+)/assignments"), assignments),
    (re.compile(r"/api/v1/courses/(?P<course>\d+)/modules"), modules),
    (re.compile(r"/api/v1/courses/(?P<course>\d+)/modules/(?P<module>\d+)/items"), module_items),
    (re.compile(r"/api/v1/courses/(?P<course>\d+)/files"), course_files),
    (re.compile(r"/api/v1/(?:courses/\d+/)?files/(?P<file>\d+)"), one_file),
    (re.compile(r"/api/v1/users/self"), lambda s, _r, _u, _m: Reply.json(200, dict(s.school.student))),
]
