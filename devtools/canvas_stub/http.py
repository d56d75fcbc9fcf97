"""HTTP plumbing for the stub: a threaded stdlib server per host, requests and replies as data."""

from __future__ import annotations

import json
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    query: dict[str, list[str]]
    headers: dict[str, str]  # lower-cased names
    body: bytes

    def arg(self, name: str, default: str = "") -> str:
        return self.query.get(name, [default])[0]

    def form(self) -> dict[str, str]:
        return {k: v[0] for k, v in parse_qs(self.body.decode()).items()}

    @property
    def bearer(self) -> str | None:
        value = self.headers.get("authorization", "")
        return value[7:] if value.startswith("Bearer ") else None


@dataclass
class Reply:
    status: int
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(cls, status: int, payload: Any, headers: dict[str, str] | None = None) -> Reply:
        base = {"Content-Type": "application/json; charset=utf-8"}
        return cls(status, json.dumps(payload).encode(), {**base, **(headers or {})})

    @classmethod
    def errors(cls, status: int, message: str, headers: dict[str, str] | None = None) -> Reply:
        return cls.json(status, {"errors": [{"message": message}]}, headers)


Route = Callable[[Request], Reply]


def _handler(route: Route) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # headers and body go out in two writes; do not wait 40 ms

        def _serve(self) -> None:
            parts = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = Request(
                method=self.command,
                path=parts.path,
                query=parse_qs(parts.query),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            reply = route(request)
            self.send_response(reply.status)
            for name, value in reply.headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(reply.body)))
            self.end_headers()
            self.wfile.write(reply.body)

        do_GET = do_POST = do_DELETE = do_PUT = _serve

        def log_message(self, *_args: Any) -> None:
            return  # quiet: tests and the dev runner read the stub's own request log

    return Handler


class _QuietServer(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):
            return  # a client that hung up (a cut-off download, a closed keep-alive) is not an error
        super().handle_error(request, client_address)


class Server:
    def __init__(self, host: str, port: int, route: Route) -> None:
        self._server = _QuietServer((host, port), _handler(route))
        self._thread = threading.Thread(target=self._serve, name=f"canvas-stub-{host}", daemon=True)

    def _serve(self) -> None:
        self._server.serve_forever(poll_interval=0.05)  # a short poll makes stop() prompt

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host!s}:{port}"

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()
        self._thread.join(timeout=5)
