"""A loopback stand-in for the Azure Communication Services Email REST API.

It speaks what `azure-communication-email` uses: `POST /emails:send?api-version=...` signed
with HMAC-SHA256 (the access key of the connection string) answering 202 with an
`Operation-Location`, then `GET /emails/operations/{id}` answering Running and then Succeeded
or Failed. Recipients steer the outcome, as real mailboxes would:
- an address without a valid domain -> 400 (the service refuses the request);
- `bounce@...` -> the operation ends Failed;
- `busy@...` -> 503 on send (a transient outage).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import ssl
import threading
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

ACCESS_KEY = base64.b64encode(b"loopback-acs-test-key-0123456789").decode()


@dataclass
class AcsState:
    access_key: str = ACCESS_KEY
    bearer_token: str | None = None  # set: Entra ID mode, requests carry `Authorization: Bearer ...`
    sent: list[dict[str, Any]] = field(default_factory=list)
    operations: dict[str, dict[str, Any]] = field(default_factory=dict)
    polls: dict[str, int] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


def _signature(key: str, string_to_sign: str) -> str:
    digest = hmac.new(base64.b64decode(key), string_to_sign.encode(), hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: ARG002 - quiet: tests read the recorded state
        return

    def _answer(self, status: int, body: dict[str, Any] | None = None, headers: dict[str, str] | None = None) -> None:
        raw = json.dumps(body).encode() if body is not None else b""
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        for name, value in (headers or {}).items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(raw)

    def _authorised(self, body: bytes) -> bool:
        if self.server.state.bearer_token is not None:
            return self.headers.get("Authorization", "") == f"Bearer {self.server.state.bearer_token}"
        content_hash = base64.b64encode(hashlib.sha256(body).digest()).decode()
        if self.headers.get("x-ms-content-sha256") != content_hash:
            return False
        date, host = self.headers.get("x-ms-date"), self.headers.get("host")
        string_to_sign = f"{self.command}\n{self.path}\n{date};{host};{content_hash}"
        signature = _signature(self.server.state.access_key, string_to_sign)
        expected = f"HMAC-SHA256 SignedHeaders=x-ms-date;host;x-ms-content-sha256&Signature={signature}"
        return hmac.compare_digest(self.headers.get("Authorization", ""), expected)

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        if urlsplit(self.path).path != "/emails:send":
            return self._answer(404, {"error": {"code": "NotFound", "message": self.path}})
        if not self._authorised(body):
            return self._answer(401, {"error": {"code": "Denied", "message": "HMAC signature does not match"}})
        self.server.handle_send(self, json.loads(body))

    def do_GET(self) -> None:
        if not self._authorised(b""):
            return self._answer(401, {"error": {"code": "Denied", "message": "HMAC signature does not match"}})
        path = urlsplit(self.path).path
        operation_id = path.removeprefix("/emails/operations/")
        self.server.handle_poll(self, operation_id)


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, state: AcsState, tls: ssl.SSLContext | None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.state = state
        self.scheme = "https" if tls else "http"
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)

    @property
    def endpoint(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def handle_send(self, handler: _Handler, message: dict[str, Any]) -> None:
        recipients = [r.get("address", "") for r in message.get("recipients", {}).get("to", [])]
        if not message.get("senderAddress") or not recipients or not message.get("content", {}).get("subject"):
            return handler._answer(
                400, {"error": {"code": "BadRequest", "message": "sender, recipient and subject are required"}}
            )
        if any("@" not in r or "." not in r.rpartition("@")[2] for r in recipients):
            return handler._answer(
                400, {"error": {"code": "InvalidRecipient", "message": f"invalid address in {recipients}"}}
            )
        if any(r.startswith("busy@") for r in recipients):
            return handler._answer(503, {"error": {"code": "ServiceUnavailable", "message": "try again later"}})
        operation_id = handler.headers.get("operation-id") or str(uuid.uuid4())
        failed = any(r.startswith("bounce@") for r in recipients)
        with self.state.lock:
            self.state.sent.append({**message, "operation_id": operation_id})
            self.state.operations[operation_id] = {"failed": failed}
            self.state.polls[operation_id] = 0
        location = f"{self.endpoint}/emails/operations/{operation_id}?api-version=2025-09-01"
        handler._answer(
            202, {"id": operation_id, "status": "Running"}, {"Operation-Location": location, "Retry-After": "0"}
        )

    def handle_poll(self, handler: _Handler, operation_id: str) -> None:
        with self.state.lock:
            operation = self.state.operations.get(operation_id)
            if operation is None:
                return handler._answer(404, {"error": {"code": "NotFound", "message": operation_id}})
            self.state.polls[operation_id] += 1
            polls = self.state.polls[operation_id]
        if polls < 2:
            return handler._answer(200, {"id": operation_id, "status": "Running"}, {"Retry-After": "0"})
        if operation["failed"]:
            error = {
                "code": "EmailDroppedAllRecipientsSuppressed",
                "message": "the recipient mailbox rejected the message",
            }
            return handler._answer(200, {"id": operation_id, "status": "Failed", "error": error})
        handler._answer(200, {"id": operation_id, "status": "Succeeded"})


class AcsStub:
    """Start with `with AcsStub() as acs:`; `acs.connection_string` is what ACS_CONNECTION_STRING holds.

    With `tls` and `bearer_token` it stands in for the Entra ID set-up instead: HTTPS (bearer
    tokens are only sent over TLS) and `Authorization: Bearer <token>`.
    """

    def __init__(self, *, tls: ssl.SSLContext | None = None, bearer_token: str | None = None) -> None:
        self.state = AcsState(bearer_token=bearer_token)
        self._server = _Server(self.state, tls)
        self._thread = threading.Thread(target=self._server.serve_forever, name="acs-stub", daemon=True)

    @property
    def endpoint(self) -> str:
        return self._server.endpoint

    @property
    def connection_string(self) -> str:
        return f"endpoint={self.endpoint}/;accesskey={self.state.access_key}"

    def __enter__(self) -> AcsStub:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
