"""`CanvasStub`: the fake Canvas (API + OAuth) and its file host, on two loopback addresses.

Tests start it in-process and flip its switches; `python -m devtools.canvas_stub` (or
`studyaid canvas-stub`) runs the same thing for `make dev`.
"""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime
from pathlib import Path
from types import TracebackType

from devtools.canvas_stub import routes_api, routes_oauth
from devtools.canvas_stub.http import Reply, Request, Server
from devtools.canvas_stub.samples import CONTENT_TYPES
from devtools.canvas_stub.school import build_school, iso
from devtools.canvas_stub.state import Logged, StubState


class CanvasStub:
    def __init__(
        self,
        fixtures: Path,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        files_host: str = "127.0.0.2",
        files_port: int = 0,
        client_id: str = "stub-client-id",
        client_secret: str = "stub-client-secret",
        token_ttl_s: float = 3600.0,
    ) -> None:
        self.state = StubState(build_school(fixtures), client_id, client_secret, token_ttl_s)
        self._api = Server(host, port, self._route_api)
        self._files = Server(files_host, files_port, self._route_files)
        self.urls = routes_api.Urls(self._api.url, self._files.url)

    @property
    def base_url(self) -> str:
        return self.urls.api

    @property
    def files_url(self) -> str:
        return self.urls.files

    def start(self) -> CanvasStub:
        self._api.start()
        self._files.start()
        return self

    def stop(self) -> None:
        self._api.stop()
        self._files.stop()

    def __enter__(self) -> CanvasStub:
        return self.start()

    def __exit__(self, *_exc: type[BaseException] | BaseException | TracebackType | None) -> None:
        self.stop()

    # -- switches for tests -------------------------------------------------------------
    def throttle(self, count: int = 1, *, kind: str = "429") -> None:
        with self.state.lock:
            self.state.throttles.extend([kind] * count)

    def expire_access_tokens(self) -> None:
        with self.state.lock:
            self.state.access = dict.fromkeys(self.state.access, 0.0)

    def fail_course(self, course_id: int, status: int = 500) -> None:
        with self.state.lock:
            self.state.failing_courses[course_id] = status

    def break_file(self, file_id: int) -> None:
        with self.state.lock:
            self.state.broken_files.add(file_id)

    def point_file_at(self, file_id: int, url: str) -> None:
        with self.state.lock:
            self.state.file_url_overrides[file_id] = url

    def redirect_file_to(self, file_id: int, url: str) -> None:
        """Make the file's Canvas download URL answer 302 to `url` (a hop the client must vet)."""
        with self.state.lock:
            self.state.redirect_overrides[file_id] = url

    def touch_file(self, file_id: int) -> None:
        """A new version of a file: new bytes, new `updated_at` / `modified_at`."""
        with self.state.lock:
            stub_file = self.state.school.files[file_id]
            stub_file.version += 1
            stub_file.refresh(datetime.now(UTC))

    def remove_assignment(self, course_id: int, assignment_id: int) -> None:
        with self.state.lock:
            listed = self.state.school.assignments[course_id]
            self.state.school.assignments[course_id] = [a for a in listed if a["id"] != assignment_id]

    def set_submission(self, assignment_id: int, workflow_state: str) -> None:
        with self.state.lock:
            submission = self.state.school.submissions[assignment_id]
            submission["workflow_state"] = workflow_state
            submission["submitted_at"] = None if workflow_state == "unsubmitted" else "2026-01-01T00:00:00Z"

    def move_due_date(self, assignment_id: int, due: datetime) -> None:
        """The teacher moved the deadline: a new `due_at` and `updated_at`."""
        with self.state.lock:
            for listed in self.state.school.assignments.values():
                for assignment in listed:
                    if assignment["id"] == assignment_id:
                        assignment["due_at"] = iso(due)
                        assignment["updated_at"] = iso(datetime.now(UTC))

    def add_assignment(self, course_id: int, assignment_id: int, name: str, due: datetime) -> None:
        """The teacher published a new assignment, not yet submitted."""
        with self.state.lock:
            template = self.state.school.assignments[course_id][0]
            fresh = {
                **template,
                "id": assignment_id,
                "name": name,
                "due_at": iso(due),
                "updated_at": iso(datetime.now(UTC)),
            }
            fresh["html_url"] = f"/courses/{course_id}/assignments/{assignment_id}"
            self.state.school.assignments[course_id].append(fresh)
            self.state.school.submissions[assignment_id] = {
                **self.state.school.submissions[int(template["id"])],
                "id": 900000 + assignment_id,
                "assignment_id": assignment_id,
                "workflow_state": "unsubmitted",
                "submitted_at": None,
            }

    def api_requests(self) -> list[Logged]:
        with self.state.lock:
            return self.state.api_requests()

    def file_requests(self) -> list[Logged]:
        with self.state.lock:
            return [entry for entry in self.state.log if entry.host == "files"]

    # -- routing ------------------------------------------------------------------------
    def _route_api(self, request: Request) -> Reply:
        if request.path == "/login/oauth2/auth" and request.method == "GET":
            reply = routes_oauth.authorize(self.state, request)
        elif request.path == "/login/oauth2/token" and request.method in ("POST", "DELETE"):
            handler = routes_oauth.token if request.method == "POST" else routes_oauth.revoke
            reply = handler(self.state, request)
        elif request.path.startswith("/__stub/"):
            return self._control(request)  # not logged: not a Canvas request
        elif request.path.startswith("/files/"):
            reply = routes_api.download(self.state, request, self.urls)
        elif request.method == "GET" and request.path.startswith("/api/v1/"):
            reply = routes_api.api(self.state, request, self.urls)
        else:
            reply = Reply.errors(404, "The specified resource does not exist.")
        self._log("api", request, reply)
        return reply

    def _control(self, request: Request) -> Reply:
        """Switches for a stub in another process (`make dev`, benchmarks): touch a file, count requests."""
        touch = re.fullmatch(r"/__stub/files/(\d+)/touch", request.path)
        if touch and request.method == "POST" and int(touch[1]) in self.state.school.files:
            self.touch_file(int(touch[1]))
            return Reply.json(200, {"touched": int(touch[1])})
        if request.path == "/__stub/requests" and request.method == "GET":
            return Reply.json(200, {"api": len(self.api_requests()), "files": len(self.file_requests())})
        return Reply.errors(404, "no such stub control")

    def _route_files(self, request: Request) -> Reply:
        match = re.fullmatch(r"/blob/(\d+)/v(\d+)", request.path)
        with self.state.lock:
            stub_file = self.state.school.files.get(int(match[1])) if match else None
            if stub_file is None or not request.arg("sig") or int(match[1]) in self.state.broken_files:  # type: ignore[index]
                reply = Reply(404, b"NoSuchKey", {"Content-Type": "text/plain"})
            else:
                etag = '"' + hashlib.sha256(stub_file.data).hexdigest()[:32] + '"'
                content_type = CONTENT_TYPES.get(stub_file.kind, "application/octet-stream")
                reply = Reply(200, stub_file.data, {"Content-Type": content_type, "ETag": etag})
        self._log("files", request, reply)
        return reply

    def _log(self, host: str, request: Request, reply: Reply) -> None:
        with self.state.lock:
            authorized = "authorization" in request.headers
            self.state.log.append(Logged(host, request.method, request.path, authorized, reply.status))
